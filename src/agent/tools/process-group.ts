// Runs a shell command in its own process group so that everything it starts — pipelines,
// background jobs, grandchildren — can be stopped together: SIGTERM, then SIGKILL after a grace
// period. A process can leave the group (setsid, a double fork, nohup plus setsid), so each run
// also marks its processes with an environment token that children inherit; on Linux the
// processes carrying it are found in /proc and stopped with the group (tool-run-sweep.ts).
// Whenever the call ends — exit, timeout or interrupt — nothing it started is left running.
// stdout and stderr share one pipe, so they interleave as they happened.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { HeadTailBuffer } from './output-cap.js';
import { stopToolRun, TOOL_RUN_VARIABLE } from './tool-run-sweep.js';

export interface GroupRun {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
  headBytes: number;
  tailBytes: number;
}

export interface GroupOutcome {
  output: string;
  /** Output bytes dropped between head and tail. */
  omitted: number;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** The shell could not be started. */
  spawnError?: string;
}

/** After everything is stopped, how long to wait for output still in the pipe. */
const DRAIN_MS = 250;
/** After SIGKILL, how long to wait for the shell's exit (a process stuck in the kernel may take long). */
const EXIT_AFTER_KILL_MS = 5000;

// `exec 2>&1` joins stderr to stdout before the user's command runs, which then gets a bash of
// its own (exec'd: same process, same group) with the command text passed untouched as $1.
const WRAPPER = 'exec 2>&1; exec bash -c "$1"';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export async function runInProcessGroup(run: GroupRun): Promise<GroupOutcome> {
  const output = new HeadTailBuffer(run.headBytes, run.tailBytes);
  const token = randomBytes(16).toString('hex');
  const child = spawn('bash', ['-c', WRAPPER, 'hermes-shell', run.command], {
    cwd: run.cwd,
    env: { ...run.env, [TOOL_RUN_VARIABLE]: token },
    detached: true, // its own session and process group, led by the shell
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  const drained = new Promise<void>((resolve) => {
    if (!child.stdout) resolve();
    child.stdout?.on('close', resolve);
    child.stdout?.on('error', () => resolve());
  });
  const exited = new Promise<Exit | { spawnError: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => resolve({ spawnError: err.message }));
  });

  let timedOut = false;
  let aborted = false;
  let onAbort: (() => void) | undefined;
  let timeout: NodeJS.Timeout | undefined;
  const stopAsked = new Promise<void>((resolve) => {
    onAbort = () => {
      aborted = true;
      resolve();
    };
    timeout = setTimeout(() => {
      timedOut = true;
      resolve();
    }, run.timeoutMs);
    run.signal.addEventListener('abort', onAbort, { once: true });
    if (run.signal.aborted) onAbort();
  });

  try {
    const first = await Promise.race([exited, stopAsked]);
    if (first && 'spawnError' in first) return outcome(output, undefined, false, false, first.spawnError);
    // The shell's exit, a timeout or an interrupt: the group and every marked process go.
    await stopToolRun(child.pid, token, run.graceMs);
    const exit = await Promise.race([exited, delay(EXIT_AFTER_KILL_MS)]);
    if (exit && 'spawnError' in exit) return outcome(output, undefined, timedOut, aborted, exit.spawnError);
    // A process that escaped the token (env -i) may still hold the pipe: do not wait for it.
    await Promise.race([drained, delay(DRAIN_MS)]);
    return outcome(output, exit, timedOut, aborted);
  } finally {
    clearTimeout(timeout);
    if (onAbort) run.signal.removeEventListener('abort', onAbort);
    child.stdout?.destroy();
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}

function outcome(output: HeadTailBuffer, exit: Exit | undefined, timedOut: boolean, aborted: boolean, spawnError?: string): GroupOutcome {
  return {
    output: output.toString(),
    omitted: output.omitted,
    exitCode: exit?.code ?? null,
    exitSignal: exit?.signal ?? null,
    timedOut,
    aborted,
    ...(spawnError !== undefined ? { spawnError } : {}),
  };
}
