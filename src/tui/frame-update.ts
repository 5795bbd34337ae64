// What to send to turn rows on screen into other rows: the row arithmetic TerminalOutput uses
// to redraw only what changed of the live region. Pure: strings in, terminal text out.

import { TERMINAL_SEQUENCE, outputWidth } from './text-width.js';

const SEQUENCE_AT = new RegExp(TERMINAL_SEQUENCE.source, 'y');

/** Ink's eraseLines(count) (ansi-escapes): from the row under the frame up to its first row. */
export function eraseLines(count: number): string {
  return count > 0 ? `${'\x1b[2K\x1b[1A'.repeat(count - 1)}\x1b[2K\x1b[G` : '';
}

/** Moves the cursor `rows` down from column 0 of a row on screen to column 0 (never past the
 *  bottom row, so `\n` only moves). */
function down(rows: number): string {
  if (rows <= 0) return '';
  return rows <= 4 ? '\n'.repeat(rows) : `\x1b[${rows}B\r`;
}

/**
 * What to send to turn row `before` into row `after` (the cursor at column 0 of that row, or
 * anywhere on it when `atColumn0` is false), ending with the newline to the next row. When
 * `after` only continues `before`, the cursor jumps to where they part and sends the rest,
 * re-sending the colour sequences of the part kept so the rest is drawn in the same colours. The
 * kept part must be plain ASCII: its width is then certain, and the rest cannot start with a
 * mark that would join a character drawn before the jump.
 */
export function rowUpdate(before: string, after: string, atColumn0: boolean): string {
  let common = 0;
  const limit = Math.min(before.length, after.length);
  while (common < limit && before.charCodeAt(common) === after.charCodeAt(common)) common++;
  let cut = 0;
  let column = 0;
  let printed = 0;
  let cutSequences = 0;
  const sequences: string[] = [];
  for (let i = 0; i < common; ) {
    const code = after.charCodeAt(i);
    if (code === 0x1b) {
      SEQUENCE_AT.lastIndex = i;
      const match = SEQUENCE_AT.exec(after);
      if (match === null || i + match[0].length > common) break;
      sequences.push(match[0]);
      i += match[0].length;
      continue;
    }
    if (code < 0x20 || code > 0x7e) break;
    i++;
    printed++;
    const next = after.charCodeAt(i);
    if (i === after.length || next === 0x1b || (next >= 0x20 && next <= 0x7e)) {
      cut = i;
      column = printed;
      cutSequences = sequences.length;
    }
  }
  const erase = outputWidth(after) < outputWidth(before) ? '\x1b[K' : '';
  if (cut === 0) return `${atColumn0 ? '' : '\r'}${after}${erase}\n`;
  return `\x1b[${column + 1}G${sequences.slice(0, cutSequences).join('')}${after.slice(cut)}${erase}\n`;
}

/**
 * What to send to turn the frame `before` (on screen, the cursor at column 0 of the row under
 * it) into `after` (rows, each narrower than the terminal; the screen below the frame is empty),
 * leaving the cursor at column 0 of the row under it. Rows the two end with in common stay put:
 * rows are inserted (or deleted) above them rather than everything below being redrawn.
 */
export function frameUpdate(before: readonly string[], after: readonly string[]): string {
  const from = before.length;
  const to = after.length;
  let same = 0; // rows both end with
  while (same < from && same < to && before[from - 1 - same] === after[to - 1 - same]) same++;
  let out = '';
  let row = from; // where the cursor is
  let atColumn0 = true;
  const moveTo = (target: number): void => {
    if (target < row) out += `\x1b[${row - target}A`;
    else if (target > row) {
      out += down(target - row);
      atColumn0 = true;
    }
    row = target;
  };
  // old rows shown at each new row (undefined: a blank row)
  const shown: (string | undefined)[] = [];
  const grow = to - from;
  if (grow > 0 && same > 0) {
    // new rows under the frame (scrolling the screen when at the bottom), then blank rows
    // inserted above the common end, which moves down onto them
    out += '\n'.repeat(grow);
    row += grow;
    moveTo(from - same);
    out += `\x1b[${grow}L`;
    atColumn0 = false;
    for (let r = 0; r < to; r++) shown.push(r < from - same ? before[r] : r < to - same ? undefined : after[r]);
  } else if (grow < 0) {
    // the rows going away are deleted above the common end, which moves up (blank rows come in
    // at the bottom of the screen, under the frame)
    moveTo(to - same);
    out += `\x1b[${-grow}M`;
    atColumn0 = false;
    for (let r = 0; r < to; r++) shown.push(r < to - same ? before[r] : after[r]);
  } else {
    for (let r = 0; r < to; r++) shown.push(before[r]);
  }
  for (let r = 0; r < to; r++) {
    const next = after[r] ?? '';
    const old = shown[r];
    if (old === next) continue;
    moveTo(r);
    out += old === undefined ? `${atColumn0 ? '' : '\r'}${next}\n` : rowUpdate(old, next, atColumn0);
    row = r + 1;
    atColumn0 = true;
  }
  moveTo(to);
  if (!atColumn0) out += '\r';
  return out;
}

/** Rows as terminal text: each followed by a newline. */
export function lineText(rows: readonly string[]): string {
  let text = '';
  for (const row of rows) text += `${row}\n`;
  return text;
}

export function sameRows(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((row, i) => row === b[i]);
}
