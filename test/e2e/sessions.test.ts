// Sessions with the built binary: every conversation lands on disk as it happens and can be
// continued (-c) or resumed (--resume), even after hermes was killed mid-answer.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoopbackServer, Step } from '../support/loopback.js';
import { startContextServer } from '../support/context-server.js';
import { chatTextFrames, chatTextSse } from '../support/wire/openai-chat.js';
import { conversationOf, e2eScope, runHermes, startHermes } from './helpers.js';
import { hasTmux, TmuxServer } from './tmux.js';

const scope = e2eScope();
const terminals = new TmuxServer('sessions');
afterAll(() => terminals.stop());
let server: LoopbackServer | undefined;

const KEY = 'sk-test-session-SECRET-0123456789';

function setup(s: LoopbackServer) {
  const dirs = scope.home();
  const env = { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, OPENAI_BASE_URL: s.baseURL, OPENAI_API_KEY: KEY };
  const sessionsDir = path.join(dirs.hermesHome, 'sessions');
  const files = (): string[] => (fs.existsSync(sessionsDir) ? fs.readdirSync(sessionsDir).sort().map((f) => path.join(sessionsDir, f)) : []);
  const records = (file: string): any[] =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  return { env, files, records };
}

const answer = (...tokens: string[]): Step => ({ kind: 'stream', chunks: [chatTextSse(tokens)] });
const roles = (body: any): string[] => conversationOf(body).map((m: { role: string }) => m.role);

describe('sessions', () => {
  it('stores a one-shot conversation and continues it with -c in the same file', async () => {
    server = await scope.serve([answer('Paris', '.'), answer('About 2 million.')]);
    const { env, files, records } = setup(server);

    const first = await runHermes(['-p', 'Capital of France?'], { env });
    expect(first.code).toBe(0);
    expect(files()).toHaveLength(1);
    const file = files()[0]!;
    const stored = records(file);
    expect(stored[0]).toMatchObject({ type: 'session', provider: 'openai' });
    expect(stored.slice(1).map((r) => [r.message.role, r.message.content])).toEqual([
      ['user', 'Capital of France?'],
      ['assistant', 'Paris.'],
    ]);

    const second = await runHermes(['-c', '-p', 'Population?'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('About 2 million.\n');
    expect(roles(server.requests[1]!.json)).toEqual(['user', 'assistant', 'user']);
    expect(files()).toEqual([file]);
    expect(records(file).filter((r) => r.type === 'message')).toHaveLength(4);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(KEY);
  });

  it('resumes a session by id prefix, and an unknown id is a usage error', async () => {
    server = await scope.serve([answer('one'), answer('two')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'first'], { env });
    const id = path.basename(files()[0]!, '.jsonl').split('_').at(-1)!;

    const resumed = await runHermes(['--resume', id.slice(0, 5), '-p', 'second'], { env });
    expect(resumed.code).toBe(0);
    expect(roles(server.requests[1]!.json)).toEqual(['user', 'assistant', 'user']);

    const unknown = await runHermes(['--resume', 'zzzzzzzz', '-p', 'x'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')[0]).toMatch(/^hermes: .*zzzzzzzz/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('--no-session stores nothing', async () => {
    server = await scope.serve([answer('ok')]);
    const { env, files } = setup(server);
    const result = await runHermes(['--no-session', '-p', 'hi'], { env });
    expect(result.code).toBe(0);
    expect(files()).toEqual([]);
  });

  it('an interrupted answer is stored marked interrupted and sent back on -c', async () => {
    const frames = chatTextFrames(['Half ', 'an answer', ' and the rest']);
    server = await scope.serve((n) => (n === 1 ? { kind: 'stream', chunks: frames.slice(0, 3), hang: true } : answer('done')));
    const { env, files, records } = setup(server);
    const run = startHermes(['-p', 'go'], { env });
    await run.waitForStdout('an answer');
    run.child.kill('SIGINT');
    expect((await run.result).code).toBe(130);

    const assistant = records(files()[0]!).find((r) => r.message?.role === 'assistant');
    expect(assistant.message).toMatchObject({ content: 'Half an answer', interrupted: true });

    await runHermes(['-c', '-p', 'continue'], { env });
    const sent = conversationOf(server.requests[1]!.json);
    expect(sent.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', 'go'],
      ['assistant', 'Half an answer'],
      ['user', 'continue'],
    ]);
  });

  it('SIGKILL mid-answer loses at most the answer in flight; --continue works', async () => {
    const frames = chatTextFrames(['Streaming ', 'when the ', 'power went out']);
    server = await scope.serve((n) => (n === 1 ? { kind: 'stream', chunks: frames.slice(0, 3), hang: true } : answer('back again')));
    const { env, files, records } = setup(server);
    const run = startHermes(['-p', 'remember me'], { env });
    await run.waitForStdout('when the');
    run.child.kill('SIGKILL');
    await run.result;

    const stored = records(files()[0]!);
    expect(stored.filter((r) => r.type === 'message').map((r) => r.message.content)).toEqual(['remember me']);

    const next = await runHermes(['--continue', '-p', 'still there?'], { env });
    expect(next.code).toBe(0);
    expect(next.stdout).toBe('back again\n');
    const sent = conversationOf(server.requests[1]!.json);
    expect(sent.map((m: { content: string }) => m.content)).toEqual(['remember me', 'still there?']);
  });

  it('a torn last line is skipped with a warning and the file is never rewritten', async () => {
    server = await scope.serve([answer('first answer'), answer('second answer')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'first'], { env });
    const file = files()[0]!;
    fs.appendFileSync(file, '{"type":"message","at":"2026-11-23T00:00:00Z","message":{"role":"user","cont');
    const before = fs.readFileSync(file);

    const next = await runHermes(['-c', '-p', 'second'], { env });
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/^hermes: .*line/m);
    expect(roles(server.requests[1]!.json)).toEqual(['user', 'assistant', 'user']);
    // Appended to, never rewritten: the old bytes are still the file's first bytes.
    expect(fs.readFileSync(file).subarray(0, before.length).equals(before)).toBe(true);
  });
});

describe('two hermes continuing the same session at once', () => {
  const locks = (dir: string): string[] => fs.readdirSync(dir).filter((name) => name.endsWith('.lock'));
  const contents = (records: any[]): string[] => records.filter((r) => r.type === 'message').map((r) => r.message.content);

  it('the second waits, then starts a new session and says so in one line; neither file gets the other one\'s lines', async () => {
    server = await scope.serve((n) => (n === 1 ? answer('first answer') : n === 2 ? { kind: 'hang' } : answer('b answer')));
    const { env, files, records } = setup(server);
    await runHermes(['-p', 'first'], { env });
    const [original] = files();

    const a = startHermes(['-c', '-p', 'a'], { env });
    await server.waitForRequest(2);
    const b = await runHermes(['-c', '-p', 'b'], { env });
    a.child.kill('SIGINT');
    expect((await a.result).code).toBe(130);

    expect(b.code).toBe(0);
    expect(b.stdout).toBe('b answer\n');
    const id = path.basename(original!, '.jsonl').split('_').at(-1);
    expect(b.stderr).toMatch(new RegExp(`^hermes: session ${id} is in use by another hermes \\(pid ${a.child.pid}\\); starting a new session\n$`));
    expect(conversationOf(server.requests[2]!.json).map((m: { content: string }) => m.content)).toEqual(['b']);
    const [first, second] = files();
    expect(first).toBe(original);
    expect(contents(records(first!))).toEqual(['first', 'first answer', 'a']);
    expect(contents(records(second!))).toEqual(['b', 'b answer']);
    expect(locks(path.dirname(original!))).toEqual([]);
  });

  it('the second continues the same file once the first is done, if that is soon', async () => {
    const slow: Step = { kind: 'stream', chunks: chatTextFrames(['a ', 'answer ', 'taking ', 'a while']), delayMs: 200 };
    server = await scope.serve((n) => (n === 1 ? answer('first answer') : n === 2 ? slow : answer('b answer')));
    const { env, files, records } = setup(server);
    await runHermes(['-p', 'first'], { env });

    const a = startHermes(['-c', '-p', 'a'], { env });
    await server.waitForRequest(2);
    const b = await runHermes(['-c', '-p', 'b'], { env });
    expect((await a.result).code).toBe(0);

    expect(b.code).toBe(0);
    expect(b.stderr).toBe('');
    const expected = ['first', 'first answer', 'a', 'a answer taking a while', 'b'];
    expect(conversationOf(server.requests[2]!.json).map((m: { content: string }) => m.content)).toEqual(expected);
    expect(files()).toHaveLength(1);
    expect(contents(records(files()[0]!))).toEqual([...expected, 'b answer']);
    expect(locks(path.dirname(files()[0]!))).toEqual([]);
  });

  it('a lock left by a process that is gone is taken over without a word', async () => {
    server = await scope.serve([answer('one'), answer('two')]);
    const { env, files, records } = setup(server);
    await runHermes(['-p', 'first'], { env });
    const file = files()[0]!;
    fs.writeFileSync(`${file}.lock`, `${spawnSync('true').pid}\n`);

    const next = await runHermes(['-c', '-p', 'second'], { env });
    expect(next.code).toBe(0);
    expect(next.stderr).toBe('');
    expect(files()).toEqual([file]);
    expect(contents(records(file))).toEqual(['first', 'one', 'second', 'two']);
    expect(locks(path.dirname(file))).toEqual([]);
  });

  it.skipIf(!hasTmux)('the TUI says so in a notice line and chats in a new session', async () => {
    server = await scope.serve([answer('one'), answer('in the new session')]);
    const { env, files, records } = setup(server);
    await runHermes(['-p', 'first'], { env });
    const file = files()[0]!;
    const id = path.basename(file, '.jsonl').split('_').at(-1);
    // Held by a process that is running: this test's.
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n`);

    const hermes = await terminals.start('locked', { home: env.HERMES_HOME, baseURL: server.baseURL, args: ['-c'] });
    const notice = `session ${id} is in use by another hermes (pid ${process.pid}); starting a new session`;
    await hermes.waitForScreen((s) => s.includes(notice) && s.includes('ask anything'), 'the notice and the prompt', 20_000);
    await hermes.type('hello');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('in the new session'), 'the answer');
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');

    const [, second] = files().filter((f) => f.endsWith('.jsonl'));
    expect(contents(records(file))).toEqual(['first', 'one']);
    expect(contents(records(second!))).toEqual(['hello', 'in the new session']);
    // Ours is gone; the other process's stays.
    expect(locks(path.dirname(file))).toEqual([`${path.basename(file)}.lock`]);
  });
});

describe('a session file a full disk left without a header', () => {
  it('is resumed with a warning (not exit 2), its messages sent, and new ones appended', async () => {
    server = await scope.serve([answer('second answer')]);
    const { env, files, records } = setup(server);
    const dir = path.join(env.HERMES_HOME, 'sessions');
    fs.mkdirSync(dir);
    const file = path.join(dir, '2026-11-23T10-00-00.000Z_abcd1234.jsonl');
    const line = (message: object) => `${JSON.stringify({ type: 'message', at: '2026-11-23T10:00:01Z', message })}\n`;
    fs.writeFileSync(file, `\n${line({ role: 'user', content: 'first' })}${line({ role: 'assistant', content: 'first answer', toolCalls: [] })}`);

    const result = await runHermes(['--resume', 'abcd', '-p', 'second'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('second answer\n');
    expect(result.stderr).toMatch(/^hermes: session abcd1234: its first line is not a session header/m);
    expect(conversationOf(server.requests[0]!.json).map((m: { content: string }) => m.content)).toEqual(['first', 'first answer', 'second']);
    expect(files()).toEqual([file]);
    expect(records(file).filter((r) => r.type === 'message')).toHaveLength(4);
  });
});

describe('a HERMES_HOME that cannot be created', () => {
  /** Under /proc (Node's own recursive mkdir never returns there) and under a regular file. */
  function unusableHomes(): string[] {
    const dirs = scope.home();
    const file = path.join(dirs.home, 'a-file');
    fs.writeFileSync(file, 'not a folder\n');
    return ['/proc/hermes-no-such/home', path.join(file, 'sub')];
  }

  it('is one error line and exit 2 for -p', async () => {
    server = await scope.serve([answer('never asked')]);
    for (const home of unusableHomes()) {
      const result = await runHermes(['-p', 'hi'], { env: { ...setup(server).env, HERMES_HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^hermes: cannot create HERMES_HOME ${home}: E[A-Z]+\\n$`));
    }
    expect(server.requests).toHaveLength(0);
  });

  it.skipIf(!hasTmux)('is one error line and exit 2 for the TUI, before it opens', async () => {
    for (const [i, home] of unusableHomes().entries()) {
      const hermes = await terminals.start(`bad-home-${i}`, { home });
      expect(await hermes.exitCode()).toBe('2');
      expect(await hermes.screen()).toContain(`hermes: cannot create HERMES_HOME ${home}`);
    }
  });
});

describe('sessions you can find', () => {
  const idOf = (file: string): string => path.basename(file, '.jsonl').split('_').at(-1)!;
  const userPrompts = (body: any): string[] => conversationOf(body).filter((m: any) => m.role === 'user').map((m: any) => m.content);

  it('-c continues the session used last, not the one started last', async () => {
    server = await scope.serve([answer('a1'), answer('b1'), answer('a2'), answer('a3')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'session A'], { env });
    await runHermes(['-p', 'session B'], { env });
    const [a, b] = files();
    expect((await runHermes(['--resume', idOf(a!), '-p', 'back to A'], { env })).code).toBe(0);
    const continued = await runHermes(['-c', '-p', 'and again'], { env });
    expect(continued.code).toBe(0);
    expect(userPrompts(server.requests[3]!.json)).toEqual(['session A', 'back to A', 'and again']);
    expect(files()).toEqual([a, b]);
  });

  it('--resume without an id and without a terminal lists the sessions, last used first, and exits 0 without a request or a key', async () => {
    server = await scope.serve([answer('one'), answer('two'), answer('three')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'the first\nprompt'], { env });
    await runHermes(['-p', 'the second'], { env });
    const [first, second] = files();
    await runHermes(['--resume', idOf(first!), '-p', 'used again'], { env });

    const { OPENAI_API_KEY: _key, ...noKey } = env;
    for (const args of [['--resume'], ['--resume', '-p', 'ignored'], ['-m', 'x', '--resume']]) {
      const listed = await runHermes(args, { env: noKey });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stderr).toBe('');
      const rows = listed.stdout.trimEnd().split('\n');
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(new RegExp(`^${idOf(first!)}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  .* 4 messages  the first prompt$`));
      expect(rows[1]).toMatch(new RegExp(`^${idOf(second!)}  .* 2 messages  the second$`));
    }
    expect(server.requests).toHaveLength(3);

    const empty = await runHermes(['--resume'], { env: { ...noKey, HERMES_HOME: path.join(scope.home().hermesHome) } });
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toBe('hermes: no stored sessions yet\n');
    const both = await runHermes(['--resume', '-c'], { env });
    expect(both.code).toBe(2);
  });

  it('a torn line is reported on the resume that finds it, not on every later one', async () => {
    server = await scope.serve([answer('first answer'), answer('second answer'), answer('third answer')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'first'], { env });
    fs.appendFileSync(files()[0]!, '{"type":"message","at":"2026-11-23T00:00:00Z","message":{"role":"user","cont');
    const second = await runHermes(['-c', '-p', 'second'], { env });
    expect(second.stderr).toMatch(/^hermes: session \w+: the last line is incomplete/m);
    const third = await runHermes(['-c', '-p', 'third'], { env });
    expect(third.code).toBe(0);
    expect(third.stderr).toBe('');
    expect(userPrompts(server.requests[2]!.json)).toEqual(['first', 'second', 'third']);
  });

  it('a conversation compacted over several -c turns is resumed from the compacted view; the file keeps every message', async () => {
    const WINDOW = 6_000;
    const context = await startContextServer({ window: WINDOW, answer: () => ({ kind: 'stream', chunks: [chatTextSse(['noted'], { usage: true })] }) });
    server = context;
    const { env, files, records } = setup(context);
    try {
    const windowEnv = { ...env, HERMES_CONTEXT_WINDOW: String(WINDOW) };
    const prompt = (n: number): string => `note ${n}: ${'word '.repeat(1_000)}`;
    for (let n = 1; n <= 6; n++) {
      const run = await runHermes([...(n === 1 ? [] : ['-c']), '-p', prompt(n)], { env: windowEnv });
      expect(run.code, run.stderr).toBe(0);
    }
    expect(files()).toHaveLength(1);
    const stored = records(files()[0]!);
    expect(stored.some((r) => r.type === 'compaction' && typeof r.summary === 'string')).toBe(true);
    // Nothing said is lost from disk.
    expect(stored.filter((r) => r.type === 'message' && r.message.role === 'user').map((r) => r.message.content)).toEqual([1, 2, 3, 4, 5, 6].map(prompt));
    expect(context.counted.some((c) => c.refused)).toBe(false);

    const ordinary = context.counted.filter((c) => !c.summary);
    const last = conversationOf(ordinary.at(-1)!.request.json).map((m: any) => m.content);
    expect(last[0]).toMatch(/^\[Reference summary of the earlier conversation/);
    expect(last).not.toContain(prompt(1));
    expect(last.at(-1)).toBe(prompt(6));
    expect(ordinary.at(-1)!.tokens).toBeLessThan(WINDOW);
    } finally {
      await context.close();
    }
  });

  it.skipIf(!hasTmux)('--resume without an id opens a picker (arrows, Enter); the header and a line name the session, and on exit the command to continue it is printed', async () => {
    server = await scope.serve([answer('one'), answer('two'), answer('after the pick')]);
    const { env, files, records } = setup(server);
    await runHermes(['-p', 'older prompt'], { env });
    await runHermes(['-p', 'newer prompt'], { env });
    const [older] = files();
    const id = idOf(older!);

    const hermes = await terminals.start('picker', { home: env.HERMES_HOME, baseURL: server.baseURL, args: ['--resume'] });
    await hermes.waitForScreen((s) => s.includes('resume which session?') && s.includes('older prompt'), 'the picker');
    expect((await hermes.screen()).split('\n').find((row) => row.includes('newer prompt'))).toMatch(/^› /);
    await hermes.key('Down');
    await hermes.waitForScreen((s) => /^› .*older prompt/m.test(s), 'the choice moving down');
    await hermes.key('Enter');
    const screen = await hermes.waitForScreen((s) => s.includes('ask anything') && s.includes(`resumed session ${id}`), 'the resumed chat');
    expect(screen).not.toContain('resume which session?');
    expect(screen).toMatch(new RegExp(`^hermes .* · session ${id}$`, 'm'));
    expect(screen).toMatch(new RegExp(`resumed session ${id} · .* · 2 messages`));
    await hermes.type('go on');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('after the pick'), 'the answer');
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
    const after = await hermes.screen();
    expect(after).toContain(`session ${id} · continue it with: hermes --resume ${id}`);
    expect(records(older!).filter((r) => r.type === 'message').map((r) => r.message.content)).toEqual(['older prompt', 'one', 'go on', 'after the pick']);
  });

  it.skipIf(!hasTmux)('Esc in the picker cancels: exit 0, nothing stored; -c shows the resumed line', async () => {
    server = await scope.serve([answer('one')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'only prompt'], { env });
    const hermes = await terminals.start('picker-esc', { home: env.HERMES_HOME, baseURL: server.baseURL, args: ['--resume'] });
    await hermes.waitForScreen((s) => s.includes('only prompt'), 'the picker');
    await hermes.key('Escape');
    expect(await hermes.exitCode()).toBe('0');
    expect(files()).toHaveLength(1);

    const continued = await terminals.start('continued', { home: env.HERMES_HOME, baseURL: server.baseURL, args: ['-c'] });
    await continued.waitForScreen((s) => s.includes(`resumed session ${idOf(files()[0]!)}`) && s.includes('2 messages') && s.includes('ask anything'), 'the resumed line');
    await continued.key('C-d');
    expect(await continued.exitCode()).toBe('0');
  });
});

describe('compaction in the chat', () => {
  it.skipIf(!hasTmux)('/compact is recorded in the session file, and -c continues from the summary', async () => {
    const context = await startContextServer({ window: 6_000, answer: () => ({ kind: 'stream', chunks: [chatTextSse(['noted'], { usage: true })] }) });
    try {
      const { env, files, records } = setup(context);
      const windowEnv = { ...env, HERMES_CONTEXT_WINDOW: '6000' };
      const prompt = (n: number): string => `note ${n}: ${'word '.repeat(700)}`;
      for (let n = 1; n <= 2; n++) await runHermes([...(n === 1 ? [] : ['-c']), '-p', prompt(n)], { env: windowEnv });

      const hermes = await terminals.start('compact', { home: env.HERMES_HOME, baseURL: context.baseURL, args: ['-c'], env: { HERMES_CONTEXT_WINDOW: '6000' } });
      await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt', 20_000);
      await hermes.type('/compact');
      await hermes.key('Enter');
      await hermes.waitForScreen((s) => s.includes('(older messages summarised)'), 'the compaction line');
      await hermes.key('C-d');
      expect(await hermes.exitCode()).toBe('0');
      expect(records(files()[0]!).filter((r) => r.type === 'compaction')).toHaveLength(1);

      const next = await runHermes(['-c', '-p', 'after'], { env: windowEnv });
      expect(next.code, next.stderr).toBe(0);
      const sent = conversationOf(context.counted.at(-1)!.request.json).map((m: any) => m.content);
      expect(sent[0]).toMatch(/^\[Reference summary of the earlier conversation/);
      expect(sent).not.toContain(prompt(1));
      expect(sent.at(-1)).toBe('after');
    } finally {
      await context.close();
    }
  });
});

describe('a one-shot continuing a session at a terminal', () => {
  it.skipIf(!hasTmux)('says on stderr which session it resumed and how many messages it had', async () => {
    server = await scope.serve([answer('one'), answer('two')]);
    const { env, files } = setup(server);
    await runHermes(['-p', 'first'], { env });
    const id = path.basename(files()[0]!, '.jsonl').split('_').at(-1);
    const hermes = await terminals.start('one-shot-c', { home: env.HERMES_HOME, baseURL: server.baseURL, args: ['-c', '-p', 'again'] });
    expect(await hermes.exitCode()).toBe('0');
    const screen = await hermes.screen();
    expect(screen).toContain(`hermes: resumed session ${id} (2 messages)`);
    expect(screen).toContain('two');
  });
});
