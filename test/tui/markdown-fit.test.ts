// Markdown that fits the terminal: every row the renderer commits is narrower than the
// terminal (it never spills onto the next row, where it would break a table's borders, a code
// block's frame or a list's indent), at 80 and at 40 columns, streamed or not.

import { describe, expect, it } from 'vitest';
import { createLazyHighlighter } from '../../src/tui/highlight.js';
import { MarkdownRenderer } from '../../src/tui/markdown.js';
import { displayWidth, stripSgr } from '../../src/tui/text-width.js';
import { createTheme } from '../../src/tui/theme.js';
import { Transcript } from '../../src/tui/transcript.js';

const color = createTheme(true);
const plain = createTheme(false);

function render(text: string, columns: number, theme = color): string[] {
  const r = new MarkdownRenderer({ theme, width: () => columns });
  const out: string[] = [];
  for (const line of text.split('\n')) out.push(...r.line(line));
  out.push(...r.end());
  return out;
}

/** Every row at most one column narrower than the terminal. */
function expectFits(rows: readonly string[], columns: number): void {
  for (const row of rows) expect(displayWidth(row), `too wide for ${columns} columns: ${stripSgr(row)}`).toBeLessThan(columns);
}

const WIDE_TABLE = [
  '| Name | Role | Notes |',
  '|------|:----:|-------|',
  '| Alice | Engineer | Builds the streaming renderer and keeps the live region small |',
  '| Bob | Designer | Draws |',
].join('\n');

const MANY_COLUMNS = [
  '| A | B | C | D | E | F | G |',
  '|---|---|---|---|---|---|---|',
  '| alpha one | beta two | gamma three | delta four | epsilon five | zeta six | eta seven |',
  '| 1 | 2 | 3 | 4 | 5 | 6 | 7 |',
].join('\n');

describe('tables wider than the terminal', () => {
  it('keeps a table that fits as it was', () => {
    expect(render('| a | b |\n|---|---|\n| x | y |', 40).map(stripSgr)).toEqual(['  a │ b', '  ──┼──', '  x │ y']);
  });

  it('shrinks the widest column and wraps its cells inside it, rows ruled apart (40 columns)', () => {
    const out = render(WIDE_TABLE, 40);
    expectFits(out, 40);
    expect(out.map(stripSgr)).toEqual([
      '  Name  │   Role   │ Notes',
      '  ──────┼──────────┼───────────────────',
      '  Alice │ Engineer │ Builds the',
      '        │          │ streaming renderer',
      '        │          │ and keeps the live',
      '        │          │ region small',
      '  ──────┼──────────┼───────────────────',
      '  Bob   │ Designer │ Draws',
    ]);
  });

  it('fits 80 columns too, every column border in its place', () => {
    const out = render(WIDE_TABLE.replace('small', 'small, and more words, so many that they do not fit'), 80).map(stripSgr);
    expectFits(out, 80);
    const bars = out.filter((row) => row.includes('│')).map((row) => [...row].flatMap((ch, i) => (ch === '│' ? [i] : [])).join());
    expect(new Set(bars).size).toBe(1);
  });

  it('shows one key: value block per row when even narrow columns cannot fit', () => {
    for (const theme of [color, plain]) {
      const out = render(MANY_COLUMNS, 40, theme);
      expectFits(out, 40);
      expect(out.map(stripSgr)).toEqual([
        '  A: alpha one',
        '  B: beta two',
        '  C: gamma three',
        '  D: delta four',
        '  E: epsilon five',
        '  F: zeta six',
        '  G: eta seven',
        '',
        '  A: 1',
        '  B: 2',
        '  C: 3',
        '  D: 4',
        '  E: 5',
        '  F: 6',
        '  G: 7',
      ]);
    }
  });

  it('shows the rows collected so far laid out to fit while the table streams, not as pipes', () => {
    const r = new MarkdownRenderer({ theme: color, width: () => 40 });
    for (const line of WIDE_TABLE.split('\n').slice(0, 3)) r.line(line);
    const live = r.held(4);
    expectFits(live, 40);
    expect(live.map(stripSgr)).toEqual(['  Alice │ Engineer │ Builds the', '        │          │ streaming renderer', '        │          │ and keeps the live', '        │          │ region small']);
  });

  it('wraps a long value of a key: value block under its first row', () => {
    const out = render('| K | V | W | X | Y | Z | Q |\n|-|-|-|-|-|-|-|\n| kkk | a value that goes on for longer than forty columns | www | xxx | yyy | zzz | qqq |', 40).map(stripSgr);
    expect(out.slice(0, 3)).toEqual(['  K: kkk', '  V: a value that goes on for longer', '     than forty columns']);
  });
});

describe('long code lines', () => {
  const LINE = 'const veryLongVariableName = someFunction(argumentNumberOne, argumentNumberTwo);';

  it('go on in the next row inside the frame, behind a continuation mark, nothing lost', () => {
    for (const theme of [color, plain]) {
      const out = render(`\`\`\`js\n${LINE}\nshort()\n\`\`\``, 40, theme);
      expectFits(out, 40);
      const rows = out.map(stripSgr);
      expect(rows).toEqual([
        '  ╭─ js',
        '  │ const veryLongVariableName = someFu',
        '  │ ↪ nction(argumentNumberOne, argumen',
        '  │ ↪ tNumberTwo);',
        '  │ short()',
        '  ╰─',
      ]);
      // every character kept, spaces included
      expect(rows.slice(1, 4).map((row) => row.replace(/^ {2}│ (↪ )?/, '')).join('')).toBe(LINE);
    }
  });

  it('mark the continuation dim, apart from the code', () => {
    const out = render(`\`\`\`\n${LINE}\n\`\`\``, 40);
    expect(out[2]).toContain(color.dim('↪ '));
  });

  it('keep their highlighting on the continuation rows', async () => {
    const highlighter = createLazyHighlighter({ theme: color });
    const r = new MarkdownRenderer({ theme: color, width: () => 40, highlighter });
    r.line('```js');
    await highlighter.loaded;
    const rows = r.line('const message = "a string long enough to go on past the edge";');
    expectFits(rows, 40);
    expect(rows.map(stripSgr)).toEqual(['  │ const message = "a string long enou', '  │ ↪ gh to go on past the edge";']);
    // the string's colour is opened again after the mark
    expect(rows[1]).toMatch(/↪ .*\x1b\[32m.*gh to go on/);
  });

  it('fit 80 columns', () => {
    const out = render(`\`\`\`\n${LINE} ${LINE}\n\`\`\``, 80);
    expectFits(out, 80);
    expect(out.map(stripSgr).filter((row) => row.startsWith('  │ ↪ '))).toHaveLength(2);
  });
});

describe('list items, quotes and rules', () => {
  it('wrap a list item with its rows under the item text (40 columns)', () => {
    const out = render('- a list item that is long enough to wrap around at forty columns\n  - a nested item that also goes on for longer than the width\n1. an ordered item long enough to wrap around the terminal', 40);
    expectFits(out, 40);
    expect(out.map(stripSgr)).toEqual([
      '• a list item that is long enough to',
      '  wrap around at forty columns',
      '  ◦ a nested item that also goes on for',
      '    longer than the width',
      '1. an ordered item long enough to wrap',
      '   around the terminal',
    ]);
  });

  it('wrap at 80 columns too', () => {
    const out = render(`- ${'word '.repeat(30).trim()}\n> ${'quoted '.repeat(20).trim()}`, 80);
    expectFits(out, 80);
    expect(out.map(stripSgr)).toEqual([
      `• ${'word '.repeat(15).trim()}`,
      `  ${'word '.repeat(15).trim()}`,
      `│ ${'quoted '.repeat(11).trim()}`,
      `│ ${'quoted '.repeat(9).trim()}`,
    ]);
  });

  it('wrap a task and a plain list item the same way', () => {
    expect(render('- [ ] a task that is long enough to wrap around at forty', 40).map(stripSgr)).toEqual(['☐ a task that is long enough to wrap', '  around at forty']);
    expect(render('- a plain list item that is long enough to wrap around', 40, plain)).toEqual(['- a plain list item that is long enough', '  to wrap around']);
  });

  it('repeat the quote bar on every row of a wrapped quote', () => {
    const text = '> a quote that is long enough to wrap around the terminal at forty';
    expect(render(text, 40).map(stripSgr)).toEqual(['│ a quote that is long enough to wrap', '│ around the terminal at forty']);
    expect(render(text, 40, plain)).toEqual(['> a quote that is long enough to wrap', '> around the terminal at forty']);
  });

  it('draw a rule one column narrower than the terminal', () => {
    expect(render('---', 40).map(stripSgr)).toEqual(['─'.repeat(39)]);
    expect(render('***', 80).map(stripSgr)).toEqual(['─'.repeat(79)]);
    expect(render('___', 120).map(stripSgr)).toEqual(['─'.repeat(80)]);
  });
});

describe('while the answer streams', () => {
  const ANSWER = [
    'Here:',
    WIDE_TABLE,
    '',
    '```js',
    'const veryLongVariableName = someFunction(argumentNumberOne, argumentNumberTwo);',
    '```',
    '- a list item that is long enough to wrap around at forty columns',
    '> a quote that is long enough to wrap around the terminal at forty',
    '---',
    'done',
  ].join('\n');

  it('commits every line once, each row fitting, and the live rows fit too (40 columns)', () => {
    const t = new Transcript({ theme: color, width: () => 40, errorContext: () => ({ provider: 'openai', stallTimeoutMs: 30_000, secrets: [] }) });
    t.prompt('q');
    t.take();
    const committed: string[] = [];
    for (let i = 0; i < ANSWER.length; i += 3) {
      t.text(ANSWER.slice(i, i + 3));
      committed.push(...t.take());
      expectFits(t.view(40, 8).answer, 40);
    }
    t.event({ type: 'message', message: { role: 'assistant', content: ANSWER, toolCalls: [] } as never });
    committed.push(...t.take());
    expectFits(committed, 40);
    expect(committed.map(stripSgr)).toEqual(render(ANSWER, 40).map(stripSgr));
    expect(committed.map(stripSgr)).toContain('  │ ↪ nction(argumentNumberOne, argumen');
  });
});
