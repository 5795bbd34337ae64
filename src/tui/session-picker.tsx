// `hermes --resume` without an id: a list of stored sessions to choose from before the chat
// opens. ↑/↓ (and PgUp/PgDn, Home/End) move, Enter resumes, Esc cancels, Ctrl+C interrupts.
// Its own short-lived Ink instance: it leaves nothing on the screen when it is done, so the
// chat's first frame starts where the picker was.

import { Box, render, Text, useInput } from 'ink';
import { useRef, useState, type ReactElement } from 'react';
import { sessionRows } from '../agent/session/listing.js';
import type { SessionSummary } from '../agent/session/store.js';
import { useTerminalSize } from './use-terminal-size.js';

export type PickResult = string | 'cancelled' | 'interrupted';

export const PICKER_TITLE = 'resume which session? (last used first)';
export const PICKER_HINT = '↑↓ choose · Enter resume · Esc cancel';
/** Rows the title, the hint and a margin take. */
const CHROME_ROWS = 3;

interface PickerProps {
  sessions: readonly SessionSummary[];
  home?: string;
  onDone: (result: PickResult) => void;
}

export function SessionPicker({ sessions, home, onDone }: PickerProps): ReactElement | null {
  const [at, setAt] = useState(0);
  // What Enter takes: the handler that sees a key may be one from an earlier render.
  const latest = useRef(0);
  const [done, setDone] = useState(false);
  const { columns, rows } = useTerminalSize();
  const lines = sessionRows(sessions, { home });
  const visible = Math.max(1, Math.min(lines.length, rows - CHROME_ROWS));
  const page = Math.max(1, visible - 1);

  const finish = (result: PickResult): void => {
    setDone(true);
    onDone(result);
  };
  useInput((input, key) => {
    if (done) return;
    const move = (to: (from: number) => number): void => {
      latest.current = Math.max(0, Math.min(lines.length - 1, to(latest.current)));
      setAt(latest.current);
    };
    if (key.upArrow) move((from) => from - 1);
    else if (key.downArrow) move((from) => from + 1);
    else if (key.pageUp) move((from) => from - page);
    else if (key.pageDown) move((from) => from + page);
    else if (key.home) move(() => 0);
    else if (key.end) move(() => lines.length - 1);
    else if (key.return) finish(sessions[latest.current]!.id);
    else if (key.escape) finish('cancelled');
    else if (key.ctrl && input === 'c') finish('interrupted');
  });
  // Nothing left behind: the chat draws its header where the picker was.
  if (done) return null;

  // The window of rows around the choice that fits the terminal.
  const first = Math.max(0, Math.min(at - Math.floor(visible / 2), lines.length - visible));
  const shown = lines.slice(first, first + visible);
  const more = lines.length > visible ? ` · ${at + 1}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold>{PICKER_TITLE}</Text>
      {shown.map((line, i) => {
        const chosen = first + i === at;
        return (
          <Text key={sessions[first + i]!.id} wrap="truncate-end" inverse={chosen}>
            {`${chosen ? '›' : ' '} ${line}`}
          </Text>
        );
      })}
      <Text dimColor>{`${PICKER_HINT}${more}`}</Text>
    </Box>
  );
}

/** Shows the picker until a choice is made; the terminal is back as it was when it resolves. */
export async function pickSession(sessions: readonly SessionSummary[], options: { home?: string } = {}): Promise<PickResult> {
  let resolve: (result: PickResult) => void = () => {};
  const chosen = new Promise<PickResult>((r) => (resolve = r));
  const instance = render(<SessionPicker sessions={sessions} home={options.home} onDone={(result) => resolve(result)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const result = await chosen;
  // The empty frame is drawn first, so the picker's rows are erased before Ink lets go.
  await new Promise((r) => setTimeout(r, 0));
  const exited = instance.waitUntilExit().catch(() => {});
  instance.unmount();
  await exited;
  return result;
}
