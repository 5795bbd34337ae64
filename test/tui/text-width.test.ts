// Breaking a styled line into rows.

import { describe, expect, it } from 'vitest';
import { fitRows, stripSgr, wrapRows } from '../../src/tui/text-width.js';

describe('wrapRows', () => {
  it('breaks at spaces, dropping the space, and inside a word only when it is longer than a row', () => {
    expect(wrapRows('one two three', 8)).toEqual(['one two', 'three']);
    expect(wrapRows('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('can give the rows after the first another width', () => {
    expect(wrapRows('aaaa bbbb cccc dddd', 9, { rest: 4 })).toEqual(['aaaa bbbb', 'cccc', 'dddd']);
  });

  it('breaks at the exact column, every character kept, when words do not count', () => {
    expect(wrapRows('ab cd ef', 3, { words: false })).toEqual(['ab ', 'cd ', 'ef']);
    expect(wrapRows('abcdefgh', 4, { rest: 2, words: false })).toEqual(['abcd', 'ef', 'gh']);
  });

  it('opens the styles of a row again on the next', () => {
    const rows = wrapRows('\x1b[32mgreen text here\x1b[39m', 6, { words: false });
    expect(rows.map(stripSgr)).toEqual(['green ', 'text h', 'ere']);
    expect(rows[1]?.startsWith('\x1b[32m')).toBe(true);
  });
});

describe('fitRows', () => {
  it('leaves a line that fits as it is (no reset added)', () => {
    expect(fitRows('\x1b[1mshort\x1b[22m', 10)).toEqual(['\x1b[1mshort\x1b[22m']);
    expect(fitRows('a longer line', 6)).toEqual(['a', 'longer', 'line']);
  });
});
