// The first screen, painted before React and Ink have loaded (they take longer than all of
// node's own start-up): the header, the prompt and the status line, exactly where Ink's first
// frame will put them. Keys typed meanwhile are not lost: the terminal is in raw mode, so they
// wait unechoed in stdin until the prompt reads them. Ink's first write replaces this frame
// (see TerminalOutput's `prepainted`).

import { rowsAt } from './text-width.js';

export interface PrepaintTarget {
  isTTY?: boolean;
  columns?: number;
  write(data: string): boolean;
}

export interface PrepaintInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Paints `lines`; returns the rows they took (0 when nothing was painted). */
export function prepaint(stdout: PrepaintTarget, stdin: PrepaintInput, lines: string[]): number {
  if (stdout.isTTY !== true || stdin.isTTY !== true) return 0;
  try {
    stdin.setRawMode?.(true);
  } catch {
    return 0;
  }
  // hide the cursor as Ink does, so it does not blink at the end of the status line
  stdout.write(`\x1b[?25l${lines.join('\n')}\n`);
  return rowsAt(lines, stdout.columns || 80);
}
