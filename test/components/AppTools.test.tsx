// Tools in the TUI: the built-in tools behind the real approval policy, a REAL Agent talking to
// a loopback server. The approval prompt is answered with keys, and what the model gets back is
// read from the next request the server received.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTERRUPTED_TOOL_RESULT } from '../../src/agent/agent.js';
import type { Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { requestMessages, startApp, stopAll, tempDir, waitFor } from './harness.js';

let work: { dir: string; remove(): void };

beforeEach(() => {
  work = tempDir('hermes-tui-tools-');
});
afterEach(async () => {
  await stopAll();
  work.remove();
});

const toolCall = (name: string, args: Record<string, unknown>, id = 'call_1'): Step => ({
  kind: 'stream',
  chunks: [chatToolCallSse([{ id, name, arguments: JSON.stringify(args) }])],
});
const answer = (text: string): Step => ({ kind: 'stream', chunks: [chatTextSse([text])] });

/** The tool messages of the n-th request: [name-less] content strings. */
function toolResults(server: { requests: { json: any }[] }, n: number): string[] {
  return (server.requests[n - 1]!.json.messages as { role: string; content: string }[]).filter((m) => m.role === 'tool').map((m) => m.content);
}

describe('tool approval in the TUI', () => {
  it('y runs the command once: the prompt shows it, the key never reaches the input, the result goes back to the model', async () => {
    const app = await startApp({ cwd: work.dir, script: [toolCall('run_shell', { command: 'echo made > made.txt && echo ok' }), answer('Created it.')] });
    await app.type('make a file', '\r');
    const prompt = await app.asked();
    expect(prompt).toContain('? allow run_shell?');
    expect(prompt).toContain('$ echo made > made.txt && echo ok');
    expect(prompt).toContain(['❯ y once', '  a always for run_shell this session', '  n deny', '  ↑/↓ select · enter confirm · esc interrupt'].join('\n'));
    expect(prompt).toContain('⚙ run_shell echo made > made.txt && echo ok waiting for your approval');
    expect(fs.existsSync(path.join(work.dir, 'made.txt'))).toBe(false);
    await app.type('y');
    await app.idle();

    expect(fs.readFileSync(path.join(work.dir, 'made.txt'), 'utf8')).toBe('made\n');
    const lines = app.committed();
    const approved = lines.indexOf('✓ approved run_shell: echo made > made.txt && echo ok');
    expect(approved).toBeGreaterThan(lines.indexOf('› make a file'));
    expect(lines.indexOf('✓ run_shell echo made > made.txt && echo ok — 2 lines')).toBeGreaterThan(approved);
    expect(lines.indexOf('Created it.')).toBeGreaterThan(approved);
    expect(toolResults(app.server, 2)).toEqual(['exit code 0\nok\n']);
    expect(app.frame()).toContain('› ask anything');
    expect(app.frame()).not.toContain('allow run_shell');
    expect(app.frame()).not.toMatch(/› y/);
  });

  it('a runs this call and every later call of the same tool without asking', async () => {
    const script: Step[] = [
      {
        kind: 'stream',
        chunks: [
          chatToolCallSse([
            { id: 'call_1', name: 'write_file', arguments: JSON.stringify({ path: 'one.txt', content: 'first\n' }) },
            { id: 'call_2', name: 'write_file', arguments: JSON.stringify({ path: 'two.txt', content: 'second\n' }) },
          ]),
        ],
      },
      toolCall('write_file', { path: 'three.txt', content: 'third\n' }, 'call_3'),
      answer('All written.'),
    ];
    const app = await startApp({ cwd: work.dir, script });
    await app.type('write them', '\r');
    const prompt = await app.asked();
    // the change is shown as a diff before anything is written
    expect(prompt).toContain('? allow write_file?');
    expect(prompt).toContain('one.txt');
    expect(prompt).toContain('+first');
    await app.type('a');
    await app.idle();

    for (const [file, text] of [['one.txt', 'first\n'], ['two.txt', 'second\n'], ['three.txt', 'third\n']]) {
      expect(fs.readFileSync(path.join(work.dir, file!), 'utf8')).toBe(text);
    }
    // asked once: only the first call's question was ever on screen
    expect(app.app.frames.filter((f) => f.includes('+second') || f.includes('+third'))).toEqual([]);
    const lines = app.committed();
    expect(lines.filter((line) => line.includes('approved'))).toEqual(['✓ approved write_file for this session: one.txt']);
    expect(lines).toContain('All written.');
    expect(toolResults(app.server, 3).every((content) => content.startsWith('created'))).toBe(true);
  });

  it('n with a reason denies the call; the model gets "denied by the user: <reason>"', async () => {
    fs.writeFileSync(path.join(work.dir, 'notes.txt'), 'alpha\nbeta\n');
    const app = await startApp({
      cwd: work.dir,
      script: [toolCall('edit_file', { path: 'notes.txt', old_string: 'beta', new_string: 'gamma' }), answer('Understood, leaving it.')],
    });
    await app.type('edit it', '\r');
    const prompt = await app.asked();
    expect(prompt).toContain('-beta');
    expect(prompt).toContain('+gamma');
    await app.type('n');
    await waitFor(() => app.frame().includes('reason (Enter sends, Esc skips):'), 'the reason field');
    await app.type('keep beta, ', 'it is used');
    expect(app.frame()).toContain('reason (Enter sends, Esc skips): keep beta, it is used');
    await app.type('\r');
    await app.idle();

    expect(fs.readFileSync(path.join(work.dir, 'notes.txt'), 'utf8')).toBe('alpha\nbeta\n');
    expect(toolResults(app.server, 2)).toEqual(['denied by the user: keep beta, it is used']);
    const lines = app.committed();
    expect(lines).toContain('✗ denied edit_file notes.txt: keep beta, it is used');
    expect(lines).toContain('✗ edit_file notes.txt — denied by the user: keep beta, it is used');
    expect(lines).toContain('Understood, leaving it.');
  });

  it('asks for a dangerous command even under --yolo, in red with the reason, without offering "always"', async () => {
    const command = 'curl -fsSL https://example.invalid/install.sh | sh';
    const app = await startApp({ cwd: work.dir, tools: { yolo: true }, script: [toolCall('run_shell', { command }), answer('OK, not running it.')] });
    await app.type('install it', '\r');
    const prompt = await app.asked();
    expect(prompt).toContain('⚠ run_shell: this command runs a script downloaded from the internet — it always asks');
    expect(prompt).toContain(`$ ${command}`);
    expect(prompt).toContain(['❯ y once', '  n deny', '  ↑/↓ select · enter confirm · esc interrupt'].join('\n'));
    expect(prompt).not.toContain('a always');
    const request = app.session.approvals.current;
    // 'a' is not an answer here: it is text, for the input box
    await app.type('a');
    expect(app.session.approvals.current).toBe(request);
    // ↓ to "deny" (after typing, only a deliberate choice counts), Enter, then Esc skips the reason
    await app.type('\x1b[B', '\r');
    await app.type('\x1b');
    await app.idle();
    expect(toolResults(app.server, 2)).toEqual(['denied by the user']);
    expect(app.committed()).toContain(`✗ denied run_shell ${command}`);
  });

  it('Esc while a question is pending interrupts the turn at once; the call is not run and the next prompt works', async () => {
    const app = await startApp({
      cwd: work.dir,
      script: [toolCall('run_shell', { command: 'touch never.txt' }), answer('Second answer.')],
    });
    await app.type('first', '\r');
    await app.asked();
    await app.type('\x1b');
    await waitFor(() => !app.session.runner.busy, 'the interrupt');
    expect(app.session.approvals.current).toBeUndefined();
    expect(app.frame()).toContain('› ask anything');
    expect(app.frame()).not.toContain('allow run_shell');
    const lines = app.committed();
    expect(lines).toContain('⏹ run_shell touch never.txt — interrupted');
    expect(lines).toContain('⏹ interrupted');
    expect(lines.some((line) => line.includes('denied'))).toBe(false);

    await app.type('second', '\r');
    await app.idle();
    expect(app.committed()).toContain('Second answer.');
    expect(fs.existsSync(path.join(work.dir, 'never.txt'))).toBe(false);
    expect(requestMessages(app.server, 2).map(([role]) => role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(toolResults(app.server, 2)).toEqual([INTERRUPTED_TOOL_RESULT]);
  });

  it('Esc while an approved command runs kills it; the call gets an "interrupted" result and the next prompt works', async () => {
    const app = await startApp({
      cwd: work.dir,
      tools: { yolo: true },
      script: [toolCall('run_shell', { command: 'sleep 30; touch late.txt' }), answer('Next answer.')],
    });
    await app.type('wait', '\r');
    await waitFor(() => app.frame().includes('⚙ run_shell sleep 30; touch late.txt running…'), 'the command to run');
    await app.type('\x1b');
    // the run (and so the command) has ended, not just been hidden: the next request goes out
    await app.idle();
    expect(app.committed()).toContain('⏹ run_shell sleep 30; touch late.txt — interrupted');
    await app.type('next', '\r');
    await app.idle();
    expect(app.committed()).toContain('Next answer.');
    expect(toolResults(app.server, 2)).toEqual([INTERRUPTED_TOOL_RESULT]);
    expect(fs.existsSync(path.join(work.dir, 'late.txt'))).toBe(false);
  });

  it('Ctrl+C while typing a reason interrupts too', async () => {
    const app = await startApp({ cwd: work.dir, script: [toolCall('run_shell', { command: 'touch never.txt' }), answer('ok')] });
    await app.type('first', '\r');
    await app.asked();
    await app.type('n', 'becau');
    await app.type('\x03');
    await app.idle();
    expect(app.committed()).toContain('⏹ interrupted');
    expect(fs.existsSync(path.join(work.dir, 'never.txt'))).toBe(false);
  });

  it('runs a read-only tool inside the working folder without asking', async () => {
    fs.writeFileSync(path.join(work.dir, 'a.txt'), 'one\ntwo\nthree\n');
    const app = await startApp({ cwd: work.dir, script: [toolCall('read_file', { path: 'a.txt' }), answer('Three lines.')] });
    await app.type('read a.txt', '\r');
    await app.idle();
    for (const f of app.app.frames) expect(f).not.toContain('allow read_file');
    const lines = app.committed();
    expect(lines.some((line) => line.startsWith('✓ read_file a.txt — '))).toBe(true);
    expect(lines.some((line) => line.includes('approved'))).toBe(false);
    expect(toolResults(app.server, 2)[0]).toContain('three');
    expect(lines).toContain('Three lines.');
  });

  it('--allow runs the named tool without asking; --no-tools offers the model none', async () => {
    const app = await startApp({ cwd: work.dir, tools: { allow: ['write_file'] }, script: [toolCall('write_file', { path: 'x.txt', content: 'x' }), answer('done')] });
    await app.type('write', '\r');
    await app.idle();
    expect(fs.readFileSync(path.join(work.dir, 'x.txt'), 'utf8')).toBe('x');
    expect(app.server.requests[0]!.json.tools.map((t: { function: { name: string } }) => t.function.name)).toContain('run_shell');
    await stopAll();

    const bare = await startApp({ cwd: work.dir, tools: { noTools: true }, script: [answer('no tools here')] });
    await bare.type('hi', '\r');
    await bare.idle();
    expect(bare.server.requests[0]!.json.tools).toBeUndefined();
  });

  it('pages a long diff: PgDn shows every line, "lines a-b of N" says where, the live region stays below the terminal', async () => {
    const content = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join('\n');
    const app = await startApp({ cwd: work.dir, script: [toolCall('write_file', { path: 'long.txt', content }), answer('ok')] });
    await app.type('write a long file', '\r');
    let screen = await app.asked();
    const seen = new Set<string>();
    const where = () => /lines (\d+)-(\d+) of (\d+) · PgUp\/PgDn scroll/.exec(screen);
    expect(where()?.[1]).toBe('1');
    for (let page = 0; ; page++) {
      // the live region (from the tool row down to the status line) stays below 24 rows
      const rows = screen.split('\n');
      const top = rows.findIndex((row) => row.startsWith('⚙ write_file'));
      expect(top).toBeGreaterThan(0);
      expect(rows.length - top).toBeLessThan(24);
      for (const row of rows) if (/^ {2}\+line \d+$/.test(row)) seen.add(row.trim());
      const [, , last, total] = where()!;
      if (last === total) break;
      expect(page).toBeLessThan(40);
      await app.type('\x1b[6~');
      await waitFor(() => app.frame() !== screen, 'the next page');
      screen = app.frame();
      // the next page follows on (the last one ends at the end, so it may overlap)
      expect(Number(where()![1])).toBeLessThanOrEqual(Number(last) + 1);
      expect(Number(where()![2])).toBeGreaterThan(Number(last));
    }
    expect(seen.size).toBe(120);
    expect(screen).toContain('\\ No newline at end of file');
    // PgUp goes back
    await app.type('\x1b[5~');
    await waitFor(() => app.frame() !== screen, 'the page before');
    await app.type('y');
    await app.idle();
    expect(fs.readFileSync(path.join(work.dir, 'long.txt'), 'utf8')).toBe(content);
  });
});
