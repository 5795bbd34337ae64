// The prompt's editing model: plain immutable values so every key is a pure function that the
// tests can drive without React, and the component only stores the latest state.
//
// `cursor` is an offset in UTF-16 code units into `text`. Movement and deletion go by grapheme
// cluster, so an emoji (surrogate pair, ZWJ sequence) or a letter with a combining accent is
// never split; if the segmenter ever disagrees, a surrogate pair is still never cut in two.

export interface EditorState {
  readonly text: string;
  readonly cursor: number;
}

export interface VerticalMove {
  state: EditorState;
  /** The cursor was already on the first (up) / last (down) line: the caller may walk history. */
  atEdge: boolean;
}

export const EMPTY_EDITOR: EditorState = { text: '', cursor: 0 };

/** A state holding `text` with the cursor at its end. */
export function fromText(text: string, cursor = text.length): EditorState {
  return { text, cursor: clampCursor(text, cursor) };
}

// Graphemes longer than this many code units (rare: long ZWJ or tag sequences) are stepped in
// parts; bounding the window keeps each key O(1) however long the text is.
const WINDOW = 64;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function isHigh(code: number | undefined): boolean {
  return code !== undefined && code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number | undefined): boolean {
  return code !== undefined && code >= 0xdc00 && code <= 0xdfff;
}

/** Moves `index` off the middle of a surrogate pair (towards `direction`). */
function snap(text: string, index: number, direction: -1 | 1): number {
  if (index > 0 && index < text.length && isHigh(text.charCodeAt(index - 1)) && isLow(text.charCodeAt(index))) {
    return index + direction;
  }
  return index;
}

function clampCursor(text: string, cursor: number): number {
  return snap(text, Math.max(0, Math.min(text.length, cursor)), -1);
}

/** Start of the grapheme that ends at `index`. */
export function previousBoundary(text: string, index: number): number {
  if (index <= 0) return 0;
  const start = Math.max(0, index - WINDOW);
  let last = 0;
  for (const segment of segmenter.segment(text.slice(start, index))) last = segment.index;
  return snap(text, start + last, -1);
}

/** End of the grapheme that starts at `index`. */
export function nextBoundary(text: string, index: number): number {
  if (index >= text.length) return text.length;
  const first = segmenter.segment(text.slice(index, index + WINDOW))[Symbol.iterator]().next();
  const length = first.done ? 1 : first.value.segment.length;
  return snap(text, index + length, 1);
}

function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

function lineEnd(text: string, index: number): number {
  const end = text.indexOf('\n', index);
  return end === -1 ? text.length : end;
}

function replace(state: EditorState, from: number, to: number, insertion: string): EditorState {
  const { text } = state;
  return { text: text.slice(0, from) + insertion + text.slice(to), cursor: from + insertion.length };
}

export function insert(state: EditorState, insertion: string): EditorState {
  if (insertion === '') return state;
  return replace(state, state.cursor, state.cursor, insertion);
}

export function newline(state: EditorState): EditorState {
  return insert(state, '\n');
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  return replace(state, previousBoundary(state.text, state.cursor), state.cursor, '');
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const end = nextBoundary(state.text, state.cursor);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(end), cursor: state.cursor };
}

export function left(state: EditorState): EditorState {
  return { text: state.text, cursor: previousBoundary(state.text, state.cursor) };
}

export function right(state: EditorState): EditorState {
  return { text: state.text, cursor: nextBoundary(state.text, state.cursor) };
}

/** Ctrl+A: start of the current line. */
export function home(state: EditorState): EditorState {
  return { text: state.text, cursor: lineStart(state.text, state.cursor) };
}

/** Ctrl+E: end of the current line. */
export function end(state: EditorState): EditorState {
  return { text: state.text, cursor: lineEnd(state.text, state.cursor) };
}

/** Ctrl+U: deletes to the start of the current line; at a line start it joins with the line
 *  above, so repeated presses keep clearing upwards. */
export function killToStart(state: EditorState): EditorState {
  const start = lineStart(state.text, state.cursor);
  if (start === state.cursor) return backspace(state);
  return replace(state, start, state.cursor, '');
}

/** Ctrl+K: deletes to the end of the current line; at a line end it joins the next line. */
export function killToEnd(state: EditorState): EditorState {
  const stop = lineEnd(state.text, state.cursor);
  if (stop === state.cursor) return deleteForward(state);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(stop), cursor: state.cursor };
}

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';

/** Ctrl+W: deletes the word before the cursor and the blanks after it, like a shell. At a line
 *  start it deletes only the line break. */
export function deleteWordBack(state: EditorState): EditorState {
  const { text, cursor } = state;
  if (cursor === 0) return state;
  if (text[cursor - 1] === '\n') return replace(state, cursor - 1, cursor, '');
  let from = cursor;
  while (from > 0 && isBlank(text[from - 1])) from--;
  while (from > 0 && !isBlank(text[from - 1]) && text[from - 1] !== '\n') from--;
  return replace(state, from, cursor, '');
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/** Alt+B / Ctrl+Left: start of the previous word. */
export function wordLeft(state: EditorState): EditorState {
  const { text } = state;
  let i = state.cursor;
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return { text, cursor: snap(text, i, -1) };
}

/** Alt+F / Ctrl+Right: end of the next word. */
export function wordRight(state: EditorState): EditorState {
  const { text } = state;
  let i = state.cursor;
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return { text, cursor: snap(text, i, 1) };
}

// The column is kept in code units: exact for the usual text, and snapping keeps it valid
// inside emoji. Wide characters may shift the visual column slightly, which shells also accept.
function moveToLine(text: string, column: number, targetStart: number): number {
  const target = Math.min(targetStart + column, lineEnd(text, targetStart));
  return snap(text, target, -1);
}

export function up(state: EditorState): VerticalMove {
  const { text, cursor } = state;
  const start = lineStart(text, cursor);
  if (start === 0) return { state, atEdge: true };
  const previousStart = lineStart(text, start - 1);
  return { state: { text, cursor: moveToLine(text, cursor - start, previousStart) }, atEdge: false };
}

export function down(state: EditorState): VerticalMove {
  const { text, cursor } = state;
  const stop = lineEnd(text, cursor);
  if (stop === text.length) return { state, atEdge: true };
  const start = lineStart(text, cursor);
  return { state: { text, cursor: moveToLine(text, cursor - start, stop + 1) }, atEdge: false };
}

/** Cursor at the end of the first line: where a history entry recalled with Up is placed, so
 *  the next Up keeps walking history even when the entry has several lines. */
export function endOfFirstLine(text: string): EditorState {
  return { text, cursor: lineEnd(text, 0) };
}
