import { describe, expect, it } from 'vitest';
import { fromText } from '../../src/tui/input-editor.js';
import { layoutInput, type InputLayout } from '../../src/tui/input-layout.js';

/** The rows as they read on screen, with [x] marking the cursor cell. */
const screen = (layout: InputLayout): string[] =>
  layout.rows.map((row) => row.before + (row.cursor === undefined ? '' : `[${row.cursor}]`) + row.after);

describe('layoutInput', () => {
  it('puts the cursor cell after the text, and on the character it is on', () => {
    expect(screen(layoutInput(fromText('hello'), 20, 5))).toEqual(['hello[ ]']);
    expect(screen(layoutInput(fromText('hello', 1), 20, 5))).toEqual(['h[e]llo']);
  });

  it('wraps long lines at the width and keeps lines apart', () => {
    expect(screen(layoutInput(fromText('abcdefgh\nij'), 4, 10))).toEqual(['abcd', 'efgh', 'ij[ ]']);
    // the cursor cell at the end of a full row goes to the next row
    expect(screen(layoutInput(fromText('abcd'), 4, 10))).toEqual(['abcd', '[ ]']);
  });

  it('wraps between words, the space ending the row, and breaks only a word longer than a row', () => {
    expect(screen(layoutInput(fromText('hello wide world'), 10, 10))).toEqual(['hello ', 'wide ', 'world[ ]']);
    expect(screen(layoutInput(fromText('a supercalifragilistic word'), 10, 10))).toEqual(['a ', 'supercalif', 'ragilistic', ' word[ ]']);
    // a space that does not fit starts the next row rather than being lost
    expect(screen(layoutInput(fromText('abcd efgh'), 4, 10))).toEqual(['abcd', ' ', 'efgh', '[ ]']);
  });

  it('keeps the cursor on its character when a word moves to the next row', () => {
    expect(screen(layoutInput(fromText('one two three', 10), 10, 10))).toEqual(['one two ', 'th[r]ee']);
    // typing at the end: the word being typed goes on to the next row with the cursor
    expect(screen(layoutInput(fromText('one two th'), 10, 10))).toEqual(['one two ', 'th[ ]']);
  });

  it('wraps between words at 80 and 40 columns', () => {
    const text = 'Please explain how the streaming renderer commits finished lines to the scrollback while the answer streams';
    for (const width of [78, 38]) {
      const rows = screen(layoutInput(fromText(text), width, 20));
      for (const row of rows) expect(row.replace('[ ]', ' ').length).toBeLessThanOrEqual(width);
      // no word is cut in two
      const words = rows.map((row) => row.replace('[ ]', '').trim()).join(' ').split(' ');
      expect(words).toEqual(text.split(' '));
    }
  });

  it('counts wide characters as two cells', () => {
    expect(screen(layoutInput(fromText('日本語です', 0), 4, 10))).toEqual(['[日]本', '語で', 'す']);
  });

  it('marks only the very first row for the prompt marker', () => {
    const layout = layoutInput(fromText('one\ntwo'), 10, 5);
    expect(layout.rows.map((row) => row.first)).toEqual([true, false]);
  });

  it('shows a window around the cursor and counts the hidden lines', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const atEnd = layoutInput(fromText(text), 40, 4);
    expect(screen(atEnd)).toEqual(['line 96', 'line 97', 'line 98', 'line 99[ ]']);
    expect(atEnd).toMatchObject({ hiddenAbove: 96, hiddenBelow: 0 });
    const atStart = layoutInput(fromText(text, 0), 40, 4);
    expect(screen(atStart)).toEqual(['[l]ine 0', 'line 1', 'line 2', 'line 3']);
    expect(atStart).toMatchObject({ hiddenAbove: 0, hiddenBelow: 96 });
  });

  it('never writes control characters, and shows tabs as spaces', () => {
    const layout = layoutInput(fromText('a\tb\x1b[2Jc\x07'), 40, 5);
    const shown = screen(layout).join('');
    expect(shown).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
    expect(shown.startsWith('a    b')).toBe(true);
  });
});
