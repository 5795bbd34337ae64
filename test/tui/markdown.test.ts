// Markdown rendered line by line, as the TUI commits an answer while it streams.

import { describe, expect, it } from 'vitest';
import { createLazyHighlighter } from '../../src/tui/highlight.js';
import { MarkdownRenderer, renderInline, type CodeHighlighter } from '../../src/tui/markdown.js';
import { stripSgr } from '../../src/tui/text-width.js';
import { createTheme } from '../../src/tui/theme.js';

const color = createTheme(true);
const plain = createTheme(false);

/** Feeds whole lines, then ends the answer; returns every committed line. */
function renderAll(text: string, renderer = new MarkdownRenderer({ theme: color })): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) out.push(...renderer.line(line));
  out.push(...renderer.end());
  return out;
}

const SGR = /\x1b\[[0-9;]*m/;

describe('inline markdown', () => {
  it('styles bold, italics and inline code and drops their markers', () => {
    const out = renderInline('a **bold** and *it* and `x * y` and _under_ done', color);
    expect(stripSgr(out)).toBe('a bold and it and x * y and under done');
    expect(out).toContain('\x1b[1mbold\x1b[22m');
    expect(out).toContain('\x1b[3mit\x1b[23m');
    expect(out).toContain('\x1b[36mx * y\x1b[39m');
  });

  it('shows a link with its address', () => {
    const out = stripSgr(renderInline('see [the docs](https://example.com/a_(b)) and <https://x.org>', color));
    expect(out).toBe('see the docs (https://example.com/a_(b)) and https://x.org');
  });

  it('leaves snake_case, lone stars and unclosed markers alone', () => {
    expect(stripSgr(renderInline('snake_case_name 2 * 3 **open', color))).toBe('snake_case_name 2 * 3 **open');
  });

  it('does not style inside code spans and honours backslash escapes', () => {
    expect(stripSgr(renderInline('`**not bold**` \\*literal\\*', color))).toBe('**not bold** *literal*');
  });

  it('is plain text without colour', () => {
    expect(renderInline('a **b** `c`', plain)).toBe('a **b** `c`');
  });
});

describe('block markdown, line by line', () => {
  it('renders headings, lists, quotes and rules without their markup', () => {
    const out = renderAll('# Title\n## Sub\n- one\n  - nested\n1. first\n- [x] done\n> quoted **text**\n---').map(stripSgr);
    expect(out).toEqual(['Title', 'Sub', '• one', '  ◦ nested', '1. first', '☑ done', '│ quoted text', '─'.repeat(79)]);
  });

  it('commits each line as soon as it is given, outside tables', () => {
    const r = new MarkdownRenderer({ theme: color });
    expect(r.line('first paragraph').map(stripSgr)).toEqual(['first paragraph']);
    expect(r.line('').map(stripSgr)).toEqual(['']);
  });

  it('frames a fenced code block, indented, and commits its lines as they finish', () => {
    const r = new MarkdownRenderer({ theme: plain });
    expect(r.line('```python')).toEqual(['  ╭─ python']);
    expect(r.line('def f():')).toEqual(['  │ def f():']);
    expect(r.line('    return 1')).toEqual(['  │     return 1']);
    expect(r.line('```')).toEqual(['  ╰─']);
    expect(r.line('after')).toEqual(['after']);
  });

  it('closes the frame of a code block the answer never closed', () => {
    expect(renderAll('```\ncode').map(stripSgr)).toEqual(['  ╭─', '  │ code', '  ╰─']);
    expect(renderAll('```\ncode', new MarkdownRenderer({ theme: plain }))).toEqual(['  ╭─', '  │ code', '  ╰─']);
  });

  it('does not treat markdown inside a code block as markdown', () => {
    const out = renderAll('```md\n# not a heading\n**not bold**\n```', new MarkdownRenderer({ theme: plain }));
    expect(out).toEqual(['  ╭─ md', '  │ # not a heading', '  │ **not bold**', '  ╰─']);
  });

  it('holds table rows until the table ends (showing them live laid out), then aligns the columns', () => {
    const r = new MarkdownRenderer({ theme: color });
    expect(r.line('| Name | Qty |')).toEqual([]);
    expect(r.line('|:-----|----:|')).toEqual([]);
    expect(r.line('| apple | 3 |')).toEqual([]);
    // shown live as it would be laid out if it ended now
    expect(r.held().map(stripSgr)).toEqual(['  Name  │ Qty', '  ──────┼────', '  apple │   3']);
    expect(r.held(1).map(stripSgr)).toEqual(['  apple │   3']);
    expect(r.line('| kiwi | 12 |')).toEqual([]);
    const out = r.line('after the table').map(stripSgr);
    expect(out).toEqual(['  Name  │ Qty', '  ──────┼────', '  apple │   3', '  kiwi  │  12', 'after the table']);
    expect(r.held()).toEqual([]);
  });

  it('aligns a table that ends the answer', () => {
    const out = renderAll('| a | b |\n|---|---|\n| **x** | `y` |').map(stripSgr);
    expect(out).toEqual(['  a │ b', '  ──┼──', '  x │ y']);
  });

  it('prints pipes that are not a table as they are', () => {
    expect(renderAll('| just a line |\nnext', new MarkdownRenderer({ theme: plain }))).toEqual(['| just a line |', 'next']);
  });

  it('emits no escape sequence at all without colour', () => {
    const out = renderAll('# T\n**b** `c` [l](http://u)\n```js\nconst x = 1;\n```\n| a |\n|---|\n| 1 |', new MarkdownRenderer({ theme: plain }));
    for (const line of out) expect(line).not.toMatch(SGR);
  });
});

describe('code highlighting', () => {
  it('highlights code in the fence language with cli-highlight, loaded on the first block', async () => {
    let loads = 0;
    let ready = () => {};
    const readyPromise = new Promise<void>((resolve) => (ready = resolve));
    const highlighter = createLazyHighlighter({
      theme: color,
      onReady: () => ready(),
      load: async () => {
        loads++;
        return (await import('cli-highlight')) as never;
      },
    });
    const r = new MarkdownRenderer({ theme: color, highlighter });
    expect(r.line('intro')).toHaveLength(1);
    expect(loads).toBe(0); // nothing loaded before the first code block

    expect(r.line('```js')).toHaveLength(1);
    // while the highlighter loads, code lines wait (shown live) rather than go out plain
    expect(r.line('const s = "text"; // note')).toEqual([]);
    expect(r.held().map(stripSgr)).toEqual(['  │ const s = "text"; // note']);
    await readyPromise;
    const drained = r.drain();
    expect(drained).toHaveLength(1);
    expect(stripSgr(drained[0]!)).toBe('  │ const s = "text"; // note');
    expect(drained[0]).toContain('\x1b[35mconst\x1b[39m'); // keyword
    expect(drained[0]).toContain('\x1b[32m"text"\x1b[39m'); // string
    expect(loads).toBe(1);
  });

  it('shows what waits for the highlighter as it will look: the block, its end, what follows', () => {
    const loading: CodeHighlighter = { state: () => 'loading', request: () => {}, highlight: (c) => c };
    const r = new MarkdownRenderer({ theme: plain, highlighter: loading });
    r.line('```js');
    for (const line of ['x()', '```', '| a |', 'after']) expect(r.line(line)).toEqual([]);
    expect(r.held()).toEqual(['  │ x()', '  ╰─', '| a |', 'after']);
    expect(r.preview('more')).toEqual(['more']);
    r.line('```');
    expect(r.preview('in code')).toEqual(['  │ in code']);
  });

  it('leaves code in an unknown language plain', async () => {
    const highlighter = createLazyHighlighter({ theme: color });
    const r = new MarkdownRenderer({ theme: color, highlighter });
    r.line('```nosuchlanguage');
    await highlighter.loaded;
    expect(r.drain()).toEqual([]);
    expect(r.line('const x = 1')).toEqual([`${color.dim('  │')} const x = 1`]);
  });

  it('commits waiting code plain when the answer ends before the highlighter loads', () => {
    const never: CodeHighlighter = { state: () => 'loading', request: () => {}, highlight: (c) => c };
    const r = new MarkdownRenderer({ theme: plain, highlighter: never });
    expect(r.line('```js')).toEqual(['  ╭─ js']);
    expect(r.line('x()')).toEqual([]);
    expect(r.end()).toEqual(['  │ x()', '  ╰─']);
  });

  it('never loads or applies highlighting without colour', () => {
    let loads = 0;
    const highlighter = createLazyHighlighter({ theme: plain, load: async () => (loads++, {} as never) });
    const r = new MarkdownRenderer({ theme: plain, highlighter });
    expect(r.line('```js')).toEqual(['  ╭─ js']);
    expect(r.line('const x = 1')).toEqual(['  │ const x = 1']);
    expect(loads).toBe(0);
  });
});
