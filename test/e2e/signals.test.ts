// Ctrl+C, kill and a closed terminal (SIGTERM, SIGHUP), and a reader that goes away
// (`hermes -p x | head -c 5`), with the built binary.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoopbackServer } from '../support/loopback.js';
import { chatTextFrames, chatToolCallSse } from '../support/wire/openai-chat.js';
import { BIN, e2eScope, startHermes } from './helpers.js';
import { eventually, processesIn } from './processes.js';
import { hasTmux, TmuxServer } from './tmux.js';

const scope = e2eScope();
let server: LoopbackServer | undefined;

function env(s: LoopbackServer, dirs = scope.home()) {
  return { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, OPENAI_BASE_URL: s.baseURL, OPENAI_API_KEY: 'sk-test-e2e-0123456789' };
}

/** The frames, counting how many of them the server has taken to send. */
function counted(frames: string[]): { chunks: string[]; sent(): number } {
  let taken = 0;
  const chunks = new Proxy(frames, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) taken = Math.max(taken, Number(key) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  return { chunks, sent: () => taken };
}

describe('SIGINT while the answer streams', () => {
  it('closes the connection, keeps the partial text, ends the line and exits 130', async () => {
    const frames = chatTextFrames(['The beginning', ' of an answer', ' never finished']);
    server = await scope.serve([{ kind: 'stream', chunks: frames.slice(0, 3), hang: true }]);
    const run = startHermes(['-p', 'go'], { env: env(server) });
    await run.waitForStdout('of an answer');
    const request = server.requests[0]!;

    const interruptedAt = performance.now();
    run.child.kill('SIGINT');
    const closedAt = await request.closed;
    const result = await run.result;

    expect(result.code).toBe(130);
    expect(result.stdout).toBe('The beginning of an answer\n');
    expect(result.stderr).toBe('');
    // The server saw the connection close (it was left hanging, so only an abort closes it).
    expect(closedAt).toBeGreaterThanOrEqual(interruptedAt);
  });

  it('interrupts a request that has not answered yet', async () => {
    server = await scope.serve([{ kind: 'hang' }]);
    const run = startHermes(['-p', 'go', '--output-format', 'json'], { env: env(server) });
    const request = await server.waitForRequest(1);
    run.child.kill('SIGINT');
    await request.closed;
    const result = await run.result;
    expect(result.code).toBe(130);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'interrupted', text: '' });
  });
});

describe('a closed stdout', () => {
  it('ends quietly with exit 0 and stops the model', async () => {
    const tokens = Array.from({ length: 200 }, (_, i) => `token${i} `);
    const frames = counted(chatTextFrames(tokens));
    server = await scope.serve([{ kind: 'stream', chunks: frames.chunks, delayMs: 20 }]);
    const run = startHermes(['-p', 'go'], { env: env(server) });
    await run.waitForStdout('token0');
    // What `| head -c 5` does once it has its bytes: close the read end of the pipe.
    run.child.stdout!.destroy();
    const result = await run.result;
    await server.requests[0]!.closed;

    expect(result.code).toBe(0);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(frames.sent()).toBeLessThan(frames.chunks.length);
  });
});

describe('SIGTERM and SIGHUP while a tool runs', () => {
  const SLEEP = ['sleep', '300'];

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} kills the tool's processes, stores the partial answer and the interrupted result, exits ${code}`, async () => {
      server = await scope.serve([
        { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_sleep', name: 'run_shell', arguments: JSON.stringify({ command: 'sleep 300' }) }], { textBefore: ['Waiting a while.'] })] },
      ]);
      const dirs = scope.home();
      const cwd = fs.realpathSync(dirs.home);
      const run = startHermes(['--yolo', '-p', 'wait'], { env: env(server, dirs), cwd });
      await eventually(() => processesIn(cwd, SLEEP).length > 0 && processesIn(cwd, SLEEP), 'sleep 300 to start');

      run.child.kill(signal);
      const result = await run.result;
      const survivors = processesIn(cwd, SLEEP);
      for (const survivor of survivors) process.kill(survivor, 'SIGKILL');

      expect(survivors).toEqual([]);
      expect(result.code).toBe(code);
      expect(result.stdout).toContain('Waiting a while.');
      const messages = storedMessages(dirs.hermesHome);
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      expect(messages[1]).toMatchObject({ content: 'Waiting a while.', toolCalls: [{ id: 'call_sleep', name: 'run_shell' }] });
      expect(messages[2]).toMatchObject({ toolCallId: 'call_sleep', isError: true });
      expect(messages[2].content).toMatch(/interrupted/);
    });
  }
});

describe.skipIf(!hasTmux)('SIGTERM and SIGHUP while a tool runs in the TUI (tmux)', () => {
  const terminals = new TmuxServer('signals');
  afterAll(() => terminals.stop());
  const SLEEP = ['sleep', '300'];

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    // The command ignores SIGTERM, so only the SIGKILL after the tool's grace period stops it:
    // hermes must wait for that, not exit first.
    it(`${signal}: the tool's processes are killed (even ones ignoring SIGTERM), the session records the interruption, the terminal is restored, exit ${code}`, async () => {
      const command = "trap '' TERM; sleep 300";
      server = await scope.serve([
        { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_sleep', name: 'run_shell', arguments: JSON.stringify({ command }) }], { textBefore: ['Waiting a while.'] })] },
      ]);
      const dirs = scope.home();
      const cwd = fs.realpathSync(dirs.home);
      const hermes = await terminals.start(signal.toLowerCase(), { cwd, home: dirs.hermesHome, baseURL: server.baseURL, args: ['--yolo'] });
      await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
      await hermes.type('wait');
      await hermes.key('Enter');
      await eventually(() => processesIn(cwd, SLEEP).length > 0, 'sleep 300 to start');
      const [pid] = processesIn(cwd, [process.execPath, BIN, '--yolo']);
      expect(pid).toBeDefined();

      process.kill(pid!, signal);
      const exit = await hermes.exitCode();
      const survivors = processesIn(cwd, SLEEP);
      for (const survivor of survivors) process.kill(survivor, 'SIGKILL');

      expect(survivors).toEqual([]);
      expect(exit).toBe(String(code));
      const written = hermes.written();
      // The cursor is shown again after the last time it was hidden.
      expect(written.lastIndexOf('\x1b[?25h')).toBeGreaterThan(written.lastIndexOf('\x1b[?25l'));
      const messages = storedMessages(dirs.hermesHome);
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      expect(messages[1]).toMatchObject({ content: 'Waiting a while.', toolCalls: [{ id: 'call_sleep', name: 'run_shell' }] });
      expect(messages[2]).toMatchObject({ toolCallId: 'call_sleep', isError: true });
      expect(messages[2].content).toMatch(/interrupted/);
    });
  }
});

describe.skipIf(!hasTmux)('the terminal closing while a tool runs in the TUI (tmux)', () => {
  const terminals = new TmuxServer('hangup');
  afterAll(() => terminals.stop());

  it("kills the tool's processes and stores the interruption when the pane is killed", async () => {
    server = await scope.serve([
      { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_sleep', name: 'run_shell', arguments: JSON.stringify({ command: 'sleep 300' }) }], { textBefore: ['Waiting a while.'] })] },
    ]);
    const dirs = scope.home();
    const cwd = fs.realpathSync(dirs.home);
    const hermes = await terminals.start('closed', { cwd, home: dirs.hermesHome, baseURL: server.baseURL, args: ['--yolo'] });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('wait');
    await hermes.key('Enter');
    await eventually(() => processesIn(cwd, ['sleep', '300']).length > 0, 'sleep 300 to start');
    const [pid] = processesIn(cwd, [process.execPath, BIN, '--yolo']);
    expect(pid).toBeDefined();

    // What closing the terminal window does: the pty goes away and its processes get SIGHUP.
    await terminals.tmux('kill-session', '-t', hermes.session);
    await eventually(() => !fs.existsSync(`/proc/${pid}`) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'), 'hermes to exit');
    const survivors = processesIn(cwd, ['sleep', '300']);
    for (const survivor of survivors) process.kill(survivor, 'SIGKILL');

    expect(survivors).toEqual([]);
    const messages = storedMessages(dirs.hermesHome);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(messages[2].content).toMatch(/interrupted/);
    expect(fs.readdirSync(path.join(dirs.hermesHome, 'sessions')).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });
});

/** The messages of the one session stored under `hermesHome`. */
function storedMessages(hermesHome: string): any[] {
  const dir = path.join(hermesHome, 'sessions');
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return fs
    .readFileSync(path.join(dir, files[0]!), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((record) => record.type === 'message')
    .map((record) => record.message);
}
