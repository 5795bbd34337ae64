import { describe, expect, it } from 'vitest';
import {
  backspace,
  deleteForward,
  deleteWordBack,
  down,
  end,
  fromText,
  home,
  insert,
  killToEnd,
  killToStart,
  left,
  newline,
  right,
  up,
  wordLeft,
  wordRight,
  type EditorState,
} from '../../src/tui/input-editor.js';

/** Writes a state as text with a | at the cursor, so expectations read like the screen. */
const show = (state: EditorState): string => `${state.text.slice(0, state.cursor)}|${state.text.slice(state.cursor)}`;
/** Parses "ab|c" into a state. */
const at = (marked: string): EditorState => {
  const cursor = marked.indexOf('|');
  return { text: marked.slice(0, cursor) + marked.slice(cursor + 1), cursor };
};

describe('input editor', () => {
  it('inserts at the cursor and moves past the insertion', () => {
    expect(show(insert(at('he|o'), 'll'))).toBe('hell|o');
    expect(show(newline(at('a|b')))).toBe('a\n|b');
  });

  it('does not change the value it was given', () => {
    const state = at('abc|');
    backspace(state);
    insert(state, 'x');
    expect(show(state)).toBe('abc|');
  });

  it('backspace and delete remove one character, and do nothing at the ends', () => {
    expect(show(backspace(at('ab|c')))).toBe('a|c');
    expect(show(backspace(at('|abc')))).toBe('|abc');
    expect(show(deleteForward(at('a|bc')))).toBe('a|c');
    expect(show(deleteForward(at('abc|')))).toBe('abc|');
  });

  it('never splits a surrogate pair or a grapheme cluster', () => {
    const emoji = '😀'; // two UTF-16 code units
    expect(show(backspace(at(`a${emoji}|`)))).toBe('a|');
    expect(show(left(at(`a${emoji}|b`)))).toBe(`a|${emoji}b`);
    expect(show(right(at(`a|${emoji}b`)))).toBe(`a${emoji}|b`);
    expect(show(deleteForward(at(`|${emoji}b`)))).toBe('|b');
    const family = '👨‍👩‍👧'; // ZWJ sequence of three emoji
    expect(show(backspace(at(`x${family}|`)))).toBe('x|');
    expect(show(left(at(`é|`.normalize('NFD'))))).toBe('|' + 'é'.normalize('NFD'));
    // A cursor handed in the middle of a pair is moved off it.
    expect(fromText(emoji, 1).cursor).toBe(0);
  });

  it('Ctrl+A and Ctrl+E go to the start and end of the current line', () => {
    expect(show(home(at('one\ntw|o\nthree')))).toBe('one\n|two\nthree');
    expect(show(end(at('one\nt|wo\nthree')))).toBe('one\ntwo|\nthree');
    expect(show(home(at('ab|c')))).toBe('|abc');
  });

  it('Ctrl+U and Ctrl+K kill to the line start / end, joining lines at the edges', () => {
    expect(show(killToStart(at('one\ntw|o')))).toBe('one\n|o');
    expect(show(killToStart(at('one\n|two')))).toBe('one|two');
    expect(show(killToEnd(at('o|ne\ntwo')))).toBe('o|\ntwo');
    expect(show(killToEnd(at('one|\ntwo')))).toBe('one|two');
  });

  it('Ctrl+W deletes the previous word and the blanks after it', () => {
    expect(show(deleteWordBack(at('git commit  |')))).toBe('git |');
    expect(show(deleteWordBack(at('path/to/file|')))).toBe('|');
    expect(show(deleteWordBack(at('one\n|two')))).toBe('one|two');
    expect(show(deleteWordBack(at('|x')))).toBe('|x');
  });

  it('moves by words', () => {
    expect(show(wordLeft(at('hello big world|')))).toBe('hello big |world');
    expect(show(wordRight(at('|hello big')))).toBe('hello| big');
  });

  it('Up and Down move between lines keeping the column, and report the edges', () => {
    const middle = up(at('abc\nde\nfgh|i'));
    expect(middle.atEdge).toBe(false);
    expect(show(middle.state)).toBe('abc\nde|\nfghi'); // column clamped to the shorter line
    expect(show(up(middle.state).state)).toBe('ab|c\nde\nfghi');
    const top = up(at('ab|c\nde'));
    expect(top.atEdge).toBe(true);
    expect(show(top.state)).toBe('ab|c\nde');
    expect(show(down(at('a|bc\nde')).state)).toBe('abc\nd|e');
    expect(down(at('abc\nd|e')).atEdge).toBe(true);
    expect(up(at('single| line')).atEdge).toBe(true);
  });
});
