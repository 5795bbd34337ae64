// The terminal's own cursor, parked on the cursor block the prompt draws (the last cell drawn in
// inverse video: the prompt's, or the approval's reason field). Input methods compose where the
// terminal's cursor is, and screen readers and terminal zoom follow it; left under the live
// region it would put a Japanese or Korean composition two rows below the prompt.
//
// Everything TerminalOutput draws assumes the cursor at column 0 of the row under the live
// region, so each write first brings it back there (hidden), and after the write parks it on the
// block again (shown). With no block on screen it stays there, hidden, as Ink leaves it.

import { outputWidth, rowsAt } from './text-width.js';

const INVERSE = '\x1b[7m';
export const SHOW_CURSOR = '\x1b[?25h';
export const HIDE_CURSOR = '\x1b[?25l';

/** Where the cursor is parked. */
export interface CursorSpot {
  /** Rows above the row under the live region. */
  up: number;
  /** Column of the block in its row. */
  column: number;
  /** The live region's rows from the block's down (to find the way back after a reflow). */
  below: readonly string[];
  /** The terminal's width when it was parked. */
  columns: number;
}

/** The block in `rows` (the live region, top to bottom), or undefined when there is none. */
export function cursorSpot(rows: readonly string[], columns: number): CursorSpot | undefined {
  for (let r = rows.length - 1; r >= 0; r--) {
    const row = rows[r] ?? '';
    const at = row.lastIndexOf(INVERSE);
    if (at !== -1) return { up: rows.length - r, column: outputWidth(row.slice(0, at)), below: rows.slice(r), columns };
  }
  return undefined;
}

/** From the row under the live region to the block, and shown. */
export function park(spot: CursorSpot): string {
  return `\x1b[${spot.up}A\x1b[${spot.column + 1}G${SHOW_CURSOR}`;
}

/**
 * From the block back to column 0 of the row under the live region (hidden, unless `hide` is
 * false). A terminal that re-wrapped the region since (`reflows`, now `columns` wide) moved the
 * cursor with the text it was on: the way back is counted in the rows the text takes now.
 */
export function unpark(spot: CursorSpot, columns: number, reflows: boolean, hide = true): string {
  let rows = spot.up;
  if (reflows && columns !== spot.columns && columns > 0) rows = rowsAt(spot.below, columns) - Math.floor(spot.column / columns);
  return `${hide ? HIDE_CURSOR : ''}${rows > 0 ? `\x1b[${rows}B` : ''}\r`;
}

/** Outputs that have parked the cursor: however the process ends, they are disposed (and bring
 *  it back), so the shell that comes next finds the cursor under what was drawn. */
const parkedOutputs = new Set<{ dispose(): void }>();
let exitHooked = false;

export function disposeOnExit(output: { dispose(): void }): void {
  parkedOutputs.add(output);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const parked of parkedOutputs) parked.dispose();
  });
}
