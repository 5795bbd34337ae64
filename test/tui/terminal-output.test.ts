// The stdout wrapper that keeps a narrowing resize from leaving re-wrapped rows of the live
// region in the scrollback. (test/e2e/tui.test.ts checks the result in tmux, which reflows.)

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TerminalOutput, frameUpdate, rowUpdate, rowsAt, terminalReflows } from '../../src/tui/terminal-output.js';

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

/**
 * A small VT100 screen (one column per character): enough of one to check that what is sent
 * leaves the same rows on screen and in the scrollback as Ink's own full redraws. `\n` also
 * returns the carriage, as the tty's ONLCR makes it. Colours are kept as part of the text, so
 * a row drawn in other colours counts as different.
 */
class Screen {
  grid: string[][];
  scrollback: string[] = [];
  row = 0;
  col = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => this.blank());
  }
  blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }
  feed(text: string): void {
    // eslint-disable-next-line no-control-regex
    const token = /\x1b\[([0-9;?]*)([A-Za-z])|\n|\r|[^\x1b\n\r]/g;
    for (const [all, params, final] of text.matchAll(token)) {
      const n = Number(params || '1') || 1;
      if (all === '\n') {
        this.col = 0;
        if (this.row === this.rows - 1) {
          this.scrollback.push(this.line(this.grid.shift() ?? []));
          this.grid.push(this.blank());
        } else this.row++;
      } else if (all === '\r') this.col = 0;
      else if (final === undefined) {
        if (this.col >= this.columns) this.feed('\n');
        (this.grid[this.row] ?? [])[this.col++] = this.style.size === 0 ? all : `{${[...this.style].sort().join(';')}}${all}`;
      } else if (final === 'm') this.setStyle(params ?? '');
      else if (final === 'A') this.row = Math.max(0, this.row - n);
      else if (final === 'B') this.row = Math.min(this.rows - 1, this.row + n);
      else if (final === 'G') this.col = n - 1;
      else if (final === 'K' && params === '2') this.grid[this.row] = this.blank();
      else if (final === 'K') this.grid[this.row] = [...(this.grid[this.row] ?? []).slice(0, this.col), ...this.blank().slice(this.col)];
      else if (final === 'L' || final === 'M') {
        const rows = Array.from({ length: n }, () => this.blank());
        if (final === 'L') this.grid.splice(this.row, 0, ...rows).length;
        else this.grid.splice(this.row, n), this.grid.push(...rows);
        this.grid.length = this.rows;
        this.col = 0;
      } else if (!(final === 'h' || final === 'l') || !(params ?? '').startsWith('?')) throw new Error(`unexpected sequence ${JSON.stringify(all)}`);
    }
  }
  /** Bold, dim and inverse, as far as these tests use colours. */
  style = new Set<string>();
  setStyle(params: string): void {
    for (const code of params.split(';')) {
      if (code === '' || code === '0') this.style.clear();
      else if (code === '22') (this.style.delete('1'), this.style.delete('2'));
      else if (code === '27') this.style.delete('7');
      else this.style.add(code);
    }
  }
  line(cells: string[]): string {
    return cells.join('').trimEnd();
  }
  /** Scrollback and screen, trailing blank rows left out. */
  get text(): string {
    return [...this.scrollback, ...this.grid.map((cells) => this.line(cells))].join('\n').trimEnd();
  }
}

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
const dim = (text: string) => `\x1b[2m${text}\x1b[22m`;

/** Ink's writes for a sequence of renders: the live frame, and lines going to <Static> first. */
function inkWrites(renders: { staticLines?: string[]; frame: string[] }[]): string[][] {
  let previous = 0;
  return renders.map(({ staticLines, frame }) => {
    const text = frame.map((line) => `${line}\n`).join('');
    const writes = [BSU];
    if (staticLines !== undefined) {
      writes.push(erase(previous), staticLines.map((line) => `${line}\n`).join(''), text);
    } else writes.push(erase(previous) + text);
    writes.push(ESU);
    previous = frame.length + 1;
    return writes;
  });
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
    expect(terminal.writes).toEqual([`\x1b[4A\x1b[1M\x1b[3B${erase(4)}`]);
  });

  it('also catches a frame drawn for the old width after the terminal shrank, before the signal', () => {
    const { terminal, output } = setup(40);
    output.write(`${'x'.repeat(35)}\n› prompt\nstatus\n`);
    terminal.writes = [];
    terminal.columns = 20; // resized; SIGWINCH not handled yet
    const next = `${erase(4)}${'y'.repeat(35)}\n› prompt\nstatus\n`;
    output.write(next);
    // the old frame was re-wrapped: fixed before Ink's erase
    expect(terminal.writes).toEqual([`\x1b[4A\x1b[1M\x1b[3B${next}`]);
    // the new one wrapped as it was written: fixed before the next erase
    terminal.writes = [];
    terminal.emit('resize');
    output.write(erase(4));
    expect(terminal.writes).toEqual([`\x1b[4A\x1b[1M\x1b[3B${erase(4)}`]);
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
    output.write('\x1b[?2026l');
    // the three painted rows are erased from the bottom up (never ESC[J from the top, which
    // tmux would turn into scrollback), once, right before the first text
    expect(terminal.writes).toEqual(['\x1b[?25l', `\x1b[?2026h${'\x1b[2K\x1b[1A'.repeat(3)}\x1b[2K\x1b[Gheader\n› prompt\nstatus\n\x1b[?2026l`]);
  });

  it('sends the writes of one frame as one', () => {
    const { terminal, output } = setup();
    let written = 0;
    output.write(BSU);
    output.write('› prompt\n', () => written++);
    output.write('status\n');
    expect(terminal.writes).toEqual([]);
    output.write(ESU);
    expect(terminal.writes).toEqual([`${BSU}› prompt\nstatus\n${ESU}`]);
    expect(written).toBe(1);
  });

  it('sends a frame left open at the end of the event loop turn', async () => {
    const { terminal, output } = setup();
    output.write(BSU);
    output.write('› prompt\n');
    await Promise.resolve();
    expect(terminal.writes).toEqual([`${BSU}› prompt\n`]);
  });

  it('redraws only what changed, leaving the same screen and scrollback as full redraws', () => {
    const prompt = `${dim('› ')}\x1b[7mt\x1b[27m${dim('ype to queue your next message')}`;
    const status = dim('gpt-4.1-mini · openai · 0 in · 0 out');
    const renders: { staticLines?: string[]; frame: string[] }[] = [{ staticLines: ['hermes 0.1.0'], frame: [prompt, status] }];
    // an answer streaming: its last line grows, finished lines go to <Static>, the frame
    // grows by a row and shrinks again, a waiting line comes and goes, colours change
    renders.push({ frame: ['⠋ waiting', prompt, status] });
    renders.push({ frame: ['Line 1 of', prompt, status] });
    renders.push({ frame: ['Line 1 of the answer', prompt, status] });
    renders.push({ frame: ['Line 1 of the answer, done.', 'Line 2', prompt, status] });
    renders.push({ staticLines: ['Line 1 of the answer, done.'], frame: ['Line 2 goes on', prompt, status] });
    for (let i = 3; i < 30; i++) {
      renders.push({ staticLines: [`Line ${i - 1} goes on and ends.`], frame: [`Line ${i} starts`, prompt, status] });
      renders.push({ frame: [`Line ${i} starts \x1b[1mbold\x1b[22m and`, prompt, status] });
      renders.push({ frame: [`Line ${i} starts \x1b[1mbold\x1b[22m and goes on`, prompt, status] });
    }
    renders.push({ frame: ['Line 29 starts', '| a | b |', '| 1 | 2 |', prompt, status] });
    renders.push({ frame: ['Line 29', prompt, status.replace('0 in · 0 out', '12 in · 340 out')] });
    renders.push({ staticLines: ['Line 29 ends.', '', 'a table'], frame: [prompt, status] });

    const columns = 60;
    const rows = 12;
    const expected = new Screen(columns, rows);
    const actual = new Screen(columns, rows);
    const terminal = new FakeTerminal(columns, rows);
    const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows: true });
    let inkBytes = 0;
    for (const writes of inkWrites(renders)) {
      for (const write of writes) {
        expected.feed(write);
        output.write(write);
        inkBytes += write.length;
      }
      for (const write of terminal.writes) actual.feed(write);
      // after every frame: the same rows, and the cursor under the frame, at its first column
      expect(actual.text).toBe(expected.text);
      expect([actual.row, actual.col]).toEqual([expected.row, expected.col]);
      terminal.writes = [];
    }
    expect(actual.scrollback.length).toBeGreaterThan(20);
    expect(output.frame).toEqual([prompt, status]);
    let sent = 0;
    const again = new FakeTerminal(columns, rows);
    const second = new TerminalOutput(again as unknown as NodeJS.WriteStream, { reflows: true });
    for (const writes of inkWrites(renders)) for (const write of writes) second.write(write);
    for (const write of again.writes) sent += write.length;
    expect(sent).toBeLessThan(inkBytes / 2);
  });

  it('leaves the same screen as full redraws for arbitrary frames (seeded)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const words = ['a', 'bb', 'the', 'answer', '\x1b[1mbold\x1b[22m', '·', '› ', '', 'p', 's'];
    const row = () => Array.from({ length: random(5) }, () => words[random(words.length)]).join(' ');
    const renders = Array.from({ length: 300 }, () => ({
      staticLines: random(3) === 0 ? Array.from({ length: 1 + random(3) }, row) : undefined,
      frame: Array.from({ length: random(6) }, row),
    }));
    const expected = new Screen(40, 10);
    const actual = new Screen(40, 10);
    const terminal = new FakeTerminal(40, 10);
    const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows: true });
    for (const [i, writes] of inkWrites(renders).entries()) {
      for (const write of writes) {
        expected.feed(write);
        output.write(write);
      }
      for (const write of terminal.writes) actual.feed(write);
      terminal.writes = [];
      expect(actual.text, `render ${i}`).toBe(expected.text);
      expect([actual.row, actual.col]).toEqual([expected.row, expected.col]);
    }
  });

  it('turns a frame into another with inserted and deleted rows', () => {
    const cases: [string[], string[]][] = [
      [['a', 'p', 's'], ['a b', 'c', 'p', 's']],
      [['a', 'p', 's'], ['x', 'y', 'z', 'p', 's']],
      [['a', 'b', 'c', 'p', 's'], ['a', 'p', 's']],
      [['a', 'b', 'c', 'p', 's'], ['b', 's']],
      [['a', 'p'], ['q', 'r', 's', 't']],
      [['a', 'b', 'c'], []],
      [[], ['a', 'b']],
      [['same', 'rows'], ['same', 'rows']],
      [['long row here', 'p'], ['long', 'p']],
    ];
    for (const [before, after] of cases) {
      const expected = new Screen(20, 10);
      const actual = new Screen(20, 10);
      const start = `above\n${before.map((row) => `${row}\n`).join('')}`;
      expected.feed(start + erase(before.length + 1) + after.map((row) => `${row}\n`).join(''));
      actual.feed(start + frameUpdate(before, after));
      expect(actual.text, JSON.stringify([before, after])).toBe(expected.text);
      expect([actual.row, actual.col]).toEqual([expected.row, expected.col]);
    }
  });

  it('sends only the end of a row that grew, in the colours of what it continues', () => {
    expect(rowUpdate('Line 5 of the', 'Line 5 of the answer', true)).toBe('\x1b[14G answer\n');
    expect(rowUpdate('\x1b[1mLine 5\x1b[22m of', '\x1b[1mLine 5\x1b[22m of it', true)).toBe('\x1b[10G\x1b[1m\x1b[22m it\n');
    expect(rowUpdate('\x1b[1mLine 5', '\x1b[1mLine 5 goes', true)).toBe('\x1b[7G\x1b[1m goes\n');
    // a shorter row has its old end erased
    expect(rowUpdate('Line 5 of the', 'Line 5', true)).toBe('\x1b[7G\x1b[K\n');
    // past a character of uncertain width, or before a joining mark, the row is sent whole
    expect(rowUpdate('東京 a', '東京 ab', true)).toBe('東京 ab\n');
    expect(rowUpdate('cafe', 'cafe\u0301!', false)).toBe('\x1b[4Ge\u0301!\n');
    expect(rowUpdate('abc', 'xyz', false)).toBe('\rxyz\n');
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
