// Runs a shell command in its own process group so that everything it starts — pipelines,
// background jobs, grandchildren — can be stopped together: SIGTERM to the group, then SIGKILL
// after a grace period. stdout and stderr share one pipe, so they interleave as they happened.

import { spawn } from 'node:child_process';
import { HeadTailBuffer } from './output-cap.js';

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

/** After the shell exits, how long to wait for output still in the pipe. */
const DRAIN_MS = 250;

// `exec 2>&1` joins stderr to stdout before the user's command runs, which then gets a bash of
// its own (exec'd: same process, same group) with the command text passed untouched as $1.
const WRAPPER = 'exec 2>&1; exec bash -c "$1"';

export function runInProcessGroup(run: GroupRun): Promise<GroupOutcome> {
  return new Promise((resolve) => {
    const output = new HeadTailBuffer(run.headBytes, run.tailBytes);
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn('bash', ['-c', WRAPPER, 'hermes-shell', run.command], {
      cwd: run.cwd,
      env: run.env,
      detached: true, // its own session and process group, led by the shell
      stdio: ['ignore', 'pipe', 'ignore'],
    });

    const groupAlive = (): boolean => {
      if (child.pid === undefined) return false;
      try {
        process.kill(-child.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const signalGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const terminate = (): void => {
      if (killTimer) return;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), run.graceMs);
    };

    const finish = (spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(drainTimer);
      run.signal.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      resolve({
        output: output.toString(),
        omitted: output.omitted,
        exitCode: exit?.code ?? null,
        exitSignal: exit?.signal ?? null,
        timedOut,
        aborted,
        spawnError,
      });
    };

    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      terminate();
    }, run.timeoutMs);
    run.signal.addEventListener('abort', onAbort, { once: true });
    if (run.signal.aborted) onAbort();

    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stdout?.on('close', () => {
      if (exit) finish();
    });
    child.on('error', (err) => finish(err.message));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Whatever the command left running in the background goes with it.
      if (groupAlive()) terminate();
      if (child.stdout === null || child.stdout.closed) finish();
      else drainTimer = setTimeout(() => finish(), DRAIN_MS);
    });
  });
}
