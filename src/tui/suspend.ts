// Ctrl+Z: hermes stops as any terminal program does. In raw mode the terminal sends the key
// instead of the signal, so the terminal is put back as the shell expects it (cursor under the
// live region and shown, raw mode off, bracketed paste and the keyboard modes popped) and the
// process sends SIGTSTP to itself; on SIGCONT (`fg`) it takes the terminal again and redraws.

import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON } from './paste.js';
import { SHOW_CURSOR } from './hardware-cursor.js';
import { KEYBOARD_MODES_OFF, KEYBOARD_MODES_ON } from './terminal-modes.js';

export interface SuspendTarget {
  stdin: { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  /** The real terminal. */
  stdout: { write(data: string): unknown };
  /** What draws over it (TerminalOutput): it lets go of the cursor, then takes it back. */
  output: { dispose(): void; resume(): void };
  /** Draws the whole screen again. */
  redraw(): void;
}

export function suspendToShell(target: SuspendTarget): void {
  if (process.platform === 'win32') return; // no job control there
  const raw = target.stdin.isTTY === true && typeof target.stdin.setRawMode === 'function';
  target.output.dispose();
  target.stdout.write(BRACKETED_PASTE_OFF + KEYBOARD_MODES_OFF + SHOW_CURSOR);
  if (raw) target.stdin.setRawMode?.(false);
  process.once('SIGCONT', () => {
    if (raw) target.stdin.setRawMode?.(true);
    target.stdout.write(BRACKETED_PASTE_ON + KEYBOARD_MODES_ON);
    target.output.resume();
    target.redraw();
  });
  process.kill(process.pid, 'SIGTSTP');
}
