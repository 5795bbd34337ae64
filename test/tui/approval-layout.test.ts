import { describe, expect, it } from 'vitest';
import { CHOOSING, type PromptState } from '../../src/tui/approval-keys.js';
import { decisionLines, promptLayout, type PromptSize } from '../../src/tui/approval-layout.js';
import { displayWidth, stripSgr } from '../../src/tui/text-width.js';
import { createTheme } from '../../src/tui/theme.js';
import { approvalRequest as request } from '../support/approval-request.js';

const plain = createTheme(false);
const colour = createTheme(true);
const WIDE: PromptSize = { columns: 100, maxRows: 20 };

const rowsOf = (...args: Parameters<typeof promptLayout>) => promptLayout(...args).rows.map(stripSgr);

describe('promptLayout', () => {
  it('shows the command and the choices, the first selected', () => {
    expect(rowsOf(request(), CHOOSING, plain, WIDE)).toEqual([
      '? allow run_shell?',
      '  $ npm test',
      '❯ y once',
      '  a always for run_shell this session',
      '  n deny',
      '  ↑/↓ select · enter confirm · esc interrupt',
    ]);
    const down: PromptState = { ...CHOOSING, selected: 2 };
    expect(rowsOf(request(), down, plain, WIDE).slice(2, 5)).toEqual(['  y once', '  a always for run_shell this session', '❯ n deny']);
  });

  it('says so when what was typed went to the input box', () => {
    expect(rowsOf(request(), { ...CHOOSING, aside: true }, plain, WIDE).at(-1)).toBe(
      '  what you typed went to the input box; choose with ↑/↓ and enter · esc interrupt',
    );
  });

  it('paints an always-ask call red, with what makes it dangerous, and offers no "always"', () => {
    const layout = promptLayout(
      request({ kind: 'always-ask', summary: 'rm -rf ~/', danger: { id: 'recursive-delete-outside', description: 'deletes recursively outside the working folder' } }),
      CHOOSING,
      colour,
      WIDE,
    );
    expect(layout.rows[0]!.startsWith('\x1b[31m')).toBe(true);
    expect(layout.rows.map(stripSgr)).toEqual([
      '⚠ run_shell: this command deletes recursively outside the working folder — it always asks',
      '  $ rm -rf ~/',
      '❯ y once',
      '  n deny',
      '  ↑/↓ select · enter confirm · esc interrupt',
    ]);
    expect(layout.rows[1]).toBe('  $ \x1b[31mrm -rf ~/\x1b[39m');
  });

  it('says when the path is outside the working folder, and how many questions wait', () => {
    const rows = rowsOf(request({ call: { id: 'c', name: 'read_file', arguments: '{}' }, summary: '/etc/hosts', outsideCwd: true }), CHOOSING, plain, { ...WIDE, waiting: 2 });
    expect(rows[0]).toBe('? allow read_file (outside the working folder)? · 2 more waiting');
  });

  it('shows the whole of a long command, wrapped to the width, never cut; a break inside a word is marked', () => {
    const command = `echo ${'x'.repeat(150)} && touch SURPRISE`;
    const rows = rowsOf(request({ summary: command }), CHOOSING, plain, { columns: 80, maxRows: 20 });
    const body = rows.slice(1, rows.indexOf('❯ y once'));
    expect(body).toEqual(['  $ echo', `    ${'x'.repeat(75)}`, `  ↪ ${'x'.repeat(75)}`, '    && touch SURPRISE']);
    for (const row of rows) expect(displayWidth(row)).toBeLessThan(80);
    // read back: a marked row goes on without a space, any other after one
    const read = body.map((row, i) => (i === 0 ? row.slice(4) : row.startsWith('  ↪ ') ? row.slice(4) : ` ${row.slice(4)}`)).join('');
    expect(read).toBe(command);
  });

  it('a break at a space is not marked: `rm -rf / tmp` does not read as `rm -rf /tmp`', () => {
    const command = `${'a'.repeat(66)} rm -rf / tmp`;
    const body = rowsOf(request({ summary: command }), CHOOSING, plain, { columns: 80, maxRows: 20 }).slice(1, 3);
    expect(body).toEqual([`  $ ${'a'.repeat(66)} rm -rf /`, '    tmp']);
    const joined = `${'a'.repeat(66)} rm -rf /tmp`;
    expect(rowsOf(request({ summary: joined }), CHOOSING, plain, { columns: 80, maxRows: 20 }).slice(1, 3)).toEqual([`  $ ${'a'.repeat(66)} rm -rf`, '    /tmp']);
  });

  it('wraps the choices and the legend at 40 columns instead of cutting them', () => {
    const rows = rowsOf(request({ call: { id: 'c', name: 'mcp_filesystem_write', arguments: '{}' } }), CHOOSING, plain, { columns: 40, maxRows: 20 });
    for (const row of rows) expect(displayWidth(row)).toBeLessThan(40);
    expect(rows).toContain('  n deny');
    expect(rows.join(' ')).toContain('a always for mcp_filesystem_write');
    expect(rows.join(' ').replace(/\s+/g, ' ')).toContain('enter confirm · esc interrupt');
  });

  it('shows a diff coloured by line, without its file header', () => {
    const diff = ['--- a/x.ts', '+++ b/x.ts', '@@ -1,3 +1,3 @@', ' keep', '-old', '+new'].join('\n');
    const layout = promptLayout(request({ call: { id: 'c', name: 'edit_file', arguments: '{}' }, summary: 'x.ts', diff }), CHOOSING, colour, WIDE);
    expect(layout.rows.slice(1, 6).map(stripSgr)).toEqual(['  x.ts', '  @@ -1,3 +1,3 @@', '   keep', '  -old', '  +new']);
    expect(layout.rows[4]).toBe('  \x1b[31m-old\x1b[39m');
    expect(layout.rows[5]).toBe('  \x1b[32m+new\x1b[39m');
  });

  it('pages a body taller than the rows it may take, saying which lines are shown, and fits them', () => {
    const summary = Array.from({ length: 30 }, (_, i) => `echo ${i}`).join('\n');
    const size = { columns: 80, maxRows: 12 };
    const first = promptLayout(request({ summary }), CHOOSING, plain, size);
    expect(first.rows).toHaveLength(12);
    // title, 6 lines, where, 3 choices, legend
    expect(first.body).toEqual({ total: 30, page: 6 });
    expect(first.rows.slice(1, 8)).toEqual(['  $ echo 0', '    echo 1', '    echo 2', '    echo 3', '    echo 4', '    echo 5', '  lines 1-6 of 30 · PgUp/PgDn scroll']);
    const later = promptLayout(request({ summary }), { ...CHOOSING, top: 6 }, plain, size);
    expect(later.rows.slice(1, 8)).toEqual(['    echo 6', '    echo 7', '    echo 8', '    echo 9', '    echo 10', '    echo 11', '  lines 7-12 of 30 · PgUp/PgDn scroll']);
    // past the end (the terminal grew taller meanwhile): the last page
    const end = promptLayout(request({ summary }), { ...CHOOSING, top: 99 }, plain, size);
    expect(end.rows[7]).toBe('  lines 25-30 of 30 · PgUp/PgDn scroll');
  });

  it('never takes more rows than it may when they leave room for a row of the body, even when narrow (the "lines" row wraps)', () => {
    const summary = Array.from({ length: 300 }, (_, i) => `echo ${i}`).join('\n');
    for (const columns of [30, 40, 80]) {
      for (const maxRows of [10, 12, 20]) {
        const layout = promptLayout(request({ summary }), { ...CHOOSING, top: 150 }, plain, { columns, maxRows });
        expect(layout.rows.length).toBeLessThanOrEqual(maxRows);
        for (const row of layout.rows) expect(displayWidth(row)).toBeLessThan(columns);
      }
    }
  });

  it('writes invisible and reordering characters out, and says it does', () => {
    const rows = rowsOf(request({ summary: 'cat notes\u202E\u2066txt.sh\u200b' }), CHOOSING, plain, WIDE);
    expect(rows[1]).toBe('  ⚠ it holds invisible or control characters, shown as <U+…>');
    expect(rows[2]).toBe('  $ cat notes<U+202E><U+2066>txt.sh<U+200B>');
    const diff = rowsOf(request({ summary: 'a\u202Eb.ts', diff: '@@ -1 +1 @@\n+x\ufeffy' }), CHOOSING, plain, WIDE);
    expect(diff).toContain('  a<U+202E>b.ts');
    expect(diff).toContain('  +x<U+FEFF>y');
  });

  it('writes terminal controls out too, so nothing from the model reaches the terminal', () => {
    const layout = promptLayout(request({ summary: 'echo \x1b]0;owned\x07hi\x1b[2J\rrm -rf ~' }), CHOOSING, plain, WIDE);
    expect(layout.rows.join('')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(layout.rows[2]).toBe('  $ echo <U+001B>]0;owned<U+0007>hi<U+001B>[2J<U+000D>rm -rf ~');
  });

  it('shows the reason being typed', () => {
    expect(rowsOf(request(), { stage: 'reason', text: 'not now', top: 0 }, plain, WIDE).at(-1)).toBe('  reason (Enter sends, Esc skips): not now ');
  });
});

describe('decisionLines', () => {
  it('says what was approved or denied, and why', () => {
    expect(decisionLines(request(), { decision: 'once' }, plain)).toEqual(['✓ approved run_shell: npm test']);
    expect(decisionLines(request(), { decision: 'always' }, plain)).toEqual(['✓ approved run_shell for this session: npm test']);
    const write = request({ call: { id: 'c', name: 'write_file', arguments: '{}' }, summary: 'src/x.ts', diff: '+x' });
    expect(decisionLines(write, { decision: 'deny', reason: 'wrong file\nuse y.ts' }, plain)).toEqual(['✗ denied write_file src/x.ts: wrong file use y.ts']);
    expect(decisionLines(write, { decision: 'deny' }, plain)).toEqual(['✗ denied write_file src/x.ts']);
  });

  it('keeps the whole command, every line of it, invisible characters written out', () => {
    const long = `echo ${'x'.repeat(150)} && touch SURPRISE`;
    expect(decisionLines(request({ summary: long }), { decision: 'once' }, plain)).toEqual([`✓ approved run_shell: ${long}`]);
    expect(decisionLines(request({ summary: 'cd /tmp\nrm \u202Efdp.x' }), { decision: 'once' }, plain)).toEqual(['✓ approved run_shell:', '    cd /tmp', '    rm <U+202E>fdp.x']);
    expect(decisionLines(request({ summary: 'a\nb' }), { decision: 'deny', reason: 'no' }, plain)).toEqual(['✗ denied run_shell:', '    a', '    b', '  reason: no']);
  });
});
