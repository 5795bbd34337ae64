// Lays the prompt text out in terminal rows so the component knows its exact height: a long
// paste shows a window of rows around the cursor instead of growing the live region past the
// terminal height (which makes Ink clear the screen and reprint everything on every frame).

import type { EditorState } from './input-editor.js';

export interface InputRow {
  /** Text before the cursor cell (the whole row when the cursor is elsewhere). */
  before: string;
  /** The cell under the cursor: a grapheme, or a space at the end of a line. */
  cursor?: string;
  after: string;
  /** First row of the whole text: the one that carries the prompt marker. */
  first: boolean;
}

export interface InputLayout {
  rows: InputRow[];
  /** Lines of text wholly or partly above / below the shown rows. */
  hiddenAbove: number;
  hiddenBelow: number;
}

const TAB = '    ';
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Controls, DEL, C1 and lone surrogates: never written raw, shown as U+FFFD.
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function display(grapheme: string): string {
  if (grapheme === '\t') return TAB;
  return UNSAFE.test(grapheme) ? '\ufffd' : grapheme;
}

/** Terminal cells a grapheme takes; an estimate good enough to keep rows within the width. */
export function cellWidth(grapheme: string): number {
  if (grapheme === '\t') return TAB.length;
  const code = grapheme.codePointAt(0) ?? 0;
  if (code === 0x200b || code === 0x200c || code === 0x200d || code === 0xfeff) return 0;
  if (code >= 0x0300 && code <= 0x036f) return 0; // a lone combining mark
  if (grapheme.includes('\ufe0f') || grapheme.includes('\u200d')) return 2; // emoji presentation
  return isWide(code) ? 2 : 1;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x231a && code <= 0x231b) ||
    (code >= 0x2329 && code <= 0x232a) ||
    (code >= 0x23e9 && code <= 0x23ec) ||
    (code >= 0x25fd && code <= 0x25fe) ||
    (code >= 0x2614 && code <= 0x2615) ||
    (code >= 0x2648 && code <= 0x2653) ||
    (code >= 0x26aa && code <= 0x26ab) ||
    (code >= 0x26bd && code <= 0x26be) ||
    (code >= 0x26f2 && code <= 0x26f5) ||
    (code >= 0x2705 && code <= 0x2705) ||
    (code >= 0x270a && code <= 0x270b) ||
    (code >= 0x2753 && code <= 0x2755) ||
    (code >= 0x2795 && code <= 0x2797) ||
    (code >= 0x2b1b && code <= 0x2b1c) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xa960 && code <= 0xa97f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f004 && code <= 0x1f004) ||
    (code >= 0x1f0cf && code <= 0x1f0cf) ||
    (code >= 0x1f18e && code <= 0x1f18e) ||
    (code >= 0x1f191 && code <= 0x1f19a) ||
    (code >= 0x1f200 && code <= 0x1f251) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f680 && code <= 0x1f6ff) ||
    (code >= 0x1f7e0 && code <= 0x1f7eb) ||
    (code >= 0x1f90c && code <= 0x1f9ff) ||
    (code >= 0x1fa70 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

interface RowDraft {
  line: number;
  firstOfLine: boolean;
  row: InputRow;
}

interface Cell {
  shown: string;
  cells: number;
  cursor: boolean;
  space: boolean;
}

/** Rows of one logical line wrapped at `width` cells; `cursor` is an offset inside the line
 *  (or -1 when the cursor is on another line). A word (with the space after it) that does not
 *  fit goes to the next row whole; only a word longer than a row is broken. */
function wrapLine(line: string, lineIndex: number, cursor: number, width: number): RowDraft[] {
  const cells: Cell[] = [];
  for (const { segment, index } of segmenter.segment(line)) {
    cells.push({ shown: display(segment), cells: cellWidth(segment), cursor: index === cursor, space: segment === ' ' || segment === '\t' });
  }
  // the cursor after the text: a blank cell, the next character's place
  if (cursor === line.length) cells.push({ shown: ' ', cells: 1, cursor: true, space: true });

  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let used = 0;
  let wordStart = -1; // where in `row` the word after its last space starts
  for (const cell of cells) {
    if (used > 0 && used + cell.cells > width) {
      // the last word goes to the next row with the space after it, so no row starts with one
      const tail = wordStart > 0 ? row.splice(wordStart) : [];
      rows.push(row);
      row = tail;
      used = tail.reduce((sum, c) => sum + c.cells, 0);
      wordStart = -1;
      if (used > 0 && used + cell.cells > width) {
        rows.push(row);
        row = [];
        used = 0;
      }
    }
    row.push(cell);
    used += cell.cells;
    if (cell.space) wordStart = row.length;
  }
  rows.push(row);

  return rows.map((cellsOfRow, i) => {
    const draft: InputRow = { before: '', after: '', first: false };
    let beforeCursor = true;
    for (const cell of cellsOfRow) {
      if (cell.cursor) {
        draft.cursor = cell.shown;
        beforeCursor = false;
      } else if (beforeCursor) draft.before += cell.shown;
      else draft.after += cell.shown;
    }
    return { line: lineIndex, firstOfLine: i === 0, row: draft };
  });
}

export function layoutInput(state: EditorState, width: number, maxRows: number): InputLayout {
  const columns = Math.max(1, Math.floor(width));
  const budget = Math.max(1, Math.floor(maxRows));
  const lines = state.text.split('\n');
  let cursorLine = 0;
  let offset = 0;
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    starts.push(offset);
    const length = lines[i]?.length ?? 0;
    if (state.cursor >= offset && state.cursor <= offset + length) cursorLine = i;
    offset += length + 1;
  }

  // Only lines that can reach the window are laid out, so a huge paste costs little per key.
  const from = Math.max(0, cursorLine - budget);
  const to = Math.min(lines.length - 1, cursorLine + budget);
  const drafts: RowDraft[] = [];
  let cursorRow = 0;
  for (let i = from; i <= to; i++) {
    const line = lines[i] ?? '';
    const cursor = i === cursorLine ? state.cursor - (starts[i] ?? 0) : -1;
    const wrapped = wrapLine(line, i, cursor, columns);
    if (i === cursorLine) cursorRow = drafts.length + wrapped.findIndex((draft) => draft.row.cursor !== undefined);
    drafts.push(...wrapped);
  }
  const start = Math.max(0, Math.min(cursorRow - budget + 1, drafts.length - budget));
  const shown = drafts.slice(start, start + budget);
  const firstShown = shown[0];
  const lastShown = shown[shown.length - 1];
  const hiddenAbove = firstShown ? firstShown.line + (firstShown.firstOfLine ? 0 : 1) : 0;
  const lastIsComplete = lastShown !== undefined && drafts[start + shown.length]?.line !== lastShown.line;
  const hiddenBelow = lastShown ? lines.length - 1 - lastShown.line + (lastIsComplete ? 0 : 1) : 0;
  return {
    rows: shown.map((draft) => ({ ...draft.row, first: draft.line === 0 && draft.firstOfLine })),
    hiddenAbove,
    hiddenBelow,
  };
}
