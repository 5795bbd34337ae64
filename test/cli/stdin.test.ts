// Piped input becomes the prompt: read to the end, capped on a character boundary, combined
// with -p as instruction + blank line + data.

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { combinePrompt, readAll } from '../../src/cli/stdin.js';

const streamOf = (...chunks: (string | Buffer)[]): Readable => Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));

describe('readAll', () => {
  it('joins every chunk, including a character split across two chunks', async () => {
    const euro = Buffer.from('€'); // 3 bytes
    expect(await readAll(streamOf('price: ', euro.subarray(0, 1), euro.subarray(1), '5\n'))).toEqual({ text: 'price: €5\n', truncated: false });
  });

  it('cuts past the limit on a character boundary and says so', async () => {
    // 'a' + '€' is 4 bytes; a 3-byte limit must not keep half of the euro sign.
    expect(await readAll(streamOf('a€', 'rest'), 3)).toEqual({ text: 'a', truncated: true });
    expect(await readAll(streamOf('abcdef'), 6)).toEqual({ text: 'abcdef', truncated: false });
    expect(await readAll(streamOf('abc', 'def', 'g'), 6)).toEqual({ text: 'abcdef', truncated: true });
  });

  it('reads to the end even past the limit, so the writer of the pipe finishes', async () => {
    let pulled = 0;
    const source = new Readable({
      read() {
        pulled++;
        this.push(pulled <= 50 ? Buffer.alloc(1024, 'x') : null);
      },
    });
    const result = await readAll(source, 2048);
    expect(result.text.length).toBe(2048);
    expect(result.truncated).toBe(true);
    expect(pulled).toBe(51);
  });
});

describe('combinePrompt', () => {
  it('puts the -p instruction first, then a blank line, then the piped text', () => {
    expect(combinePrompt('summarise', 'line 1\nline 2\n')).toEqual({ prompt: 'summarise\n\nline 1\nline 2\n' });
  });

  it('uses whichever one is there', () => {
    expect(combinePrompt('question', undefined)).toEqual({ prompt: 'question' });
    expect(combinePrompt('question', '  \n')).toEqual({ prompt: 'question' });
    expect(combinePrompt(undefined, 'piped question\n')).toEqual({ prompt: 'piped question\n' });
  });

  it('is a usage error when there is nothing to ask', () => {
    expect(combinePrompt(undefined, '')).toEqual({ usage: 'no prompt: pass one with -p "...", or pipe text into hermes' });
    expect(combinePrompt(undefined, ' \n\t')).toEqual({ usage: expect.stringMatching(/^no prompt/) });
    expect(combinePrompt('', undefined)).toEqual({ usage: 'the prompt is empty' });
  });
});
