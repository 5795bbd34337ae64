// The live region's sizing: it is kept well below the terminal's height (when Ink's live
// region reaches it, Ink clears the screen and reprints everything on every frame), and the
// committed lines that leave it, wrapped once here rather than by Ink.

import { wrapRows } from './text-width.js';
import type { Theme } from './theme.js';
import type { LiveView } from './transcript.js';

/** Answer rows never take more than this, whatever the terminal's height. */
const MAX_ANSWER_ROWS = 8;
export const MAX_QUEUED_ROWS = 2;
export const MORE_NOTE = '… more below, streaming';

export interface StaticItem {
  id: number;
  /** As printed: wrapped to the terminal's width. */
  text: string;
  /** As committed (for tests and anything that reads the transcript back). */
  lines: string[];
}

/** Committed lines as one <Static> item, wrapped here in one pass rather than by Ink: its
 *  wrapping (wrap-ansi, string-width per word) was the largest cost of a long answer. Blank
 *  lines become a space: an empty <Text> would take no row at all. */
export function staticItem(id: number, lines: string[], columns: number): StaticItem {
  return { id, text: committedRows(lines, columns, ' ').join('\n'), lines };
}

export function committedRows(lines: readonly string[], columns: number, blank: string): string[] {
  const width = Math.max(10, columns - 1);
  return lines.flatMap((line) => (line === '' ? [blank] : wrapRows(line, width)));
}

/** Rows for the answer, at most this many whatever the terminal's height, with the rows the
 *  rest of the live region takes (the prompt may take a third of the screen, or a line and its
 *  command hints; the status line, the spinner, the "more" note and the cursor's own row come
 *  on top) well below the screen's height. */
export function answerBudget(rows: number, toolRows: number, queuedRows: number): number {
  const inputRows = Math.max(Math.floor(rows / 3) + 2, 10);
  const fixedRows = inputRows + 1 + 1 + toolRows + queuedRows + 1 + 2;
  return Math.max(2, Math.min(MAX_ANSWER_ROWS, rows - fixedRows));
}

export function queuedRowCount(queued: number): number {
  return Math.min(queued, MAX_QUEUED_ROWS) + (queued > MAX_QUEUED_ROWS ? 1 : 0);
}

/** The rows of the answer in progress: reasoning, the answer's unfinished end, the "more" note,
 *  and under them what a slash command printed meanwhile. */
export function answerRows(live: LiveView, theme: Theme): string[] {
  const rows = [...(live.reasoning ?? []), ...live.answer];
  if (live.more) rows.push(theme.dim(MORE_NOTE));
  rows.push(...live.asides);
  return rows;
}
