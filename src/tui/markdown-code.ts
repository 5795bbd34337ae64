// Code blocks for display: the frame around them, and where a fence opens and closes for the
// live view (FenceTracker keeps the real state; these read lines again for what the live view
// shows before they are committed).

import type { FenceOpening } from '../stream/markdown-split.js';
import { displayWidth, wrapRows } from './text-width.js';
import type { Theme } from './theme.js';

export const FRAME_INDENT = '  ';

/** Whether `line` closes a code block opened by `fence` (CommonMark: same character, at
 *  least as long, nothing after it). */
export function closes(line: string, fence: FenceOpening): boolean {
  const run = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
  return run !== undefined && run[0] === fence.fence[0] && run.length >= fence.fence.length;
}

/** The opening of a code block, for display only (FenceTracker keeps the real state). */
export function openingOf(line: string): FenceOpening | undefined {
  const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return undefined;
  const fence = m[2] ?? '';
  const info = (m[3] ?? '').trim();
  if (fence[0] === '`' && info.includes('`')) return undefined;
  return { fence, lang: info.split(/[ \t]/, 1)[0] ?? '', info, indent: (m[1] ?? '').length };
}

/** The frame's first row, with the block's language. */
export function frameTop(opening: FenceOpening, t: Theme): string {
  return t.dim(`${FRAME_INDENT}╭─${opening.lang === '' ? '' : ` ${opening.lang}`}`);
}

/** The frame's last row. */
export function frameBottom(t: Theme): string {
  return t.dim(`${FRAME_INDENT}╰─`);
}

/** A line of the block as code: the fence's indentation taken off, tabs as spaces. */
export function codeText(line: string, fence: FenceOpening | undefined): string {
  let code = line;
  const indent = fence?.indent ?? 0;
  if (indent > 0) code = code.replace(new RegExp(`^ {0,${indent}}`), '');
  return code.replace(/\t/g, '    ');
}

/** Columns the frame takes before the code: the indent, the bar and a space. */
const FRAME_WIDTH = FRAME_INDENT.length + 2;
/** Starts a row that continues the code line above it. */
const CONTINUATION = '↪ ';
/** Narrower than this, a code line is left for the terminal to wrap. */
const MIN_CODE_COLUMNS = 8;

/**
 * One line of code (maybe highlighted) inside the frame, in rows of at most `columns`. A line
 * too long for a row goes on in the next, behind a continuation mark, so the frame stays intact
 * and a wrapped line is never mistaken for two: it breaks at the exact column, every character
 * kept (in code a space is content).
 */
export function codeRows(code: string, t: Theme, columns: number): string[] {
  const bar = `${t.dim(`${FRAME_INDENT}│`)} `;
  const room = columns - FRAME_WIDTH;
  if (displayWidth(code) <= room || room - CONTINUATION.length < MIN_CODE_COLUMNS) return [bar + code];
  const rows = wrapRows(code, room, { rest: room - CONTINUATION.length, words: false });
  return rows.map((row, i) => (i === 0 ? bar : bar + t.dim(CONTINUATION)) + row);
}
