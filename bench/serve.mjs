// hermes serve under load: 20 concurrent clients (the openai SDK) each stream a 2,000-token
// answer through `hermes serve` (the built binary), against the same clients reading the fake
// provider directly. Both scenarios run in this one invocation, alternating, so the machine's
// speed cancels out of the ratios:
//   - total time for the whole round (target <= 1.3x),
//   - time to first token added by hermes, at the median over every client of every run
//     (target <= 10 ms),
//     (also reported with one client at a time, for reference),
//   - server memory per concurrent stream (peak RSS during a round minus RSS before it, / 20;
//     reported, no target).
// The fake provider runs in its own process, as a real one would not share the clients' CPU.
// Targets are reported (PASS/MISS), not enforced; the exit code is 1 only when a client got a
// wrong answer or a contender failed, because figures of a broken run mean nothing.
//
//   BENCH_SERVE_RUNS=7       measured rounds per scenario (after one warm-up each)
//   BENCH_SERVE_CLIENTS=20   concurrent clients per round
//   BENCH_SERVE_TOKENS=2000  tokens per answer
//   BENCH_SERVE_HERMES=path  another build's bin/hermes.js (to compare builds)
//   BENCH_VERBOSE=1          print every round

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import { expectedText } from './fake-server.mjs';
import { ROOT, cleanEnv, median, scratchDir } from './measure.mjs';

const TARGETS = { total: 1.3, ttftAddedMs: 10 };

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Starts a child and resolves with it once `pattern` matches its stdout. */
function startChild(args, env, pattern) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t) => {
    // hermes logs a line per request; keep only the tail for error reports.
    stderr = (stderr + t).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready: ${stderr.trim().slice(-500)}`)));
    child.stdout.setEncoding('utf8').on('data', (t) => {
      stdout += t;
      const match = pattern.exec(stdout);
      if (match) {
        child.removeAllListeners('exit');
        resolve({ child, match, stderr: () => stderr });
      }
    });
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.kill('SIGTERM');
  });
}

/** Resident set size of a process in KiB (Linux /proc), or undefined elsewhere. */
function rssKiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, in ms (Linux /proc), or undefined elsewhere. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ', 2)[1].split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** One round: `clients` concurrent streams from baseURL. Resolves with total and per-client figures. */
async function round(baseURL, clients, expected) {
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: clients }, async () => {
      // A fresh connection per request: a reused keep-alive connection that the server closes at
      // that very moment would fail a request for reasons that have nothing to do with hermes.
      const client = new OpenAI({ apiKey: 'bench-key', baseURL, maxRetries: 0, defaultHeaders: { connection: 'close' } });
      const t0 = performance.now();
      let ttft;
      const parts = [];
      try {
        const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true });
        for await (const chunk of stream) {
          const text = chunk.choices[0]?.delta?.content;
          if (text) {
            ttft ??= performance.now() - t0;
            parts.push(text);
          }
        }
      } catch (err) {
        return { ttft, error: err instanceof Error ? err.message : String(err) };
      }
      const text = parts.join('');
      return { ttft, error: text === expected ? undefined : `wrong answer: ${text.length} chars, expected ${expected.length}` };
    }),
  );
  return { total: performance.now() - start, ttfts: results.map((r) => r.ttft), errors: results.map((r) => r.error).filter(Boolean) };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const verdict = (value, target) => (Number.isFinite(value) ? (value <= target ? 'PASS' : 'MISS') : '—');

/**
 * Runs the benchmark and prints its report. Returns the list of failures (empty when every
 * client got the right answer every time).
 */
export async function runServeBench(options = {}) {
  const runs = options.runs ?? positiveInt(process.env.BENCH_SERVE_RUNS, 7);
  const clients = options.clients ?? positiveInt(process.env.BENCH_SERVE_CLIENTS, 20);
  const tokens = options.tokens ?? positiveInt(process.env.BENCH_SERVE_TOKENS, 2000);
  const verbose = process.env.BENCH_VERBOSE === '1';
  const failures = [];
  if (!process.env.BENCH_SERVE_HERMES && !existsSync(join(ROOT, 'dist/cli.js'))) {
    return ['bench/serve: dist/cli.js is missing; run `npm run build` first'];
  }
  const expected = expectedText(tokens);

  const fake = await startChild([join(ROOT, 'bench/fake-server.mjs')], cleanEnv(), /^(http:\/\/127\.0\.0\.1:\d+)\n/m);
  const upstream = `${fake.match[1]}/t${tokens}/v1`;
  let hermes;
  try {
    hermes = await startChild(
      [process.env.BENCH_SERVE_HERMES ?? join(ROOT, 'bin/hermes.js'), 'serve', '--port', '0', '--base-url', upstream, '-m', 'gpt-4o', '--max-concurrent', String(Math.max(64, clients))],
      cleanEnv({ HERMES_HOME: scratchDir('serve-home') }),
      /listening on (http:\/\/\S+)/,
    );
    const through = `${hermes.match[1]}/v1`;
    const pid = hermes.child.pid;

    process.stderr.write(`  running hermes serve: ${clients} clients x ${tokens.toLocaleString('en-US')} tokens…\n`);
    const samples = { direct: [], hermes: [] };
    const memory = [];
    const cpu = { hermes: [], clients: { direct: [], hermes: [] } };
    const run = async (name, label) => {
      let peak = 0;
      let before;
      let sampler;
      const cpuBefore = cpuMs(pid);
      const clientCpuBefore = process.cpuUsage();
      if (name === 'hermes') {
        before = rssKiB(pid);
        sampler = setInterval(() => (peak = Math.max(peak, rssKiB(pid) ?? 0)), 5);
      }
      const result = await round(name === 'hermes' ? through : upstream, clients, expected);
      const clientCpu = process.cpuUsage(clientCpuBefore);
      if (label !== 'warm-up') cpu.clients[name].push((clientCpu.user + clientCpu.system) / 1000);
      if (name === 'hermes' && label !== 'warm-up') cpu.hermes.push(cpuMs(pid) - cpuBefore);
      if (sampler) {
        clearInterval(sampler);
        peak = Math.max(peak, rssKiB(pid) ?? 0);
        if (before !== undefined && label !== 'warm-up') memory.push((peak - before) / clients);
      }
      for (const error of new Set(result.errors)) failures.push(`serve ${name} ${label}: ${error}`);
      if (label !== 'warm-up') samples[name].push(result);
      if (verbose) {
        const sorted = [...result.ttfts].sort((a, b) => a - b).map((t) => fmt(t));
        console.log(`  ${name.padEnd(7)} ${label.padEnd(8)} total ${fmt(result.total)} ms, TTFTs ${sorted.join(' ')}`);
      }
    };
    await run('direct', 'warm-up');
    await run('hermes', 'warm-up');
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['direct', 'hermes'] : ['hermes', 'direct'];
      for (const name of order) await run(name, `run ${i + 1}`);
    }

    // The same figure without load: one client at a time, what one more hop costs.
    const idle = { direct: [], hermes: [] };
    for (let i = 0; i < 2 * runs + 1; i++) {
      for (const name of i % 2 === 0 ? ['direct', 'hermes'] : ['hermes', 'direct']) {
        const result = await round(name === 'hermes' ? through : upstream, 1, expected);
        for (const error of result.errors) failures.push(`serve ${name} single client: ${error}`);
        idle[name].push(result.ttfts[0]);
      }
    }

    const total = { direct: median(samples.direct.map((s) => s.total)), hermes: median(samples.hermes.map((s) => s.total)) };
    const ttft = { direct: median(samples.direct.flatMap((s) => s.ttfts)), hermes: median(samples.hermes.flatMap((s) => s.ttfts)) };
    const ratio = total.hermes / total.direct;
    const added = ttft.hermes - ttft.direct;
    const perStream = median(memory);
    console.log('');
    console.log(`hermes serve, ${clients} concurrent clients x ${tokens.toLocaleString('en-US')} tokens, ${runs} rounds per scenario (medians, alternating order, one warm-up each):`);
    console.log(`  total time        hermes ${fmt(total.hermes)} ms, direct ${fmt(total.direct)} ms: ${fmt(ratio, 2)}x (target <= ${TARGETS.total}x) ${verdict(ratio, TARGETS.total)}`);
    console.log(`  first token       hermes ${fmt(ttft.hermes, 1)} ms, direct ${fmt(ttft.direct, 1)} ms: ${added >= 0 ? '+' : ''}${fmt(added, 1)} ms (target <= ${TARGETS.ttftAddedMs} ms) ${verdict(added, TARGETS.ttftAddedMs)}`);
    const idleAdded = median(idle.hermes) - median(idle.direct);
    console.log(`  first token, one client at a time: hermes ${fmt(median(idle.hermes), 1)} ms, direct ${fmt(median(idle.direct), 1)} ms: ${idleAdded >= 0 ? '+' : ''}${fmt(idleAdded, 1)} ms (for reference)`);
    console.log(`  CPU per round     hermes serve ${fmt(median(cpu.hermes))} ms; the clients' process ${fmt(median(cpu.clients.hermes))} ms through hermes, ${fmt(median(cpu.clients.direct))} ms direct`);
    console.log(`  server memory     ${fmt(perStream / 1024, 2)} MiB per concurrent stream (peak RSS during a round minus RSS before it, / ${clients})`);
    console.log(`  spread of totals  hermes ${fmt(Math.min(...samples.hermes.map((s) => s.total)))}-${fmt(Math.max(...samples.hermes.map((s) => s.total)))} ms, direct ${fmt(Math.min(...samples.direct.map((s) => s.total)))}-${fmt(Math.max(...samples.direct.map((s) => s.total)))} ms`);
  } finally {
    if (hermes) {
      const code = await stopChild(hermes.child);
      if (code !== 0) failures.push(`serve: hermes serve exited with ${code} after SIGTERM (stderr: ${hermes.stderr().trim().split('\n').slice(-3).join(' | ')})`);
    }
    await stopChild(fake.child);
  }
  return failures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const failures = await runServeBench();
  if (failures.length > 0) {
    console.log('');
    console.log(`${failures.length} problem(s); the figures above are not trustworthy:`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
    process.exit(1);
  }
}
