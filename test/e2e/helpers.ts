// Runs the built hermes binary the way a user does: a real process, real pipes, a loopback
// API server, HERMES_HOME in a temporary folder and no real keys in sight.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll } from 'vitest';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'hermes.js');
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');
const LOCK = path.join(os.tmpdir(), `hermes-build-lock-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}`);

/**
 * The suite normally runs after `npm run build`. When dist/ is missing, build once; several
 * test files start at the same time, so the first takes a lock and the others wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  if (fs.existsSync(BUNDLE)) return;
  let owner = false;
  try {
    fs.mkdirSync(LOCK);
    owner = true;
  } catch {
    // someone else is building
  }
  if (owner) {
    try {
      const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
      if (result.status !== 0) throw new Error('npm run build failed');
    } finally {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
    return;
  }
  while (fs.existsSync(LOCK)) await new Promise((r) => setTimeout(r, 100));
  if (!fs.existsSync(BUNDLE)) await ensureBuilt();
}

/** A fresh HOME and HERMES_HOME for one test. */
export function tempHome(): { home: string; hermesHome: string; cleanup(): void } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-e2e-'));
  const hermesHome = path.join(home, 'hermes-home');
  fs.mkdirSync(hermesHome);
  return { home, hermesHome, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/**
 * What every e2e file needs around its tests: the binary built once before them, and after
 * each test the loopback servers it started closed and the temporary homes it made removed.
 */
export function e2eScope(): { serve(script: Parameters<typeof startLoopback>[0]): Promise<LoopbackServer>; home(): ReturnType<typeof tempHome> } {
  const servers: LoopbackServer[] = [];
  const homes: ReturnType<typeof tempHome>[] = [];
  beforeAll(ensureBuilt, 120_000);
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    for (const home of homes.splice(0)) home.cleanup();
  });
  return {
    async serve(script) {
      const server = await startLoopback(script);
      servers.push(server);
      return server;
    },
    home() {
      const home = tempHome();
      homes.push(home);
      return home;
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** performance.now() when the process exited. */
  exitedAt: number;
}

export interface Running {
  child: ChildProcess;
  /** Every stdout chunk with performance.now() at arrival (same clock as the loopback server). */
  stdoutChunks: { at: number; text: string }[];
  /** Resolves when stdout has received text containing `needle`. */
  waitForStdout(needle: string): Promise<number>;
  result: Promise<RunResult>;
}

export interface RunOptions {
  /** The child's complete environment (nothing is inherited but PATH). */
  env: Record<string, string | undefined>;
  /** Text written to stdin and then closed; default: stdin is /dev/null. */
  stdin?: string;
  /** The working folder; default: the repository root. */
  cwd?: string;
}

export function startHermes(args: string[], options: RunOptions): Running {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.stdin !== undefined) {
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.stdin);
  }
  const stdoutChunks: { at: number; text: string }[] = [];
  const waiters: { needle: string; resolve: (at: number) => void }[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (text: string) => {
    const at = performance.now();
    stdoutChunks.push({ at, text });
    stdout += text;
    for (const w of [...waiters]) {
      if (stdout.includes(w.needle)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(at);
      }
    }
  });
  child.stdout!.on('error', () => {});
  child.stderr!.on('data', (text: string) => (stderr += text));
  const result = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, exitedAt: performance.now() }));
  });
  return {
    child,
    stdoutChunks,
    result,
    waitForStdout(needle) {
      if (stdout.includes(needle)) return Promise.resolve(stdoutChunks[stdoutChunks.length - 1]!.at);
      return new Promise((resolve, reject) => {
        waiters.push({ needle, resolve });
        void result.then((r) => reject(new Error(`hermes exited (${r.code}) before printing ${JSON.stringify(needle)}; stderr: ${r.stderr}`)));
      });
    },
  };
}

export function runHermes(args: string[], options: RunOptions): Promise<RunResult> {
  return startHermes(args, options).result;
}

/** The SSE frames of a body, each with its blank-line terminator. */
export function framesOf(body: string): string[] {
  return body
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => `${frame}\n\n`);
}

/** The conversation a request carried, without the system prompt hermes puts first. */
export function conversationOf(json: { messages: { role: string }[] }): any[] {
  return json.messages.filter((message) => message.role !== 'system');
}
