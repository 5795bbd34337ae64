// Markdown -> Telegram text + entities, and splitting an answer longer than one message.

import { describe, expect, it } from 'vitest';
import { renderTelegram, splitHead, TELEGRAM_MAX_TEXT, type TelegramText } from '../../src/gateway/telegram-format.js';
import { checkText } from '../support/telegram/rules.js';
import { ANSWERS } from './answers.js';

/** The fake Bot API's own rules (Telegram's): entities inside the text, in UTF-16 units. */
function expectValid(r: TelegramText): void {
  for (const e of r.entities) expect(e.length).toBeGreaterThan(0);
  if (r.text.trim() !== '') expect(() => checkText(r.text, r.entities)).not.toThrow();
}

describe('renderTelegram', () => {
  it('turns markdown into text with bold, italic, code, pre (+language), links, blockquote, strikethrough', () => {
    const r = renderTelegram('# Title\n\nSome **bold**, *it* and _it_, `x = 1`, ~~gone~~, [site](https://example.com).\n\n```ts\nconst a = 1;\n```\n> quoted\n> more');
    expect(r.text).toBe('Title\n\nSome bold, it and it, x = 1, gone, site.\n\nconst a = 1;\nquoted\nmore');
    const at = (s: string) => r.text.indexOf(s);
    expect(r.entities).toEqual([
      { type: 'bold', offset: 0, length: 5 },
      { type: 'bold', offset: at('bold'), length: 4 },
      { type: 'italic', offset: at('it '), length: 2 },
      { type: 'italic', offset: at('it,'), length: 2 },
      { type: 'code', offset: at('x = 1'), length: 5 },
      { type: 'strikethrough', offset: at('gone'), length: 4 },
      { type: 'text_link', offset: at('site'), length: 4, url: 'https://example.com' },
      { type: 'pre', offset: at('const'), length: 12, language: 'ts' },
      { type: 'blockquote', offset: at('quoted'), length: 'quoted\nmore'.length },
    ]);
  });

  it('lists keep their text with "• " bullets; headings become bold; rules a line', () => {
    expect(renderTelegram('- a\n  * b\n+ c\n1. d\n- [ ] e\n- [x] f\n\n---').text).toBe('• a\n  • b\n• c\n1. d\n• ☐ e\n• ☑ f\n\n──────────');
    expect(renderTelegram('### **Deep**').entities).toEqual([{ type: 'bold', offset: 0, length: 4 }, { type: 'bold', offset: 0, length: 4 }]);
  });

  it('offsets and lengths count UTF-16 code units (emoji are two)', () => {
    const r = renderTelegram('😀 **é😀x** `👩‍👩‍👧`');
    expect(r.text).toBe('😀 é😀x 👩‍👩‍👧');
    expect(r.entities).toEqual([
      { type: 'bold', offset: 3, length: 4 },
      { type: 'code', offset: 8, length: '👩‍👩‍👧'.length },
    ]);
  });

  it('half-streamed markup: an unclosed ** or ` is literal, an unclosed fence is a pre block to the end', () => {
    expect(renderTelegram('so **bold and `code')).toEqual({ text: 'so **bold and `code', entities: [] });
    expect(renderTelegram('look:\n```py\nprint(1)\nprint(')).toEqual({
      text: 'look:\nprint(1)\nprint(',
      entities: [{ type: 'pre', offset: 6, length: 'print(1)\nprint('.length, language: 'py' }],
    });
    expect(renderTelegram('```')).toEqual({ text: '', entities: [] });
    expect(renderTelegram('[half a link](https://exa')).toEqual({ text: '[half a link](https://exa', entities: [] });
  });

  it('addresses Telegram would refuse are shown as text, not links', () => {
    expect(renderTelegram('[x](javascript:alert(1)) [y](/rel)')).toEqual({ text: 'x (javascript:alert(1)) y (/rel)', entities: [] });
    expect(renderTelegram('<https://a.example/b>').entities).toEqual([{ type: 'text_link', offset: 0, length: 19, url: 'https://a.example/b' }]);
  });

  it('sanitises first: controls, escape sequences and lone surrogates never reach the chat', () => {
    const r = renderTelegram('a\x1b[31mred\x1b[0m \x07b\r\n\ud800c **d\udc00**');
    expect(r.text).toBe('ared b\n\ufffdc d\ufffd');
    expectValid(r);
  });

  it('every prefix of real answers renders with entities Telegram accepts', () => {
    for (const [name, answer] of Object.entries(ANSWERS)) {
      for (let n = 1; n <= answer.length; n++) {
        const r = renderTelegram(answer.slice(0, n));
        try {
          expectValid(r);
        } catch (err) {
          throw new Error(`${name}, prefix of ${n}: ${String(err)}`);
        }
      }
    }
  });
});

describe('splitHead', () => {
  const pieces = (markdown: string, limit: number): string[] => {
    const out: string[] = [];
    let rest = markdown;
    for (let guard = 0; guard < 10_000; guard++) {
      const split = splitHead(rest, limit);
      if (!split) return [...out, rest];
      out.push(split.head);
      rest = split.rest;
    }
    throw new Error('splitHead made no progress');
  };

  it('undefined when the rendered text fits (markup does not count)', () => {
    expect(splitHead('**' + 'a'.repeat(TELEGRAM_MAX_TEXT) + '**')).toBeUndefined();
    expect(splitHead('a'.repeat(TELEGRAM_MAX_TEXT + 1))).toBeDefined();
  });

  it('cuts at a paragraph, else a line, else a space, else a code point', () => {
    expect(splitHead('one two\n\nthree four\nfive', 16)).toEqual({ head: 'one two\n\n', rest: 'three four\nfive' });
    expect(splitHead('one two three\nfour five', 16)).toEqual({ head: 'one two three\n', rest: 'four five' });
    expect(splitHead('one two three four five', 16)).toEqual({ head: 'one two three ', rest: 'four five' });
    expect(splitHead('😀'.repeat(10), 5)).toEqual({ head: '😀😀', rest: '😀'.repeat(8) });
  });

  it('never cuts inside an entity when a space outside one exists', () => {
    const split = splitHead('aaa **bold text here** tail', 18)!;
    expect(split).toEqual({ head: 'aaa ', rest: '**bold text here** tail' });
  });

  it('prefers cutting before a code block; a block longer than a message is closed and reopened with its language', () => {
    const small = Array.from({ length: 8 }, (_, i) => `line ${i}`).join('\n');
    const first = splitHead(`intro paragraph\n\n\`\`\`ts\n${small}\n\`\`\`\nafter`, 70)!;
    expect(first.head).toBe('intro paragraph\n\n');
    expect(first.rest.startsWith('```ts\nline 0\n')).toBe(true);

    const code = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const second = splitHead(`\`\`\`ts\n${code}\n\`\`\`\nafter`, 100)!;
    expect(second.head.startsWith('```ts\nline 0\n')).toBe(true);
    expect(second.head.endsWith('\n```')).toBe(true);
    expect(second.rest.startsWith('```ts\nline ')).toBe(true);
    expect(renderTelegram(second.rest).entities[0]).toMatchObject({ type: 'pre', language: 'ts' });
  });

  it('split pieces each fit, render with valid entities and together carry the whole text exactly', () => {
    const long = Object.values(ANSWERS).join('\n\n') + '\n\n' + 'word '.repeat(300) + '\n\n```\n' + 'x'.repeat(500) + '\n```\n' + '😀'.repeat(300);
    for (const limit of [40, 64, 100, 257, 1000]) {
      const parts = pieces(long, limit);
      const rendered = parts.map(renderTelegram);
      for (const r of rendered) {
        expect(r.text.length).toBeLessThanOrEqual(limit);
        expect(r.text.length).toBeGreaterThan(0);
        expectValid(r);
      }
      expect(rendered.map((r) => r.text).join(''), `limit ${limit}`).toBe(renderTelegram(long).text);
    }
  });

  it('every streamed prefix of the answers splits into valid pieces that carry it exactly', () => {
    const all = Object.values(ANSWERS).join('\n\n');
    for (let n = 1; n <= all.length; n += 7) {
      const md = all.slice(0, n);
      const rendered = pieces(md, 45).map(renderTelegram);
      for (const r of rendered) {
        expect(r.text.length).toBeLessThanOrEqual(45);
        expectValid(r);
      }
      expect(rendered.map((r) => r.text).join(''), `prefix of ${n}`).toBe(renderTelegram(md).text);
    }
  });

  it('splits a 10,000-character answer into messages of at most 4,096', () => {
    const md = Array.from({ length: 100 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(8)}`).join('\n\n');
    const parts = pieces(md, TELEGRAM_MAX_TEXT);
    expect(parts.length).toBe(3);
    expect(parts.slice(0, -1).every((p) => p.endsWith('\n\n'))).toBe(true);
    expect(parts.join('')).toBe(md);
  });
});
