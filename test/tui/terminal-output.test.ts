// The stdout wrapper that keeps a narrowing resize from leaving re-wrapped rows of the live
// region in the scrollback. (test/e2e/tui.test.ts checks the result in tmux, which reflows.)

import { describe, expect, it } from 'vitest';
import { frameUpdate, rowUpdate } from '../../src/tui/frame-update.js';
import { TerminalOutput, terminalReflows } from '../../src/tui/terminal-output.js';
import { cropToWidth, outputWidth, rowsAt } from '../../src/tui/text-width.js';
import { FakeTerminal, Screen } from '../support/terminal.js';

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
      // after every frame: the same rows, and the cursor on the prompt's block (Ink leaves it
      // under the frame, at its first column; the prompt is the frame's last row but one)
      expect(actual.text).toBe(expected.text);
      expect([actual.row, actual.col]).toEqual([expected.row - 2, 2]);
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

  it('keeps painted rows above Ink\'s frame: the same screen as if Ink drew them (seeded)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const words = ['a', 'bb', 'the', 'answer', '\x1b[1mbold\x1b[22m', '·', '› ', '', 'p', 's'];
    const row = () => Array.from({ length: random(5) }, () => words[random(words.length)]).join(' ');
    const rows = (most: number) => Array.from({ length: random(most + 1) }, row);
    const columns = 40;
    const height = 10;
    const expected = new Screen(columns, height);
    const actual = new Screen(columns, height);
    const terminal = new FakeTerminal(columns, height);
    const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows: true });
    // the reference: one program drawing the pane and Ink's frame as one frame, redrawn whole
    let pane: string[] = [];
    let frame: string[] = [];
    let shown = 0;
    const reference = (committed: string[]) => {
      const live = [...pane, ...frame];
      expected.feed(erase(shown) + committed.map((line) => `${line}\n`).join('') + live.map((line) => `${line}\n`).join(''));
      shown = live.length + 1;
    };
    let inkShown = 0;
    for (let step = 0; step < 400; step++) {
      if (random(2) === 0) {
        // Ink renders, sometimes with static output; its frame always has a row (the prompt)
        const staticLines = random(4) === 0 ? rows(2) : undefined;
        frame = [...rows(3), row()];
        const writes = [BSU];
        const text = frame.map((line) => `${line}\n`).join('');
        if (staticLines !== undefined) writes.push(erase(inkShown), staticLines.map((line) => `${line}\n`).join(''), text);
        else writes.push(erase(inkShown) + text);
        writes.push(ESU);
        inkShown = frame.length + 1;
        for (const write of writes) output.write(write);
        reference(staticLines ?? []);
      } else {
        const committed = random(3) === 0 ? rows(3) : [];
        pane = rows(5);
        output.paint(committed.map((line) => `${line}\n`).join(''), pane);
        reference(committed);
      }
      for (const write of terminal.writes) actual.feed(write);
      terminal.writes = [];
      expect(actual.text, `step ${step}`).toBe(expected.text);
      expect([actual.row, actual.col], `step ${step}`).toEqual([expected.row, expected.col]);
      expect(output.pane).toEqual(pane);
    }
    expect(actual.scrollback.length).toBeGreaterThan(50);
  });

  it('draws the pane again under Ink\'s own clear, and forgets it when the screen is cleared', () => {
    const { terminal, output } = setup(40);
    output.write('› prompt\nstatus\n');
    output.paint('', ['tail of the answer']);
    terminal.writes = [];
    // Ink clears its frame outside a frame of its own (a resize): the pane is drawn again, and
    // the cursor is left where Ink's frame starts
    output.write(erase(3));
    expect(terminal.writes).toEqual([`${erase(4)}tail of the answer\n`]);
    expect(output.pane).toEqual(['tail of the answer']);
    output.write('› prompt\nstatus\n');
    // Ctrl+L: the screen is cleared and Ink draws its frame at the top; the pane is gone until
    // the next paint, which puts it back above the frame
    output.write('\x1b[2J\x1b[H');
    expect(output.pane).toEqual([]);
    output.write('› prompt\nstatus\n');
    terminal.writes = [];
    output.paint('', ['tail']);
    const screen = new Screen(40, 24);
    screen.feed('› prompt\nstatus\n');
    for (const write of terminal.writes) screen.feed(write);
    expect(screen.text).toBe('tail\n› prompt\nstatus');
  });

  it('never lets a painted row wrap: rows laid out for a wider terminal are cut to its width', () => {
    const { terminal, output } = setup(40);
    output.write('› prompt\nstatus\n');
    const wide = `\x1b[1m${'w'.repeat(30)}\x1b[22m${'x'.repeat(30)}`;
    output.paint('', [wide]);
    terminal.columns = 20; // narrowed; the rows given were laid out for 40
    output.paint('', [wide, 'short']);
    // one column short of the width, as the transcript lays out rows
    expect(output.pane.map(outputWidth)).toEqual([19, 5]);
    expect(output.pane[0]).toBe(`\x1b[1m${'w'.repeat(19)}\x1b[0m`);
    // Ink clearing its frame on the resize draws the pane again, cut to the width there is
    terminal.columns = 10;
    output.write(erase(3));
    expect(output.pane.map(outputWidth)).toEqual([9, 5]);
  });

  it('cuts rows by display width, keeping their colours', () => {
    expect(cropToWidth('plain', 10)).toBe('plain');
    expect(cropToWidth('東京東京', 5)).toBe('東京\x1b[0m');
    expect(cropToWidth('\x1b[2mab\x1b[22mcd', 3)).toBe('\x1b[2mab\x1b[22mc\x1b[0m');
  });

  it('paints nothing when nothing changed, and one synchronized write otherwise', () => {
    const { terminal, output } = setup(40);
    output.write('› prompt\nstatus\n');
    terminal.writes = [];
    output.paint('', []);
    expect(terminal.writes).toEqual([]);
    output.paint('line one\n', ['line two so far']);
    output.paint('', ['line two so far']);
    expect(terminal.writes).toHaveLength(1);
    expect(terminal.writes[0]?.startsWith(BSU) && terminal.writes[0]?.endsWith(ESU)).toBe(true);
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
