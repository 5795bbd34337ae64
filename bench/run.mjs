// hermes benchmarks: `hermes -p` against a minimal client on the same SDK, and start-up against
// bare node. Every figure is a median of runs taken in alternating order in this one process, and
// is printed as a hermes/reference ratio: the machine's speed cancels out, noise does not, so
// targets are reported (PASS/MISS), never enforced. The exit code is 1 only when a run printed
// the wrong answer or failed, because a benchmark of a broken run means nothing.
//
//   BENCH_RUNS=9            measured runs per contender and scenario (after one warm-up each)
//   BENCH_STARTUP_RUNS=15   runs per contender for start-up
//   BENCH_TOKENS=2000,20000 answer lengths
//   BENCH_WIRES=openai,anthropic
//   BENCH_VERBOSE=1         print every sample
//   BENCH_SERVE=0           skip the hermes serve benchmark (bench/serve.mjs, BENCH_SERVE_* there)
//   BENCH_CONVERSATION=0    skip the long tool session (caching and compaction, bench/conversation.mjs)
//   BENCH_GATEWAY=0         skip the gateway benchmark (bench/gateway.mjs, BENCH_GATEWAY_* there)

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedText, startFakeServer } from './fake-server.mjs';
import { ROOT, cleanEnv, describeMismatch, median, runNode, scratchDir } from './measure.mjs';

const RUNS = positiveInt(process.env.BENCH_RUNS, 9);
const STARTUP_RUNS = positiveInt(process.env.BENCH_STARTUP_RUNS, 15);
const TOKENS = (process.env.BENCH_TOKENS ?? '2000,20000').split(',').map((s) => positiveInt(s.trim(), 2000));
const WIRES = (process.env.BENCH_WIRES ?? 'openai,anthropic').split(',').map((s) => s.trim());
const VERBOSE = process.env.BENCH_VERBOSE === '1';

const TARGETS = { wall: 1.0, cpu: 1.0, rss: 1.1, startup: 1.5 };
const WIRE = {
  openai: { envVar: 'OPENAI_BASE_URL', reference: 'bench/reference-openai.mjs', model: 'gpt-4o' },
  anthropic: { envVar: 'ANTHROPIC_BASE_URL', reference: 'bench/reference-anthropic.mjs', model: 'claude-sonnet-4-20250514' },
};

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const HERMES = join(ROOT, 'bin/hermes.js');
if (!existsSync(join(ROOT, 'dist/cli.js'))) {
  console.error('bench: dist/cli.js is missing; run `npm run bench` (it builds first).');
  process.exit(1);
}
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const hermesHome = scratchDir('home');

const failures = [];

/** Runs a contender once and checks it did the whole job. */
async function runChecked(label, contender, check) {
  const result = await runNode(contender.args, { env: contender.env, rusage: contender.rusage ?? true });
  const measured = contender.rusage === false || result.cpuMs !== undefined;
  const problem = check(result, contender) ?? (measured ? undefined : 'the rusage preload wrote no figures');
  if (problem) {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' | ');
    failures.push(`${label}: ${problem}${stderr ? ` (stderr: ${stderr.slice(0, 300)})` : ''}`);
  }
  return result;
}

/** Alternating runs of two contenders after one warm-up each; returns the samples of both. */
async function compare(label, a, b, runs, check) {
  const samples = { [a.name]: [], [b.name]: [] };
  await runChecked(`${label} ${a.name} (warm-up)`, a, check);
  await runChecked(`${label} ${b.name} (warm-up)`, b, check);
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    for (const c of order) samples[c.name].push(await runChecked(`${label} ${c.name} run ${i + 1}`, c, check));
  }
  return samples;
}

function summarise(samples) {
  return {
    wall: median(samples.map((s) => s.wallMs)),
    cpu: median(samples.map((s) => s.cpuMs)),
    rss: median(samples.map((s) => s.rssMiB)),
    wallMin: Math.min(...samples.map((s) => s.wallMs)),
    wallMax: Math.max(...samples.map((s) => s.wallMs)),
  };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const verdict = (ratio, target) => (Number.isFinite(ratio) ? (ratio <= target ? 'PASS' : 'MISS') : '—');

const server = await startFakeServer();
const rows = [];
try {
  console.log(`hermes bench: node ${process.version}, ${RUNS} runs per contender (medians, alternating order, one warm-up each)`);
  for (const wire of WIRES) {
    const spec = WIRE[wire];
    if (!spec) throw new Error(`unknown wire '${wire}' in BENCH_WIRES`);
    for (const count of TOKENS) {
      const url = server.baseURL(wire, count);
      const expected = expectedText(count);
      const hermes = {
        name: 'hermes',
        args: [HERMES, '-p', 'x', '--provider', wire, '--base-url', url, '-m', spec.model],
        env: cleanEnv({ HERMES_HOME: hermesHome, [spec.envVar]: url }),
      };
      const reference = {
        name: 'reference',
        args: [join(ROOT, spec.reference), 'x'],
        env: cleanEnv({ [spec.envVar]: url, BENCH_MODEL: spec.model }),
      };
      let before = server.stats.requests;
      const check = (result) => {
        const requests = server.stats.requests - before;
        before = server.stats.requests;
        if (result.code !== 0) return `exit code ${result.code ?? result.signal}`;
        if (requests !== 1) return `server answered ${requests} requests, expected 1`;
        if (!result.stdout.equals(Buffer.from(expected))) return `wrong output: ${describeMismatch(result.stdout, expected)}`;
        return undefined;
      };
      const label = `${wire} ${count.toLocaleString('en-US')} tokens`;
      process.stderr.write(`  running ${label}…\n`);
      const samples = await compare(label, hermes, reference, RUNS, check);
      rows.push({ label, wire, count, hermes: summarise(samples.hermes), reference: summarise(samples.reference), samples });
    }
  }
} finally {
  await server.close();
}

process.stderr.write('  running start-up…\n');
const startup = await compare(
  'start-up',
  { name: 'hermes', args: [HERMES, '--version'], env: cleanEnv({ HERMES_HOME: hermesHome }), rusage: false },
  { name: 'node', args: ['-e', '0'], env: cleanEnv(), rusage: false },
  STARTUP_RUNS,
  (result, contender) => {
    if (result.code !== 0) return `exit code ${result.code ?? result.signal}`;
    const out = result.stdout.toString('utf8');
    if (contender.name === 'hermes' && !out.includes(VERSION)) return `--version printed ${JSON.stringify(out.slice(0, 80))}, not ${VERSION}`;
    return undefined;
  },
);

// ---- report ----
const groups = [
  ['wall ms', 'wall', TARGETS.wall, 0],
  ['CPU user+sys ms', 'cpu', TARGETS.cpu, 0],
  ['peak RSS MiB', 'rss', TARGETS.rss, 1],
];
const GROUP_WIDTH = 30;
console.log('');
console.log([''.padEnd(22), ...groups.map(([title, , target]) => `${title} (<= ${target.toFixed(1)}x)`.padStart(GROUP_WIDTH - 5).padEnd(GROUP_WIDTH))].join('  ').trimEnd());
console.log(['scenario'.padEnd(22), ...groups.map(() => `${'hermes'.padStart(7)} ${'ref'.padStart(7)} ${'ratio'.padStart(7)}`.padEnd(GROUP_WIDTH))].join('  ').trimEnd());
for (const row of rows) {
  const cells = groups.map(([, key, target, digits]) => {
    const h = row.hermes[key];
    const r = row.reference[key];
    const ratio = h / r;
    return `${fmt(h, digits).padStart(7)} ${fmt(r, digits).padStart(7)} ${(fmt(ratio, 2) + 'x').padStart(7)} ${verdict(ratio, target)}`.padEnd(GROUP_WIDTH);
  });
  console.log([row.label.padEnd(22), ...cells].join('  ').trimEnd());
}
// The difference between the longest and the shortest answer takes start-up out of the figures:
// what remains is the cost of streaming itself.
const marginal = [];
for (const wire of WIRES) {
  const own = rows.filter((row) => row.wire === wire).sort((a, b) => a.count - b.count);
  const short = own[0];
  const long = own[own.length - 1];
  if (!short || !long || long.count === short.count) continue;
  const per1k = (key, who) => ((long[who][key] - short[who][key]) * 1000) / (long.count - short.count);
  const part = (title, key, target) => {
    const h = per1k(key, 'hermes');
    const r = per1k(key, 'reference');
    return `${title} hermes ${fmt(h, 2)} ms, ref ${fmt(r, 2)} ms, ${fmt(h / r, 2)}x ${verdict(h / r, target)}`;
  };
  marginal.push(`  ${wire.padEnd(10)} ${part('wall', 'wall', TARGETS.wall)};  ${part('CPU', 'cpu', TARGETS.cpu)}`);
}
if (marginal.length > 0) {
  console.log('');
  console.log(`streaming cost per 1,000 tokens (difference between ${Math.min(...TOKENS).toLocaleString('en-US')} and ${Math.max(...TOKENS).toLocaleString('en-US')} tokens, medians; noisier than the table):`);
  for (const line of marginal) console.log(line);
}

const hs = summarise(startup.hermes);
const ns = summarise(startup.node);
const startupRatio = hs.wall / ns.wall;
console.log('');
console.log(
  `start-up, ${STARTUP_RUNS} runs: hermes --version ${fmt(hs.wall, 1)} ms, node -e 0 ${fmt(ns.wall, 1)} ms: ${fmt(startupRatio, 2)}x (target <= ${TARGETS.startup}x) ${verdict(startupRatio, TARGETS.startup)}`,
);
console.log('');
console.log('spread of wall times (min-max ms), for judging the noise:');
for (const row of rows) {
  console.log(`  ${row.label.padEnd(22)} hermes ${fmt(row.hermes.wallMin)}-${fmt(row.hermes.wallMax)}, ref ${fmt(row.reference.wallMin)}-${fmt(row.reference.wallMax)}`);
}
console.log(`  ${'start-up'.padEnd(22)} hermes ${fmt(hs.wallMin, 1)}-${fmt(hs.wallMax, 1)}, node ${fmt(ns.wallMin, 1)}-${fmt(ns.wallMax, 1)}`);

if (VERBOSE) {
  for (const row of rows) {
    for (const name of ['hermes', 'reference']) {
      const s = row.samples[name];
      console.log(`  ${row.label} ${name}: wall ${s.map((x) => fmt(x.wallMs)).join(' ')} | cpu ${s.map((x) => fmt(x.cpuMs)).join(' ')} | rss ${s.map((x) => fmt(x.rssMiB)).join(' ')}`);
    }
  }
  console.log(`  start-up hermes: ${startup.hermes.map((x) => fmt(x.wallMs, 1)).join(' ')}`);
  console.log(`  start-up node:   ${startup.node.map((x) => fmt(x.wallMs, 1)).join(' ')}`);
}

// hermes serve under 20 concurrent clients (bench/serve.mjs; BENCH_SERVE=0 skips it).
if (process.env.BENCH_SERVE !== '0') {
  const { runServeBench } = await import('./serve.mjs');
  failures.push(...(await runServeBench()));
}

// A long tool session: prompt caching and compaction (bench/conversation.mjs; BENCH_CONVERSATION=0 skips it).
if (process.env.BENCH_CONVERSATION !== '0') {
  const { runConversationBench } = await import('./conversation.mjs');
  failures.push(...(await runConversationBench()));
}

// hermes gateway telegram, one chat and 20 at once (bench/gateway.mjs; BENCH_GATEWAY=0 skips it).
if (process.env.BENCH_GATEWAY !== '0') {
  const { runGatewayBench } = await import('./gateway.mjs');
  failures.push(...(await runGatewayBench()));
}

if (failures.length > 0) {
  console.log('');
  console.log(`${failures.length} run(s) went wrong; the figures above are not trustworthy:`);
  for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
  process.exit(1);
}

// ---- the interactive TUI: bench/tui.mjs, in its own process (it drives a private tmux server).
// BENCH_TUI=0 leaves it out; its exit code is 1 only when the TUI showed the wrong output.
if (process.env.BENCH_TUI !== '0') {
  const { spawnSync } = await import('node:child_process');
  console.log('');
  const tui = spawnSync(process.execPath, [join(ROOT, 'bench/tui.mjs')], { stdio: 'inherit' });
  if (tui.status !== 0) process.exit(tui.status ?? 1);
}
