// The stdout wrapper that keeps a narrowing resize from leaving re-wrapped rows of the live
// region in the scrollback. (test/e2e/tui.test.ts checks the result in tmux, which reflows.)

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TerminalOutput, rowsAt, terminalReflows } from '../../src/tui/terminal-output.js';

class FakeTerminal extends EventEmitter {
  isTTY = true;
  writable = true;
  destroyed = false;
  writableEnded = false;
  writableLength = 0;
  writes: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  getWindowSize(): [number, number] {
    return [this.columns, this.rows];
  }
  write(chunk: string, callback?: () => void): boolean {
    this.writes.push(chunk);
    callback?.();
    return true;
  }
}

function setup(columns = 40, reflows = true) {
  const terminal = new FakeTerminal(columns, 24);
  const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows });
  const resizes: number[] = [];
  output.on('resize', () => resizes.push(terminal.columns));
  return { terminal, output, resizes };
}

// What Ink writes: eraseLines(n) then the frame, ending with a newline.
const erase = (n: number) => '\x1b[2K\x1b[1A'.repeat(Math.max(0, n - 1)) + (n > 0 ? '\x1b[2K\x1b[G' : '');

describe('TerminalOutput', () => {
  it('follows the live frame Ink draws, through static output and clears', () => {
    const { output } = setup();
    output.write('› prompt\nstatus line\n');
    expect(output.frame).toEqual(['› prompt', 'status line']);
    output.write('\x1b[?2026h');
    output.write(`${erase(3)}tail of the answer\n› prompt\nstatus line\n`);
    expect(output.frame).toEqual(['tail of the answer', '› prompt', 'status line']);
    // a commit: clear, the static lines, the frame again
    output.write(erase(4));
    expect(output.frame).toEqual([]);
    output.write('committed line one\ncommitted line two\n');
    output.write('› prompt\nstatus line\n');
    expect(output.frame).toEqual(['› prompt', 'status line']);
    // bracketed paste and clipboard sequences are not frames
    output.write('\x1b[?2004h');
    output.write('\x1b]52;c;aGk=\x07');
    expect(output.frame).toEqual(['› prompt', 'status line']);
  });

  it('deletes the rows a narrowing re-wrap added to the frame before Ink erases it', () => {
    const { terminal, output, resizes } = setup(40);
    const long = 'x'.repeat(35);
    output.write(`${long}\n› prompt\nstatus\n`);
    terminal.writes = [];
    terminal.columns = 20;
    terminal.emit('resize');
    expect(resizes).toEqual([20]);
    // Ink's resize handler clears its 3 lines (4 rows with the cursor's)
    output.write(erase(4));
    // 35 columns take 2 rows at 20: the frame went from 3 rows to 4, one extra
    expect(terminal.writes).toEqual(['\x1b[4A\x1b[1M\x1b[3B', erase(4)]);
  });

  it('also catches a frame drawn for the old width after the terminal shrank, before the signal', () => {
    const { terminal, output } = setup(40);
    output.write(`${'x'.repeat(35)}\n› prompt\nstatus\n`);
    terminal.writes = [];
    terminal.columns = 20; // resized; SIGWINCH not handled yet
    const next = `${erase(4)}${'y'.repeat(35)}\n› prompt\nstatus\n`;
    output.write(next);
    // the old frame was re-wrapped: fixed before Ink's erase
    expect(terminal.writes).toEqual(['\x1b[4A\x1b[1M\x1b[3B', next]);
    // the new one wrapped as it was written: fixed before the next erase
    terminal.writes = [];
    terminal.emit('resize');
    output.write(erase(4));
    expect(terminal.writes).toEqual(['\x1b[4A\x1b[1M\x1b[3B', erase(4)]);
  });

  it('does nothing when the terminal widens, when nothing re-wraps, or when it truncates', () => {
    const wide = setup(40);
    wide.output.write(`${'x'.repeat(35)}\nstatus\n`);
    wide.terminal.writes = [];
    wide.terminal.columns = 80;
    wide.terminal.emit('resize');
    wide.terminal.columns = 36;
    wide.terminal.emit('resize');
    wide.output.write(erase(3));
    expect(wide.terminal.writes).toEqual([erase(3)]);
    expect(wide.resizes).toEqual([80, 36]);

    const truncating = setup(40, false);
    truncating.output.write(`${'x'.repeat(35)}\nstatus\n`);
    truncating.terminal.writes = [];
    truncating.terminal.columns = 10;
    truncating.terminal.emit('resize');
    truncating.output.write(erase(3));
    expect(truncating.terminal.writes).toEqual([erase(3)]);
  });

  it('replaces the screen painted before Ink loaded with Ink\'s first frame', () => {
    const terminal = new FakeTerminal(40, 24);
    const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows: true, prepainted: 3 });
    output.write('\x1b[?25l');
    output.write('\x1b[?2026h');
    output.write('header\n');
    output.write('› prompt\nstatus\n');
    // the three painted rows are erased from the bottom up (never ESC[J from the top, which
    // tmux would turn into scrollback), once, right before the first text
    expect(terminal.writes).toEqual(['\x1b[?25l', '\x1b[?2026h', `${'\x1b[2K\x1b[1A'.repeat(3)}\x1b[2K\x1b[G`, 'header\n', '› prompt\nstatus\n']);
  });

  it('counts rows by display width, escape sequences excluded', () => {
    expect(rowsAt(['\x1b[1mbold\x1b[22m', '東京東京東京', ''], 4)).toBe(1 + 3 + 1);
  });

  it('knows which terminals reflow', () => {
    expect(terminalReflows({ TMUX: '/tmp/tmux-0/default,1,0', XTERM_VERSION: 'XTerm(390)' })).toBe(true);
    expect(terminalReflows({ XTERM_VERSION: 'XTerm(390)' })).toBe(false);
    expect(terminalReflows({ TERM: 'rxvt-unicode-256color' })).toBe(false);
    expect(terminalReflows({ TERM: 'xterm-256color' })).toBe(true);
  });
});
