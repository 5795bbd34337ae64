// The built hermes in a real pseudo-terminal (tmux), with tools: the model asks to run a shell
// command, the approval prompt appears, y approves, the command runs in the working folder
// (a file appears there), the result goes back to the model and its answer follows. A paste at
// the prompt is not an answer; the whole command is shown at 80 columns, the legend wraps at
// 40, invisible characters are written out. The conversation is stored, and `hermes -c` draws it again before the prompt. Flag mistakes
// (an unknown tool, an unknown session) end with one line and exit code 2 before the TUI opens.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { conversationOf } from './helpers.js';
import { TmuxServer, hasTmux } from './tmux.js';

if (!hasTmux) {
  console.warn('test/e2e/tui-tools.test.ts: skipped because `tmux` is not installed (apt-get install tmux)');
}

const terminals = new TmuxServer('tools');
const servers: LoopbackServer[] = [];
const dirs: string[] = [];

/** hermes with `args` in a detached tmux session, in the working folder `cwd`. */
function startHermes(name: string, opts: { cwd: string; home: string; server?: LoopbackServer; args?: string[] }) {
  return terminals.start(name, { cwd: opts.cwd, home: opts.home, baseURL: opts.server?.baseURL, args: opts.args });
}

function workspace(): { cwd: string; home: string } {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'hermes-e2e-tools-')));
  dirs.push(base);
  const cwd = path.join(base, 'project');
  mkdirSync(cwd);
  return { cwd, home: path.join(base, 'home') };
}

describe.skipIf(!hasTmux)('hermes tools in a real terminal (tmux)', () => {
  beforeAll(() => TmuxServer.requireBuild());

  afterAll(async () => {
    await terminals.stop();
    for (const server of servers) await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('asks before running a shell command, runs it on y, and the answer follows; -c draws it all again', async () => {
    const { cwd, home } = workspace();
    const command = 'echo hello from hermes > created.txt && ls';
    const script: Step[] = [
      { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command }) }], { textBefore: ['I will create it.'] })] },
      { kind: 'stream', chunks: [chatTextSse(['The file ', 'created.txt ', 'is there now.'])] },
      { kind: 'stream', chunks: [chatTextSse(['Still here.'])] },
    ];
    const server = await startLoopback(script);
    servers.push(server);
    const hermes = await startHermes('tools', { cwd, home, server });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');

    await hermes.type('create a file');
    await hermes.key('Enter');
    const asked = await hermes.waitForScreen((s) => s.includes('allow run_shell?'), 'the approval prompt');
    expect(asked).toContain(`$ ${command}`);
    expect(asked).toContain(['❯ y once', '  a always for run_shell this session', '  n deny', '  ↑/↓ select · enter confirm · esc interrupt'].join('\n'));
    expect(existsSync(path.join(cwd, 'created.txt'))).toBe(false);

    await hermes.type('y');
    const done = await hermes.waitForScreen((s) => s.includes('is there now.') && s.includes('ask anything'), 'the answer');
    expect(readFileSync(path.join(cwd, 'created.txt'), 'utf8')).toBe('hello from hermes\n');
    const lines = done.split('\n');
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    expect(at('I will create it.')).toBeGreaterThan(at('› create a file'));
    expect(at(`✓ approved run_shell: ${command}`)).toBeGreaterThan(at('I will create it.'));
    expect(at(`✓ run_shell ${command}`)).toBeGreaterThan(at('✓ approved run_shell'));
    expect(at('The file created.txt is there now.')).toBeGreaterThan(at(`✓ run_shell ${command}`));
    expect(done).not.toContain('allow run_shell?');
    // what the command printed went back to the model
    const tool = (conversationOf(server.requests[1]!.json) as { role: string; content: string }[]).find((m) => m.role === 'tool');
    expect(tool?.content).toBe('exit code 0\ncreated.txt\n');

    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');

    // the conversation was stored; -c draws it again before the prompt
    expect(readdirSync(path.join(home, 'sessions'))).toHaveLength(1);
    const again = await startHermes('continue', { cwd, home, server, args: ['-c'] });
    // the first screen is painted before Ink loads; Ink's first frame adds the conversation
    const redrawn = await again.waitForScreen((s) => s.includes('› create a file') && s.includes('ask anything'), 'the redrawn conversation');
    expect(redrawn.split('\n').filter((line) => line.startsWith('hermes '))).toHaveLength(1);
    expect(redrawn).toContain(`✓ run_shell ${command}`);
    expect(redrawn).toContain('The file created.txt is there now.');
    await again.type('and now?');
    await again.key('Enter');
    await again.waitForScreen((s) => s.includes('Still here.'), 'the next answer');
    expect((conversationOf(server.requests[2]!.json) as { role: string }[]).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    await again.key('C-d');
    expect(await again.exitCode()).toBe('0');
  });

  it('a paste at the prompt is not an answer and lands in the input box; a long command is shown and kept whole; an RLO is written out', async () => {
    const { cwd, home } = workspace();
    const long = `echo ${'x'.repeat(150)} && touch SURPRISE`;
    const tricky = 'cat notes\u202Etxt.sh';
    const call = (id: string, command: string): Step => ({ kind: 'stream', chunks: [chatToolCallSse([{ id, name: 'run_shell', arguments: JSON.stringify({ command }) }])] });
    const server = await startLoopback([call('call_1', long), { kind: 'stream', chunks: [chatTextSse(['Ran it.'])] }, call('call_2', tricky), { kind: 'stream', chunks: [chatTextSse(['Not run.'])] }]);
    servers.push(server);
    const hermes = await terminals.start('approvals', { cwd, home, baseURL: server.baseURL, columns: 80, rows: 30 });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('go');
    await hermes.key('Enter');
    const asked = await hermes.waitForScreen((s) => s.includes('allow run_shell?'), 'the approval prompt');
    // the whole command, wrapped to 80 columns: nothing cut
    const rows = asked.split('\n');
    const first = rows.indexOf('  $ echo');
    expect(rows.slice(first, first + 4)).toEqual(['  $ echo', `    ${'x'.repeat(75)}`, `  ↪ ${'x'.repeat(75)}`, '    && touch SURPRISE']);

    // a bracketed paste (tmux pastes with the markers hermes asked for) decides nothing
    await terminals.tmux('set-buffer', '-b', 'paste', 'yellow submarine');
    await terminals.tmux('paste-buffer', '-p', '-b', 'paste', '-t', 'approvals');
    await hermes.waitForScreen((s) => s.includes('› yellow submarine'), 'the pasted text in the input box');
    expect((await hermes.screen()).includes('what you typed went to the input box')).toBe(true);
    expect(existsSync(path.join(cwd, 'SURPRISE'))).toBe(false);

    // a deliberate choice: ↑ (back on the list), then y
    await hermes.key('Up');
    await hermes.type('y');
    const done = await hermes.waitForScreen((s) => s.includes('Ran it.') && s.includes('› yellow submarine'), 'the answer, the input kept');
    expect(existsSync(path.join(cwd, 'SURPRISE'))).toBe(true);
    expect(done).not.toContain('allow run_shell?');
    // the line the scrollback keeps holds the whole command (hermes wraps it into rows)
    expect((await hermes.scrollback()).replace(/\s+/g, '')).toContain(`✓approvedrun_shell:${long.replace(/\s+/g, '')}`);

    // the right-to-left override is written out, in the prompt and in the tool line
    await hermes.key('C-u');
    await hermes.type('again');
    await hermes.key('Enter');
    const rlo = await hermes.waitForScreen((s) => s.includes('allow run_shell?'), 'the second approval prompt');
    expect(rlo).toContain('$ cat notes<U+202E>txt.sh');
    expect(rlo).toContain('⚙ run_shell cat notes<U+202E>txt.sh waiting for your approval');
    await hermes.type('n');
    await hermes.key('Enter');
    const denied = await hermes.waitForScreen((s) => s.includes('Not run.'), 'the answer after the denial');
    expect(denied).toContain('✗ run_shell cat notes<U+202E>txt.sh — denied by the user');
    // U+202E in UTF-8, as the log is read (latin1): never written to the terminal
    expect(hermes.written()).not.toContain('\xe2\x80\xae');
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
  });

  it('a diff taller than the terminal is paged with PgDn; the screen is never cleared', async () => {
    const { cwd, home } = workspace();
    const content = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n');
    const server = await startLoopback([
      { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'write_file', arguments: JSON.stringify({ path: 'long.txt', content }) }], { textBefore: ['Writing it.'] })] },
      { kind: 'stream', chunks: [chatTextSse(['Written.'])] },
    ]);
    servers.push(server);
    const hermes = await terminals.start('paged', { cwd, home, baseURL: server.baseURL, columns: 80, rows: 24 });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('write it');
    await hermes.key('Enter');
    let screen = await hermes.waitForScreen((s) => s.includes('allow write_file?') && /lines 1-\d+ of \d+/.test(s), 'the paged diff');
    const seen = new Set<string>();
    for (let page = 0; page < 20; page++) {
      for (const match of screen.matchAll(/^ {2}\+(line \d+)$/gm)) seen.add(match[1]!);
      const [, last, total] = /lines \d+-(\d+) of (\d+)/.exec(screen)!;
      if (last === total) break;
      await hermes.key('PageDown');
      const before = screen;
      screen = await hermes.waitForScreen((s) => s !== before && /lines \d+-\d+ of \d+/.test(s), 'the next page');
    }
    expect(seen.size).toBe(60);
    await hermes.type('y');
    await hermes.waitForScreen((s) => s.includes('Written.') && s.includes('ask anything'), 'the answer');
    expect(readFileSync(path.join(cwd, 'long.txt'), 'utf8')).toBe(content);
    const history = (await hermes.scrollback()).split('\n');
    expect(history.filter((line) => line.startsWith('hermes '))).toHaveLength(1);
    expect(history.filter((line) => line.startsWith('Writing it.'))).toHaveLength(1);
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
    // the live region stayed shorter than the terminal: Ink never cleared the screen to redraw it
    expect(hermes.written()).not.toContain('\x1b[2J');
    expect(hermes.written()).not.toContain('\x1b[3J');
  });

  it('at 40 columns the choices and the key legend wrap: "n deny" is shown', async () => {
    const { cwd, home } = workspace();
    const command = 'npm run build && npm test -- --coverage';
    const server = await startLoopback([{ kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command }) }])] }]);
    servers.push(server);
    const hermes = await terminals.start('narrow', { cwd, home, baseURL: server.baseURL, columns: 40, rows: 24 });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('go');
    await hermes.key('Enter');
    const asked = await hermes.waitForScreen((s) => s.includes('allow run_shell?') && s.includes('interrupt'), 'the approval prompt');
    const rows = asked.split('\n');
    expect(rows).toContain('  n deny');
    expect(rows).toContain('  a always for run_shell this session');
    expect(asked.replace(/\s+/g, ' ')).toContain('$ npm run build && npm test -- --coverage');
    expect(asked.replace(/\s+/g, ' ')).toContain('↑/↓ select · enter confirm · esc interrupt');
    await hermes.key('Escape');
    await hermes.waitForScreen((s) => s.includes('interrupted'), 'the interrupt');
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
  });

  it('an unknown tool name or session id is one line and exit code 2, before the TUI opens', async () => {
    const { cwd, home } = workspace();
    const tools = await startHermes('bad-tool', { cwd, home, args: ['--tools', 'read_file,nope'] });
    expect(await tools.exitCode()).toBe('2');
    const screen = await tools.screen();
    expect(screen).toMatch(/^hermes: .*nope/);
    expect(screen).not.toContain('ask anything');

    const resume = await startHermes('bad-session', { cwd, home, args: ['--resume', 'zzzzzz'] });
    expect(await resume.exitCode()).toBe('2');
    expect(await resume.screen()).toMatch(/^hermes: no session matches 'zzzzzz'/);
  });
});
