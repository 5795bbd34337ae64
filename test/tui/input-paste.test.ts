import { describe, expect, it } from 'vitest';
import {
  BRACKETED_PASTE_OFF,
  BRACKETED_PASTE_ON,
  PasteParser,
  enableBracketedPaste,
  normalizePastedText,
  type PasteSegment,
} from '../../src/tui/paste.js';

function feed(chunks: string[]): PasteSegment[] {
  const parser = new PasteParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('PasteParser', () => {
  it('separates a pasted block from the keys around it', () => {
    expect(feed(['ab\x1b[200~one\rtwo\x1b[201~\r'])).toEqual([
      { kind: 'input', data: 'ab' },
      { kind: 'paste', text: 'one\rtwo' },
      { kind: 'input', data: '\r' },
    ]);
  });

  it('delivers a paste only once it is complete, however the markers are split', () => {
    const whole = 'x\x1b[200~line 1\nline 2\nline 3\x1b[201~y';
    const expected = [
      { kind: 'input', data: 'x' },
      { kind: 'paste', text: 'line 1\nline 2\nline 3' },
      { kind: 'input', data: 'y' },
    ];
    // every split point into two chunks, and one byte at a time
    for (let cut = 1; cut < whole.length; cut++) {
      const segments = feed([whole.slice(0, cut), whole.slice(cut)]);
      expect(merge(segments)).toEqual(expected);
    }
    expect(merge(feed(Array.from(whole)))).toEqual(expected);
  });

  it('holds a possible marker start and releases it on flush (a lone Esc)', () => {
    const parser = new PasteParser();
    expect(parser.push('\x1b')).toEqual([]);
    expect(parser.holding).toBe(true);
    expect(parser.flush()).toEqual([{ kind: 'input', data: '\x1b' }]);
    expect(parser.holding).toBe(false);
  });

  it('delivers an unterminated paste on flush instead of swallowing input for good', () => {
    const parser = new PasteParser();
    expect(parser.push('\x1b[200~half')).toEqual([]);
    expect(parser.inPaste).toBe(true);
    expect(parser.flush()).toEqual([{ kind: 'paste', text: 'half' }]);
    expect(parser.inPaste).toBe(false);
  });

  it('keeps escape-like text inside a paste as pasted text', () => {
    expect(feed(['\x1b[200~a\x1b[31mred\x1b[0m\x1b[201~'])).toEqual([{ kind: 'paste', text: 'a\x1b[31mred\x1b[0m' }]);
  });
});

describe('normalizePastedText', () => {
  it('turns CR and CRLF into LF, keeps tabs and drops escape sequences and controls', () => {
    expect(normalizePastedText('a\r\nb\rc\n\td')).toBe('a\nb\nc\n\td');
    expect(normalizePastedText('\x1b[31mred\x1b[0m\x07 bell')).toBe('red bell');
  });
});

describe('enableBracketedPaste', () => {
  it('turns the mode on, and off exactly once', () => {
    const written: string[] = [];
    const disable = enableBracketedPaste({ write: (data: string) => written.push(data) });
    expect(written).toEqual([BRACKETED_PASTE_ON]);
    disable();
    disable();
    expect(written).toEqual([BRACKETED_PASTE_ON, BRACKETED_PASTE_OFF]);
  });
});

/** Joins adjacent input segments: how ordinary input is cut does not matter, its order does. */
function merge(segments: PasteSegment[]): PasteSegment[] {
  const out: PasteSegment[] = [];
  for (const segment of segments) {
    const last = out[out.length - 1];
    if (segment.kind === 'input' && last?.kind === 'input') last.data += segment.data;
    else out.push({ ...segment });
  }
  return out;
}
