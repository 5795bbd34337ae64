// The terminal's own cursor sits on the prompt's cursor block between writes (input methods
// compose there), and every write still lands where it would with the cursor under the frame.

import { describe, expect, it } from 'vitest';
import { TerminalOutput } from '../../src/tui/terminal-output.js';
import { FakeTerminal, Screen } from '../support/terminal.js';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
const erase = (n: number) => '\x1b[2K\x1b[1A'.repeat(Math.max(0, n - 1)) + (n > 0 ? '\x1b[2K\x1b[G' : '');
const block = (text: string, at: number) => `› ${text.slice(0, at)}\x1b[7m${text[at] ?? ' '}\x1b[27m${text.slice(at + 1)}`;

function setup(columns = 40, rows = 12) {
  const terminal = new FakeTerminal(columns, rows);
  const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows: true });
  const screen = new Screen(columns, rows);
  let previous = 0;
  /** One of Ink's renders: an erase of the last frame, then this one, in a synchronized update. */
  const ink = (frame: string[]) => {
    for (const write of [BSU, erase(previous) + frame.map((line) => `${line}\n`).join(''), ESU]) output.write(write);
    previous = frame.length + 1;
  };
  const show = () => {
    for (const write of terminal.writes) screen.feed(write);
    terminal.writes = [];
    return screen;
  };
  return { terminal, output, screen, ink, show };
}

describe('the hardware cursor', () => {
  it('is parked on the block after every frame, shown, and hidden on its way back', () => {
    const { ink, show, terminal } = setup();
    ink(['answer', block('hello', 5), 'status']);
    const written = terminal.writes.join('');
    let screen = show();
    expect([screen.row, screen.col]).toEqual([1, 7]);
    expect(written.endsWith('\x1b[?25h\x1b[?2026l')).toBe(true);

    ink(['answer', 'more', block('hello', 1), 'status']);
    const next = terminal.writes.join('');
    screen = show();
    expect(next.startsWith('\x1b[?2026h\x1b[?25l\x1b[2B\r')).toBe(true);
    expect(screen.text.split('\n')).toEqual(['answer', 'more', '› h{7}ello', 'status']);
    expect([screen.row, screen.col]).toEqual([2, 3]);
  });

  it('brings the cursor back before painting the pane, then parks it again', () => {
    const { ink, show, output } = setup();
    ink([block('', 0), 'status']);
    output.paint('committed line\n', ['live tail']);
    const screen = show();
    expect(screen.text.split('\n')).toEqual(['committed line', 'live tail', '› {7}', 'status']);
    expect([screen.row, screen.col]).toEqual([2, 2]);
  });

  it('stays under the frame, hidden, when no block is drawn (a tool approval has the keyboard)', () => {
    const { ink, show, terminal } = setup();
    ink([block('hi', 2), 'status']);
    show();
    ink(['› hi', 'allow? y/n', 'status']);
    const written = terminal.writes.join('');
    const screen = show();
    expect(written).not.toContain('\x1b[?25h');
    expect([screen.row, screen.col]).toEqual([3, 0]);
  });

  it('goes back under the frame when the chat ends, shown, so the shell starts there', () => {
    const { ink, show, output, terminal } = setup();
    ink(['answer', block('bye', 0), 'status']);
    show();
    output.dispose();
    expect(terminal.writes.join('')).not.toContain('\x1b[?25l');
    const screen = show();
    expect([screen.row, screen.col]).toEqual([3, 0]);
  });

  it('finds the way back after the terminal re-wrapped the rows under the block', () => {
    const { ink, show, terminal } = setup(40);
    ink([block('x', 1), 's'.repeat(30)]);
    show();
    // narrower: the 30-column status row now takes two rows under the prompt
    terminal.columns = 20;
    expect(terminal.writes).toEqual([]);
    ink([block('x', 1), 's'.repeat(15)]);
    // back from the prompt: 1 row for the prompt's, 2 for the status → \x1b[3B
    expect(terminal.writes.join('')).toContain('\x1b[?25l\x1b[3B\r');
  });
});
