// The approval prompt cannot be tricked: text typed or pasted at it is not an answer and goes
// to the input box; the whole command is shown (wrapped, paged) and kept; invisible characters
// are written out. A REAL Agent with the built-in tools behind the approval policy, talking to
// a loopback server; keys in, frames and committed lines out.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { startApp, stopAll, tempDir, waitFor, type HarnessSetup } from './harness.js';

let work: { dir: string; remove(): void };

beforeEach(() => {
  work = tempDir('hermes-tui-approvals-');
});
afterEach(async () => {
  await stopAll();
  work.remove();
});

const shell = (command: string): Step => ({ kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command }) }])] });
const answer = (text: string): Step => ({ kind: 'stream', chunks: [chatTextSse([text])] });

/** An app whose model asks to run `command`, asked and showing the prompt. */
async function askedToRun(command: string, more: Partial<HarnessSetup> = {}) {
  const app = await startApp({ cwd: work.dir, script: [shell(command), answer('Done.'), answer('Next.')], ...more });
  await app.type('go', '\r');
  const prompt = await app.asked();
  return { app, prompt };
}

const toolResult = (server: { requests: { json: any }[] }, n: number) =>
  (server.requests[n - 1]!.json.messages as { role: string; content: string }[]).find((m) => m.role === 'tool')?.content;

describe('text at the approval prompt is not an answer', () => {
  it('a bracketed paste of "yellow submarine" approves nothing: the prompt stays and the text is in the input box afterwards', async () => {
    const { app } = await askedToRun('touch pasted.txt');
    const request = app.session.approvals.current;
    await app.type('\x1b[200~yellow submarine\x1b[201~');
    await waitFor(() => app.frame().includes('› yellow submarine'), 'the text in the input box');
    expect(app.session.approvals.current).toBe(request);
    expect(app.frame()).toContain('what you typed went to the input box; choose with ↑/↓ and enter');
    expect(fs.existsSync(path.join(work.dir, 'pasted.txt'))).toBe(false);

    // after typing, a lone y is text too; an arrow key makes the choice deliberate again
    await app.type('y');
    expect(app.session.approvals.current).toBe(request);
    await app.type('\x1b[B', '\x1b[B', '\r', '\r');
    await app.idle();
    expect(toolResult(app.server, 2)).toBe('denied by the user');
    expect(fs.existsSync(path.join(work.dir, 'pasted.txt'))).toBe(false);
    expect(app.frame()).toContain('› yellow submariney');

    // nothing was lost: Enter sends it as the next prompt
    await app.type('\r');
    await app.idle();
    const messages = app.server.requests[2]!.json.messages as { role: string; content: string }[];
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'yellow submariney' });
  });

  it('a word arriving in one read (typed ahead, pasted without markers) goes to the input box, after what was typed', async () => {
    const app = await startApp({ cwd: work.dir, script: [shell('touch typed.txt'), answer('Done.')] });
    await app.type('go', '\r');
    // typed while the model answers: the input box keeps it
    await app.type('draft: ');
    await app.asked();
    await app.type('yes');
    await waitFor(() => app.frame().includes('› draft: yes'), 'the word in the input box');
    expect(app.session.approvals.current).toBeDefined();
    // ↑ then y: a deliberate answer
    await app.type('\x1b[A', 'y');
    await app.idle();
    expect(fs.existsSync(path.join(work.dir, 'typed.txt'))).toBe(true);
    expect(app.frame()).toContain('› draft: yes');
  });

  it('Enter confirms the selected choice: ↓ moves the selection, ↑ back, Enter approves once', async () => {
    const { app } = await askedToRun('touch chosen.txt');
    expect(app.frame()).toContain('❯ y once');
    await app.type('\x1b[B');
    await waitFor(() => app.frame().includes('❯ a always for run_shell this session'), 'the selection to move');
    await app.type('\x1b[A', '\r');
    await app.idle();
    expect(fs.existsSync(path.join(work.dir, 'chosen.txt'))).toBe(true);
    expect(app.committed()).toContain('✓ approved run_shell: touch chosen.txt');
  });
});

describe('what is approved is shown whole', () => {
  it('a long command at 80 columns is shown in full before it is approved, and kept in full in the scrollback', async () => {
    const command = `echo ${'x'.repeat(150)} && touch SURPRISE`;
    const { app, prompt } = await askedToRun(command, { columns: 80 });
    const rows = prompt.split('\n');
    const first = rows.indexOf('  $ echo');
    expect(rows.slice(first, first + 4)).toEqual(['  $ echo', `    ${'x'.repeat(75)}`, `  ↪ ${'x'.repeat(75)}`, '    && touch SURPRISE']);
    for (const row of rows.slice(rows.indexOf('? allow run_shell?'))) expect(row.length).toBeLessThan(80);
    await app.type('y');
    await app.idle();
    expect(fs.existsSync(path.join(work.dir, 'SURPRISE'))).toBe(true);
    expect(app.committed()).toContain(`✓ approved run_shell: ${command}`);
  });

  it('at 40 columns the choices and the legend wrap: "n deny" is there', async () => {
    const { prompt } = await askedToRun('npm run build && npm test -- --coverage', { columns: 40 });
    const rows = prompt.split('\n');
    expect(rows).toContain('  n deny');
    expect(rows).toContain('  a always for run_shell this session');
    expect(prompt.replace(/\s+/g, ' ')).toContain('↑/↓ select · enter confirm · esc interrupt');
    // the prompt's rows, and the rest of the live region, cut by Ink at the width, not wrapped by it
    for (const row of rows.slice(rows.indexOf('? allow run_shell?'))) expect(row.length).toBeLessThanOrEqual(40);
  });

  it('a multi-line command taller than the terminal is paged and fits it', async () => {
    const command = Array.from({ length: 40 }, (_, i) => `echo step ${i + 1}`).join('\n');
    const { app, prompt } = await askedToRun(command, { rows: 20 });
    expect(prompt).toMatch(/lines 1-\d+ of 40 · PgUp\/PgDn scroll/);
    const rows = prompt.split('\n');
    expect(rows.length - rows.findIndex((row) => row.startsWith('⚙ run_shell'))).toBeLessThan(20);
    await app.type('\x1b[F');
    await waitFor(() => app.frame().includes('echo step 40'), 'the last page');
    expect(app.frame()).toMatch(/lines \d+-40 of 40/);
  });
});

describe('invisible characters are written out', () => {
  it('a right-to-left override is shown as <U+202E> in the prompt and in the tool lines, and never reaches the terminal', async () => {
    const command = 'cat notes\u202Etxt.sh';
    const { app, prompt } = await askedToRun(command);
    expect(prompt).toContain('$ cat notes<U+202E>txt.sh');
    expect(prompt).toContain('⚠ it holds invisible or control characters, shown as <U+…>');
    expect(prompt).toContain('⚙ run_shell cat notes<U+202E>txt.sh waiting for your approval');
    await app.type('n', '\r');
    await app.idle();
    const lines = app.committed();
    expect(lines).toContain('✗ denied run_shell cat notes<U+202E>txt.sh');
    expect(lines).toContain('✗ run_shell cat notes<U+202E>txt.sh — denied by the user');
    for (const frame of app.app.frames) expect(frame).not.toContain('\u202E');
  });
});
