import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeadTailBuffer } from '../../src/agent/tools/output-cap.js';
import { createRunShellTool, runShellTool, shellEnvironment } from '../../src/agent/tools/run-shell.js';
import { contextFor, processAlive, tempFolder } from './helpers.js';

const alive = processAlive;

async function pidFrom(file: string): Promise<number> {
  return vi.waitFor(
    () => {
      const text = fs.readFileSync(file, 'utf8').trim();
      if (!/^\d+$/.test(text)) throw new Error('no pid yet');
      return Number(text);
    },
    { timeout: 10_000, interval: 20 },
  );
}

const started: number[] = [];
afterEach(() => {
  // never leave a stray sleep behind, even when a test fails
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('run_shell', () => {
  it('runs bash in the working folder and returns the exit code and interleaved output', async () => {
    const cwd = tempFolder();
    const result = await runShellTool.run({ command: 'pwd; echo to-stderr >&2; echo "$((6 * 7))"' }, contextFor(cwd));
    expect(result).toEqual({ content: `exit code 0\n${cwd}\nto-stderr\n42\n`, isError: false });
  });

  it('returns a failing exit code as an error result with the output', async () => {
    const cwd = tempFolder();
    expect(await runShellTool.run({ command: 'echo nope; exit 3' }, contextFor(cwd))).toEqual({ content: 'exit code 3\nnope\n', isError: true });
    expect(await runShellTool.run({ command: 'true' }, contextFor(cwd))).toEqual({ content: 'exit code 0\n(no output)', isError: false });
  });

  it('passes the command text to bash untouched (quotes, $1, newlines)', async () => {
    const cwd = tempFolder();
    const result = await runShellTool.run({ command: `printf '%s|' "a b" '$1' "\\$HOME"\necho` }, contextFor(cwd));
    expect(result.content).toBe('exit code 0\na b|$1|$HOME|\n');
  });

  it('gives commands an empty stdin so they cannot wait for input', async () => {
    const cwd = tempFolder();
    expect((await runShellTool.run({ command: 'cat; read line; echo "read: $?"' }, contextFor(cwd))).content).toBe('exit code 0\nread: 1\n');
  });

  it('reports a command killed by a signal', async () => {
    const cwd = tempFolder();
    expect(await runShellTool.run({ command: 'echo before; kill -9 $$' }, contextFor(cwd))).toEqual({ content: 'killed by signal SIGKILL\nbefore\n', isError: true });
  });

  it('caps long output, keeping head and tail with the omitted byte count between', async () => {
    const cwd = tempFolder();
    const tool = createRunShellTool({ headBytes: 1000, tailBytes: 2000 });
    const result = await tool.run({ command: 'seq 1 100000' }, contextFor(cwd));
    const total = Array.from({ length: 100000 }, (_, i) => `${i + 1}\n`).join('').length;
    expect(result.content.startsWith('exit code 0\n1\n2\n3\n')).toBe(true);
    expect(result.content.endsWith('99999\n100000\n')).toBe(true);
    expect(result.content).toContain(`\n… ${total - 3000} bytes omitted …\n`);
    expect(result.content.length).toBeLessThan(3100);
  });

  it('times out, saying so, and kills the whole process group including a grandchild', async () => {
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const tool = createRunShellTool({ graceMs: 500 });
    const result = await tool.run({ command: `echo start; sleep 300 & echo $! > ${pidFile}; wait`, timeout_seconds: 0.5 }, contextFor(cwd));
    const grandchild = await pidFrom(pidFile);
    started.push(grandchild);
    expect(result.isError).toBe(true);
    expect(result.content).toBe('timed out after 0.5 s; the command and everything it started were stopped\nstart\n');
    await vi.waitFor(() => expect(alive(grandchild)).toBe(false), { timeout: 5_000 });
  });

  it('kills the whole process group as soon as the signal aborts', async () => {
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const controller = new AbortController();
    const running = runShellTool.run({ command: `(sleep 300; echo never) & echo $! > ${pidFile}; sleep 300` }, contextFor(cwd, controller.signal));
    const grandchild = await pidFrom(pidFile);
    started.push(grandchild);
    expect(alive(grandchild)).toBe(true);
    controller.abort();
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.content).toBe('interrupted by the user; the command was stopped\n(no output)');
    await vi.waitFor(() => expect(alive(grandchild)).toBe(false), { timeout: 5_000 });
  });

  it('follows SIGTERM with SIGKILL for processes that ignore it', async () => {
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const controller = new AbortController();
    const tool = createRunShellTool({ graceMs: 200 });
    // SIG_IGN is inherited: the shell and its sleep both ignore SIGTERM
    const running = tool.run({ command: `trap '' TERM; sleep 300 & echo $! > ${pidFile}; wait; wait` }, contextFor(cwd, controller.signal));
    const grandchild = await pidFrom(pidFile);
    started.push(grandchild);
    controller.abort();
    const result = await running;
    expect(result.content.startsWith('interrupted by the user')).toBe(true);
    await vi.waitFor(() => expect(alive(grandchild)).toBe(false), { timeout: 5_000 });
  });

  it('returns when the command exits, stopping background processes it left running', async () => {
    const cwd = tempFolder();
    const result = await runShellTool.run({ command: 'sleep 300 & echo $!' }, contextFor(cwd));
    const pid = Number(result.content.split('\n')[1]);
    started.push(pid);
    expect(result.content).toBe(`exit code 0\n${pid}\n`);
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5_000 });
  });

  it('does not run when already interrupted', async () => {
    const cwd = tempFolder();
    const controller = new AbortController();
    controller.abort();
    const result = await runShellTool.run({ command: `touch ${path.join(cwd, 'ran')}` }, contextFor(cwd, controller.signal));
    expect(result).toEqual({ content: 'interrupted by the user', isError: true });
    expect(fs.existsSync(path.join(cwd, 'ran'))).toBe(false);
  });

  it('refuses bad arguments and a missing working folder', async () => {
    const cwd = tempFolder();
    expect(await runShellTool.run({ command: '  ' }, contextFor(cwd))).toEqual({ content: 'command is empty', isError: true });
    expect(await runShellTool.run({ command: 'true', timeout_seconds: 0 }, contextFor(cwd))).toEqual({
      content: 'timeout_seconds must be more than 0 and at most 1800',
      isError: true,
    });
    expect(await runShellTool.run({ command: 'true', timeout_seconds: 'soon' }, contextFor(cwd))).toEqual({ content: 'parameter "timeout_seconds" must be a number', isError: true });
    expect(await runShellTool.run({ command: 'true' }, contextFor(path.join(cwd, 'gone')))).toEqual({
      content: `the working folder ${path.join(cwd, 'gone')} does not exist`,
      isError: true,
    });
  });

  it('keeps secret-looking variables out of the commands\' environment', async () => {
    const secrets = {
      OPENAI_API_KEY: 'sk-secret-1',
      ANTHROPIC_API_KEY: 'sk-ant-2',
      HERMES_SERVER_KEY: 'server-key-3',
      TELEGRAM_BOT_TOKEN: '123:abc',
      GITHUB_TOKEN: 'ghp_4',
      AWS_ACCESS_KEY_ID: 'AKIA5',
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: 'prod',
      db_password: 'hunter2',
      MY_SECRET: 's6',
      GOOGLE_APPLICATION_CREDENTIALS: '/creds.json',
      npm_config__authToken: 't7',
    };
    const env = shellEnvironment({ PATH: process.env.PATH, HOME: '/home/u', LANG: 'C.UTF-8', ...secrets });
    expect(env).toEqual({ PATH: process.env.PATH, HOME: '/home/u', LANG: 'C.UTF-8' });
    const cwd = tempFolder();
    const result = await createRunShellTool({ env: { PATH: process.env.PATH, ...secrets } }).run({ command: 'env' }, contextFor(cwd));
    for (const [name, value] of Object.entries(secrets)) {
      expect(result.content).not.toContain(name);
      expect(result.content).not.toContain(value);
    }
  });

  it('passes on the variables named in keepEnv (config.json shellEnv.keep)', async () => {
    const cwd = tempFolder();
    const tool = createRunShellTool({ env: { PATH: process.env.PATH, GITHUB_TOKEN: 'ghp_kept', NPM_TOKEN: 'npm_dropped' }, keepEnv: ['GITHUB_TOKEN'] });
    const result = await tool.run({ command: 'echo "${GITHUB_TOKEN:-none} ${NPM_TOKEN:-none}"' }, contextFor(cwd));
    expect(result.content).toBe('exit code 0\nghp_kept none\n');
  });
});

describe.runIf(process.platform === 'linux')('processes that leave the process group', () => {
  // Each writes its own pid (after setsid, a double fork or nohup) and then becomes a sleep.
  const escapes: Record<string, (pidFile: string) => string> = {
    setsid: (f) => `setsid sh -c 'echo $$ > ${f}; exec sleep 300' &`,
    'double fork': (f) => `( (sh -c 'echo $$ > ${f}; exec sleep 300' &) & )`,
    'double fork in a new session': (f) => `( (setsid sh -c 'echo $$ > ${f}; exec sleep 300' &) & )`,
    nohup: (f) => `nohup sh -c 'echo $$ > ${f}; exec sleep 300' > /dev/null 2>&1 &`,
    'setsid nohup': (f) => `setsid nohup sh -c 'echo $$ > ${f}; exec sleep 300' > /dev/null 2>&1 &`,
  };

  for (const [name, escape] of Object.entries(escapes)) {
    it(`${name}: stopped when the command finishes`, async () => {
      const cwd = tempFolder();
      const pidFile = path.join(cwd, 'pid');
      const result = await runShellTool.run({ command: `${escape(pidFile)}\nwhile [ ! -s ${pidFile} ]; do sleep 0.05; done; echo started` }, contextFor(cwd));
      const pid = await pidFrom(pidFile);
      started.push(pid);
      expect(result.content).toBe('exit code 0\nstarted\n');
      expect(alive(pid)).toBe(false);
    });
  }

  it('setsid: stopped on interrupt', async () => {
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const controller = new AbortController();
    const running = runShellTool.run({ command: `${escapes.setsid!(pidFile)}\nsleep 300` }, contextFor(cwd, controller.signal));
    const pid = await pidFrom(pidFile);
    started.push(pid);
    controller.abort();
    expect((await running).content).toMatch(/^interrupted by the user/);
    expect(alive(pid)).toBe(false);
  });

  it('setsid ignoring SIGTERM: killed on timeout', async () => {
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const tool = createRunShellTool({ graceMs: 200 });
    const command = `setsid sh -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 1; done' & sleep 300`;
    const running = tool.run({ command, timeout_seconds: 1 }, contextFor(cwd));
    const pid = await pidFrom(pidFile);
    started.push(pid);
    expect((await running).content).toMatch(/^timed out after 1 s/);
    expect(alive(pid)).toBe(false);
  });

  it('leaves processes of other tool runs alone', async () => {
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const controller = new AbortController();
    const other = runShellTool.run({ command: `echo $$ > ${pidFile}; sleep 300` }, contextFor(cwd, controller.signal));
    const pid = await pidFrom(pidFile);
    started.push(pid);
    await runShellTool.run({ command: 'setsid sleep 300 &' }, contextFor(cwd));
    expect(alive(pid)).toBe(true);
    controller.abort();
    await other;
  });
});

describe('head and tail output buffer', () => {
  it('keeps everything under the limits', () => {
    const buffer = new HeadTailBuffer(4, 4);
    buffer.push(Buffer.from('abc'));
    buffer.push(Buffer.from('defgh'));
    expect(buffer.toString()).toBe('abcdefgh');
    expect(buffer.omitted).toBe(0);
  });

  it('drops the middle across many chunks and never splits a character', () => {
    const buffer = new HeadTailBuffer(4, 2);
    for (const piece of ['ab', 'cé', 'xxxxxxxx', 'yyyy', 'é!']) buffer.push(Buffer.from(piece));
    // 20 bytes: the 4-byte head ends inside the first é and the 2-byte tail starts inside the
    // second; both halves are dropped and counted as omitted.
    expect(buffer.toString()).toBe('abc\n… 16 bytes omitted …\n!');
  });
});
