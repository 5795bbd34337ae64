// Keys a plain terminal sends alike (Enter and Shift+Enter are both \r) told apart: the kitty
// keyboard protocol (progressive enhancement, "disambiguate" flag only: Shift+Enter arrives as
// CSI 13;2u) and xterm's modifyOtherKeys level 1 (CSI 27;2;13~). A terminal that knows neither
// ignores both requests (ECMA-48 control sequences it does not implement are dropped); one that
// knows kitty's prefers it. src/tui/keys.ts decodes all three forms.
//
// Both are pushed when the prompt comes up and popped when it goes, on exit (however the
// process ends: the 'exit' hook) and around a suspend (Ctrl+Z), so the shell never inherits them.

/** Where the sequences go (stdout, or Ink's view of it). */
export interface Writable {
  write(data: string): unknown;
}

export const KEYBOARD_MODES_ON = '\x1b[>1u\x1b[>4;1m';
export const KEYBOARD_MODES_OFF = '\x1b[<u\x1b[>4;0m';

export function enableKeyboardModes(out: Writable): () => void {
  return enableMode(out, KEYBOARD_MODES_ON, KEYBOARD_MODES_OFF);
}

/** Writes `on`; the function returned writes `off`, once, and so does the process's exit. */
export function enableMode(out: Writable, on: string, off: string): () => void {
  let enabled = true;
  const disable = (): void => {
    if (!enabled) return;
    enabled = false;
    process.removeListener('exit', disable);
    try {
      out.write(off);
    } catch {
      // stdout already closed: nothing left to restore
    }
  };
  out.write(on);
  process.once('exit', disable);
  return disable;
}
