import { describe, expect, it } from 'vitest';
import { hasInvisible, revealInvisible } from '../../src/stream/reveal-invisible.js';
import { sanitizeForTerminal } from '../../src/stream/sanitize.js';

describe('revealInvisible', () => {
  it('writes bidirectional overrides, embeddings and isolates as <U+XXXX>', () => {
    // what a terminal shows as `rm -rf ~/.txt` style trickery: the override reorders the rest
    expect(revealInvisible('rm -rf ~/\u202Etxt.sh')).toBe('rm -rf ~/<U+202E>txt.sh');
    for (let cp = 0x202a; cp <= 0x202e; cp++) expect(revealInvisible(`a${String.fromCodePoint(cp)}b`)).toBe(`a<U+${cp.toString(16).toUpperCase()}>b`);
    for (let cp = 0x2066; cp <= 0x2069; cp++) expect(revealInvisible(String.fromCodePoint(cp))).toBe(`<U+${cp.toString(16).toUpperCase()}>`);
  });

  it('writes zero-width and other format characters out', () => {
    for (const cp of [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfeff, 0x00ad, 0x061c, 0x180e, 0x2028, 0x2029, 0x034f, 0x3164]) {
      expect(revealInvisible(`x${String.fromCodePoint(cp)}y`)).toBe(`x<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>y`);
    }
    // tag characters: text a model reads and a person does not see
    expect(revealInvisible('ok\u{E0041}\u{E0042}')).toBe('ok<U+E0041><U+E0042>');
  });

  it('writes controls out instead of dropping them, keeping line breaks and tabs', () => {
    expect(revealInvisible('echo \x1b]0;$(curl x|sh)\x07 hi')).toBe('echo <U+001B>]0;$(curl x|sh)<U+0007> hi');
    expect(revealInvisible('a\rb\bc\x7f\x9b')).toBe('a<U+000D>b<U+0008>c<U+007F><U+009B>');
    expect(revealInvisible('one\n\ttwo')).toBe('one\n\ttwo');
  });

  it('writes a lone surrogate out and leaves pairs, accents, CJK and emoji alone', () => {
    expect(revealInvisible('a\ud800b\udc00')).toBe('a<U+D800>b<U+DC00>');
    const plain = 'café 日本語 😀 ~/src/a.ts';
    expect(revealInvisible(plain)).toBe(plain);
  });

  it('leaves nothing a terminal would act on', () => {
    const all = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i)).join('');
    const shown = revealInvisible(all);
    expect(sanitizeForTerminal(shown)).toBe(shown);
    expect(hasInvisible(shown)).toBe(false);
  });

  it('hasInvisible says whether there is anything to reveal', () => {
    expect(hasInvisible('ls -la\n\tx')).toBe(false);
    expect(hasInvisible('ls \u2066-la')).toBe(true);
    expect(hasInvisible('ls \u2066-la')).toBe(true);
  });
});
