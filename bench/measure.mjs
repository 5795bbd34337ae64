// Runs one child process the way every contender is run: node, stdin from /dev/null, stdout to a
// pipe the parent drains, and (optionally) the rusage preload. Wall time is taken by the parent
// from spawn to exit; CPU and peak RSS are the child's own figures written by the preload.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PRELOAD = fileURLToPath(new URL('./rusage-preload.mjs', import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), 'hermes-bench-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

/** A fresh folder under the bench's scratch space (removed when the bench exits). */
export function scratchDir(name) {
  return mkdtempSync(join(scratch, `${name}-`));
}

/**
 * A clean environment: nothing from the caller's shell that could change what a contender does
 * (keys, base URLs, hermes settings), plus `extra`.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(OPENAI_|ANTHROPIC_|HERMES_|NODE_OPTIONS$|NODE_ENV$|FORCE_COLOR$|NO_COLOR$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs `node [--import preload] ...args` and resolves with
 * { wallMs, cpuMs, rssMiB, code, signal, stdout, stderr } (cpuMs/rssMiB undefined without rusage).
 */
export function runNode(args, { env, rusage = true, cwd = ROOT } = {}) {
  const rusageFile = rusage ? join(scratch, `rusage-${process.pid}-${serial++}.json`) : undefined;
  const argv = rusage ? ['--import', PRELOAD, ...args] : args;
  const childEnv = rusageFile ? { ...env, BENCH_RUSAGE_FILE: rusageFile } : env;
  return new Promise((resolve, reject) => {
    const out = [];
    const err = [];
    let exitedAt;
    let exit;
    const start = performance.now();
    const child = spawn(process.execPath, argv, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      exitedAt = performance.now();
      exit = { code, signal };
    });
    // 'close' comes after 'exit' once the pipes are drained: only then is the output complete.
    child.once('close', () => {
      let usage;
      if (rusageFile) {
        try {
          usage = JSON.parse(readFileSync(rusageFile, 'utf8'));
          rmSync(rusageFile, { force: true });
        } catch {
          usage = undefined;
        }
      }
      resolve({
        wallMs: (exitedAt ?? performance.now()) - start,
        cpuMs: usage ? (usage.userCPUTime + usage.systemCPUTime) / 1000 : undefined,
        rssMiB: usage ? usage.maxRSS / 1024 : undefined,
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Where two outputs first differ, for a readable failure line. */
export function describeMismatch(actual, expected) {
  const a = actual.toString('utf8');
  let i = 0;
  while (i < a.length && i < expected.length && a[i] === expected[i]) i++;
  const show = (s) => JSON.stringify(s.slice(Math.max(0, i - 20), i + 40));
  return `${a.length} chars, expected ${expected.length}; first difference at ${i}: got ${show(a)}, expected ${show(expected)}`;
}
