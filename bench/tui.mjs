// The interactive TUI's benchmark: the real `hermes` in a 120x40 tmux pane (no CI variable: Ink
// renders only its last frame when it is set), against a loopback OpenAI server (tui-server.mjs).
// Everything the program writes to its terminal is tapped (tui-term.mjs) and stamped on this
// process's clock, which is also the server's: "visible at" is when tmux took the bytes from the
// pty. Figures are medians over runs, printed next to their targets, most of them as ratios of
// two things measured in this same run; targets are reported, never enforced. The exit code is
// 1 only when a run showed the wrong thing (a line of the answer missing, doubled or garbled in
// the terminal's scrollback, an answer that never finished, or hermes -p printing the wrong
// text), because the figures of a broken run mean nothing.
//
//   BENCH_TUI_RUNS=3          runs of each scenario (after one warm-up)
//   BENCH_TUI_IDLE_MS=5000    how long idle CPU is sampled, with the prompt waiting
//   BENCH_TUI_VERBOSE=1       print every sample
//   BENCH_TUI_DUMP=folder     write what each session wrote to its terminal there (label.bin)
//   BENCH_TUI_ONLY=throttled  only the 200 tokens/s answer and its yardsticks (for CPU work)
//   BENCH_HERMES=path         another hermes launcher (e.g. a copy of bin/ and dist/ taken while
//                             dist/ is being rebuilt); default bin/hermes.js of this checkout

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ROOT, cleanEnv, describeMismatch, median, runNode, scratchDir } from './measure.mjs';
import { checkScrollback, countClears, describeBytes } from './tui-bytes.mjs';
import { LAST_MARKER, TOKENS_PER_LINE, lineLabel, startTuiServer, tuiAnswer, tuiLines } from './tui-server.mjs';
import { CPU_TICK_MS, Tmux, cpuMs, processName, sleep } from './tui-term.mjs';

const RUNS = positiveInt(process.env.BENCH_TUI_RUNS, 3);
const IDLE_MS = positiveInt(process.env.BENCH_TUI_IDLE_MS, 5000);
const VERBOSE = process.env.BENCH_TUI_VERBOSE === '1';
const DUMP = process.env.BENCH_TUI_DUMP;
const ONLY_THROTTLED = process.env.BENCH_TUI_ONLY === 'throttled';
const SHORT = 2000;
const LONG = 20000;
const THROTTLED = { count: 2000, rate: 200 };
const COLUMNS = 120;
const ROWS = 40;
const API_KEY = 'sk-bench-not-a-real-key';
/** What is typed at the prompt: a word that nothing else on the screen contains. */
const PROMPT = 'zqxprompt';

/** On the idle prompt (the input's placeholder, whose first letter is drawn as the cursor). */
const READY = 'sk anything';
/** What the launcher printed before the TUI existed. */
const NOT_YET = 'not available yet';

const TARGETS = { scale: 11, versusOneShot: 2, firstTokenMs: 50, bytes: 4, throttledCpuMs: 1000, idlePercent: 1, startup: 2 };

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const HERMES = process.env.BENCH_HERMES || join(ROOT, 'bin/hermes.js');
if (!existsSync(join(HERMES, '../../dist/cli.js'))) {
  console.error('bench/tui: dist/cli.js is missing; run `npm run bench` (it builds first).');
  process.exit(1);
}
if (!Tmux.available()) {
  console.log('hermes TUI bench: skipped, tmux is not installed (apt-get install tmux)');
  process.exit(0);
}
// Interrupted by hand: end through 'exit', which stops our tmux server and removes the scratch.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const scratch = scratchDir('tui');
const home = join(scratch, 'home');
const problems = [];
let failedSessions = 0;

const server = await startTuiServer();
const tmux = new Tmux(scratch, { columns: COLUMNS, rows: ROWS, historyLimit: 100_000, cwd: ROOT });

/** What a user's terminal has: no CI variable, no inherited hermes or provider settings. */
function paneEnv(baseURL) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? scratch,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    HERMES_HOME: home,
    OPENAI_BASE_URL: baseURL,
    OPENAI_API_KEY: API_KEY,
  };
}

// ---- one TUI session: start, ask, watch ----------------------------------------------------

/**
 * Starts hermes in a fresh pane, asks once, and measures. Resolves with the figures, with
 * { unavailable: true } while the TUI is not built yet, or with undefined when the session went
 * wrong (noted in `problems`).
 */
async function tuiSession({ count, rate = 0, idle = false, label, run = 0 }) {
  const pane = await tmux.pane([process.execPath, HERMES], paneEnv(server.baseURL(count, rate)));
  try {
    const launched = await pane.enter();
    // the pty echoes the Enter that opened the gate; what follows is the program's
    const echo = await pane.tap.waitFor('\n', { timeoutMs: 5000 });
    const ready = await Promise.race([
      pane.tap.waitFor(READY, { from: echo.end, timeoutMs: 20_000 }),
      pane.tap.waitFor(NOT_YET, { from: echo.end, timeoutMs: 20_000 }).then(() => 'unavailable'),
    ]);
    if (ready === 'unavailable') return { unavailable: true };
    const startupMs = ready.at - launched;
    const firstByteMs = pane.tap.arrivalOf(echo.end) - launched;
    const name = processName(pane.pid);
    if (name !== 'node') throw new Error(`the pane runs '${name}', not node: cannot read hermes's CPU time`);

    // Type the prompt the moment the prompt shows: when the typed text is drawn, the prompt was
    // really taking keys (a first screen painted before the UI has loaded only looks ready).
    await pane.type(PROMPT);
    const typed = await pane.tap.waitFor(PROMPT, { from: ready.end, timeoutMs: 20_000 });
    const typedMs = typed.at - launched;
    await pane.tap.quiet(250);

    const logIndex = server.log.length;
    const from = pane.tap.length;
    const cpuBefore = cpuMs(pane.pid);
    const timeout = rate > 0 ? (count / rate) * 1000 + 30_000 : 90_000;
    const firstSeen = pane.tap.waitFor(lineLabel(1), { from, timeoutMs: timeout }).then((seen) => ({ ...seen, cpu: cpuMs(pane.pid) }));
    firstSeen.catch(() => {});
    const enter = await pane.enter();
    const last = await pane.tap.waitFor(LAST_MARKER, { from, timeoutMs: timeout });
    const cpuAtLast = cpuMs(pane.pid);
    const first = await firstSeen;

    // The answer is over when the idle prompt is back and nothing more is written.
    await pane.tap.waitFor(READY, { from: last.end, timeoutMs: 20_000 });
    await pane.tap.quiet(300);
    const to = pane.tap.length;
    const cpuDone = cpuMs(pane.pid);
    const request = server.log[logIndex];
    if (!request || server.log.length !== logIndex + 1) throw new Error(`the server answered ${server.log.length - logIndex} requests, expected 1`);
    if (request.prompt !== PROMPT) problems.push(`${label}: typed ${JSON.stringify(PROMPT)} as soon as the prompt showed, the request said ${JSON.stringify(request.prompt)}`);

    const written = pane.tap.bytes(from, to);
    const lines = tuiLines(count);
    // Each line's first token: from the server's send to its first appearance on the terminal.
    const lineLag = [];
    for (let n = 1; n <= lines.length; n++) {
      const offset = pane.tap.bytes().indexOf(lineLabel(n), from);
      if (offset >= 0) lineLag.push(pane.tap.arrivalOf(offset + lineLabel(n).length - 1) - request.sentAt[(n - 1) * TOKENS_PER_LINE + 1]);
    }
    lineLag.sort((a, b) => a - b);
    const answer = tuiAnswer(count);
    const answerBytes = Buffer.byteLength(answer);
    const result = {
      label,
      run,
      startupMs,
      typedMs,
      firstByteMs,
      lastMs: last.at - enter,
      cpuMs: cpuAtLast - cpuBefore,
      cpuToFirstMs: first.cpu - cpuBefore,
      cpuDoneMs: cpuDone - cpuBefore,
      firstTokenMs: first.at - request.firstContentAt,
      serverMs: request.lastContentAt - request.firstContentAt,
      lagMedianMs: median(lineLag),
      lagP95Ms: lineLag[Math.floor(lineLag.length * 0.95)] ?? NaN,
      lagMaxMs: lineLag.at(-1) ?? NaN,
      bytes: written.length,
      answerBytes,
      clears: countClears(written),
      sessionClears: countClears(pane.tap.bytes()),
      shape: describeBytes(written, lines.length, answerBytes),
      scrollback: checkScrollback(await pane.scrollback(), lines),
    };
    if (DUMP) {
      mkdirSync(DUMP, { recursive: true });
      writeFileSync(join(DUMP, `${label.replace(/[^\w]+/g, '-')}.bin`), pane.tap.bytes());
    }
    if (!result.scrollback.ok) problems.push(`${label}: ${result.scrollback.summary}`);

    if (idle) {
      await sleep(500);
      const t0 = performance.now();
      const c0 = cpuMs(pane.pid);
      const bytes0 = pane.tap.length;
      await sleep(IDLE_MS);
      result.idlePercent = ((cpuMs(pane.pid) - c0) / (performance.now() - t0)) * 100;
      result.idleBytes = pane.tap.length - bytes0;
    }
    return result;
  } catch (err) {
    // A session that never showed its answer is a wrong run: noted, and the bench goes on.
    failedSessions++;
    const screen = await pane.screen().catch(() => '');
    problems.push(`${label}: ${err.message}\n    the pane shows:\n${screen.trimEnd().replace(/^/gm, '    | ')}`);
    return undefined;
  } finally {
    await pane.kill();
  }
}

/** `hermes --version` started the same way in a pane: the start-up yardstick. */
async function versionInPane() {
  const pane = await tmux.pane([process.execPath, HERMES, '--version'], paneEnv(server.baseURL(SHORT)));
  try {
    const launched = await pane.enter();
    const seen = await pane.tap.waitFor(VERSION, { timeoutMs: 10_000 });
    return seen.at - launched;
  } catch (err) {
    problems.push(`hermes --version in a pane: ${err.message}`);
    return NaN;
  } finally {
    await pane.kill();
  }
}

/** A one-shot client to a pipe, for the same stream: hermes -p, or the minimal SDK client. */
async function toPipe(count, rate = 0, who = 'hermes') {
  const url = server.baseURL(count, rate);
  const args = who === 'hermes' ? [HERMES, '-p', PROMPT] : [join(ROOT, 'bench/reference-openai.mjs'), PROMPT];
  const env = cleanEnv({ HERMES_HOME: home, OPENAI_BASE_URL: url, OPENAI_API_KEY: API_KEY, BENCH_MODEL: 'gpt-4.1-mini' });
  const result = await runNode(args, { env });
  const expected = tuiAnswer(count);
  const what = `${who === 'hermes' ? 'hermes -p' : 'reference client'}, ${count} tokens${rate ? ` at ${rate}/s` : ''}`;
  if (result.code !== 0) problems.push(`${what}: exit code ${result.code ?? result.signal} (${result.stderr.trim().slice(0, 200)})`);
  else if (!result.stdout.equals(Buffer.from(expected))) problems.push(`${what}: wrong output: ${describeMismatch(result.stdout, expected)}`);
  return { wallMs: result.wallMs, cpuMs: result.cpuMs };
}

/**
 * The measuring chain's own delay: a marker sent from this process through a socket to a
 * program that only copies it to its terminal (tui-echo.mjs), timed to its arrival on the tap.
 */
async function calibrate() {
  let accept;
  const accepted = new Promise((resolve) => {
    accept = resolve;
  });
  const listener = net.createServer((socket) => {
    socket.setNoDelay(true);
    accept(socket);
  });
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const pane = await tmux.pane([process.execPath, join(ROOT, 'bench/tui-echo.mjs'), String(listener.address().port)], paneEnv(server.baseURL(SHORT)));
  let connection;
  try {
    await pane.enter();
    connection = await accepted;
    await pane.tap.waitFor('echo ready', { timeoutMs: 10_000 });
    const delays = [];
    for (let i = 0; i < 30; i++) {
      await sleep(7 + (i % 5) * 3);
      const marker = `mark${String(i).padStart(3, '0')}`;
      const from = pane.tap.length;
      const sent = performance.now();
      connection.write(`${marker}\n`);
      const seen = await pane.tap.waitFor(marker, { from, timeoutMs: 5000 });
      delays.push(seen.at - sent);
    }
    return delays.sort((a, b) => a - b);
  } finally {
    connection?.destroy();
    listener.close();
    await pane.kill();
  }
}

// ---- the run ----------------------------------------------------------------------------------

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');
const verdict = (ok) => (ok === undefined ? '—' : ok ? 'PASS' : 'MISS');
const pick = (samples, key) => median(samples.map((s) => s[key]));
const pickShape = (samples, key) => median(samples.map((s) => s.shape[key]));
/**
 * a/b for each run that has both, and their median: the two were measured back to back, so a
 * change in the load of a shared machine between runs cancels out of the ratio.
 */
function pairedRatio(as, bs, keyA, keyB = keyA) {
  const ratios = [];
  for (const a of as) {
    const b = bs.find((x) => x.run === a.run);
    if (b) ratios.push(a[keyA] / b[keyB]);
  }
  return { value: median(ratios), runs: ratios.map((r) => fmt(r, 2)).join(', ') };
}
const worst = (values) => (values.length > 0 ? Math.max(...values) : NaN);
const keep = (list, sample) => {
  if (sample && !sample.unavailable) list.push(sample);
};

let unavailable = false;
const samples = { short: [], long: [], throttled: [], version: [], pipeShort: [], pipeLong: [] };
let yardsticks;
let calibration = [];
const began = performance.now();
try {
  await tmux.start();
  const tmuxVersion = (await tmux.run('-V').catch(() => 'tmux ?')).trim();
  console.log(`hermes TUI bench: node ${process.version}, ${tmuxVersion}, ${COLUMNS}x${ROWS} pane, ${RUNS} runs (medians, one warm-up)`);

  process.stderr.write('  tui: warm-up…\n');
  const warm = await tuiSession({ count: SHORT, label: 'warm-up' });
  if (warm?.unavailable) {
    unavailable = true;
  } else {
    await versionInPane();
    await toPipe(SHORT);
    calibration = await calibrate();
    for (let run = 1; run <= RUNS; run++) {
      process.stderr.write(`  tui: run ${run} of ${RUNS}…\n`);
      if (ONLY_THROTTLED) {
        keep(samples.throttled, await tuiSession({ count: THROTTLED.count, rate: THROTTLED.rate, run, label: `run ${run}, ${THROTTLED.rate} tokens/s` }));
        continue;
      }
      samples.version.push({ run, ms: await versionInPane() });
      keep(samples.short, await tuiSession({ count: SHORT, idle: true, run, label: `run ${run}, ${SHORT} tokens` }));
      samples.pipeShort.push({ run, ...(await toPipe(SHORT)) });
      keep(samples.long, await tuiSession({ count: LONG, run, label: `run ${run}, ${LONG} tokens` }));
      samples.pipeLong.push({ run, ...(await toPipe(LONG)) });
      samples.version.push({ run, ms: await versionInPane() });
      keep(samples.throttled, await tuiSession({ count: THROTTLED.count, rate: THROTTLED.rate, run, label: `run ${run}, ${THROTTLED.rate} tokens/s` }));
    }
    // Once, for the diagnosis: what the same 10-second stream costs without a TUI.
    process.stderr.write('  tui: yardsticks for the throttled stream…\n');
    yardsticks = {
      hermes: await toPipe(THROTTLED.count, THROTTLED.rate, 'hermes'),
      reference: await toPipe(THROTTLED.count, THROTTLED.rate, 'reference'),
    };
  }
} finally {
  await tmux.stop();
  await server.close();
}

if (unavailable) {
  console.log('  the interactive mode is not available yet in this build: TUI figures skipped');
  process.exit(0);
}

// ---- report -------------------------------------------------------------------------------------

const { short, long, throttled } = samples;
const all = [...short, ...long, ...throttled];
const calMedian = median(calibration);
const calMax = calibration.at(-1);

console.log(
  `measuring chain (socket → pty → tmux → pipe-pane → bench, no renderer): median ${fmt(calMedian, 1)} ms, max ${fmt(calMax, 1)} ms over ${calibration.length} markers; CPU from /proc, resolution ${fmt(CPU_TICK_MS)} ms`,
);
console.log('');

const row = (title, a, b, digits = 0) => console.log(`  ${title.padEnd(44)} ${fmt(a, digits).padStart(10)} ${fmt(b, digits).padStart(10)}`);
console.log(`unthrottled answers (${TOKENS_PER_LINE} tokens a line)`.padEnd(46) + `${fmt(SHORT).padStart(10)} ${fmt(LONG).padStart(10)}  tokens`);
row('Enter → last token visible, ms', pick(short, 'lastMs'), pick(long, 'lastMs'));
row('hermes -p to a pipe (spawn → exit), ms', median(samples.pipeShort.map((s) => s.wallMs)), median(samples.pipeLong.map((s) => s.wallMs)));
row('TUI CPU, Enter → last token, ms', pick(short, 'cpuMs'), pick(long, 'cpuMs'));
row('hermes -p CPU (whole process), ms', median(samples.pipeShort.map((s) => s.cpuMs)), median(samples.pipeLong.map((s) => s.cpuMs)));
row('bytes written to the terminal', pick(short, 'bytes'), pick(long, 'bytes'));
row('  ÷ answer bytes', median(short.map((s) => s.bytes / s.answerBytes)), median(long.map((s) => s.bytes / s.answerBytes)), 2);
row('  per answer line', pickShape(short, 'bytesPerLine'), pickShape(long, 'bytesPerLine'));
row('  live-region redraws', pickShape(short, 'frames'), pickShape(long, 'frames'));
row('  bytes per redraw', pickShape(short, 'bytesPerFrame'), pickShape(long, 'bytesPerFrame'));
row('screen clears while streaming (worst run)', worst(short.map((s) => s.clears)), worst(long.map((s) => s.clears)));
console.log('');

const serverSeconds = pick(throttled, 'serverMs') / 1000;
console.log(`throttled answer: ${THROTTLED.rate} tokens/s, ${fmt(THROTTLED.count)} tokens, the server took ${fmt(serverSeconds, 1)} s to send it`);
console.log(`  first token, server send → visible          median ${fmt(pick(throttled, 'firstTokenMs'), 1)} ms; runs ${throttled.map((s) => fmt(s.firstTokenMs, 1)).join(', ')}`);
console.log(`  each line's first token, send → visible     median ${fmt(pick(throttled, 'lagMedianMs'), 1)} ms, p95 ${fmt(pick(throttled, 'lagP95Ms'), 1)} ms, max ${fmt(worst(throttled.map((s) => s.lagMaxMs)), 1)} ms`);
console.log(`  TUI CPU, Enter → last token                 ${fmt(pick(throttled, 'cpuMs'))} ms (of which before the first token: ${fmt(pick(throttled, 'cpuToFirstMs'))} ms)`);
if (yardsticks) {
  console.log(`  the same stream to a pipe, whole process    hermes -p ${fmt(yardsticks.hermes.cpuMs)} ms CPU; minimal client on the openai SDK ${fmt(yardsticks.reference.cpuMs)} ms CPU`);
}
console.log(`  bytes to the terminal                       ${fmt(pick(throttled, 'bytes'))} for ${fmt(throttled[0]?.answerBytes)} answer bytes (${fmt(pickShape(throttled, 'bytesPerLine'))} per answer line)`);
console.log(
  `  per redraw (${fmt(pickShape(throttled, 'frames'))} redraws)                   ${fmt(pickShape(throttled, 'bytesPerFrame'))} bytes: ${fmt(pickShape(throttled, 'controlPerFrame'))} erase/sync/cursor, ${fmt(pickShape(throttled, 'answerRowsPerFrame'))} answer rows, ${fmt(pickShape(throttled, 'chromePerFrame'))} prompt/status/spinner rows`,
);
console.log(`  answer text sent more than once             ${fmt(pickShape(throttled, 'answerRedrawn') * 100)}% of the answer (the unfinished line drawn again)`);
console.log('');

const startupMs = median(all.map((s) => s.startupMs));
const versionMs = median(samples.version.map((v) => v.ms));
console.log(
  `start-up in the pane, gate → prompt shown    ${fmt(startupMs)} ms over ${all.length} launches (first byte from hermes at ${fmt(median(all.map((s) => s.firstByteMs)))} ms); hermes --version the same way ${fmt(versionMs)} ms`,
);
console.log(`  keys typed when the prompt shows are drawn  at ${fmt(pick(all, 'typedMs'))} ms (includes tmux send-keys and one frame)`);
console.log(`idle CPU, prompt waiting, ${fmt(IDLE_MS / 1000, 1)} s after an answer  ${short.map((s) => `${fmt(s.idlePercent, 2)}%`).join(', ')}; bytes written meanwhile ${short.map((s) => fmt(s.idleBytes)).join(', ')}`);
console.log('');

const targets = [];
/** `figure` is the number judged: without one (no sample) there is no verdict. */
const target = (text, value, figure, ok) => targets.push({ text, value, ok: Number.isFinite(figure) ? ok : undefined });
const clears = worst(all.map((s) => s.clears));
target('no screen clear while streaming', `${fmt(clears)} clears (ESC[2J/ESC[3J), worst run`, clears, clears === 0);
const wrong = all.filter((s) => !s.scrollback.ok).length + failedSessions;
const answers = all.length + failedSessions;
target('every line of the answer in the scrollback', wrong === 0 ? `all lines once, ${answers} answers` : `${wrong} of ${answers} answers wrong or unfinished`, answers || NaN, wrong === 0);
const timeScale = pairedRatio(long, short, 'lastMs');
target(`${fmt(LONG)} vs ${fmt(SHORT)} tokens, time <= ${TARGETS.scale}x`, `${fmt(timeScale.value, 2)}x (runs ${timeScale.runs})`, timeScale.value, timeScale.value <= TARGETS.scale);
const cpuScale = pairedRatio(long, short, 'cpuMs');
target(`${fmt(LONG)} vs ${fmt(SHORT)} tokens, CPU <= ${TARGETS.scale}x`, `${fmt(cpuScale.value, 2)}x (runs ${cpuScale.runs})`, cpuScale.value, cpuScale.value <= TARGETS.scale);
const versus = pairedRatio(long, samples.pipeLong, 'lastMs', 'wallMs');
target(`${fmt(LONG)} tokens, TUI vs hermes -p time <= ${TARGETS.versusOneShot}x`, `${fmt(versus.value, 2)}x (runs ${versus.runs})`, versus.value, versus.value <= TARGETS.versusOneShot);
const firstToken = pick(throttled, 'firstTokenMs');
target(`first token visible <= ${TARGETS.firstTokenMs} ms after the send`, `${fmt(firstToken, 1)} ms (chain ${fmt(calMedian, 1)} ms)`, firstToken, firstToken <= TARGETS.firstTokenMs);
const bytesRatio = median(throttled.map((s) => s.bytes / s.answerBytes));
target(`${THROTTLED.rate} tokens/s, bytes <= ${TARGETS.bytes}x the answer`, `${fmt(bytesRatio, 2)}x`, bytesRatio, bytesRatio <= TARGETS.bytes);
const throttledCpu = pick(throttled, 'cpuMs');
target(`${THROTTLED.rate} tokens/s, CPU <= ${fmt(TARGETS.throttledCpuMs)} ms`, `${fmt(throttledCpu)} ms`, throttledCpu, throttledCpu <= TARGETS.throttledCpuMs);
const idle = worst(short.map((s) => s.idlePercent));
target(`idle CPU < ${TARGETS.idlePercent}%`, `${fmt(idle, 2)}% (worst run)`, idle, idle < TARGETS.idlePercent);
const startupByRun = [...new Set(all.map((s) => s.run))].map((run) => ({ run, ms: median(all.filter((s) => s.run === run).map((s) => s.startupMs)) }));
const versionByRun = [...new Set(samples.version.map((v) => v.run))].map((run) => ({ run, ms: median(samples.version.filter((v) => v.run === run).map((v) => v.ms)) }));
const startupRatio = pairedRatio(startupByRun, versionByRun, 'ms');
target(`start-up <= ${TARGETS.startup}x hermes --version`, `${fmt(startupRatio.value, 2)}x (runs ${startupRatio.runs})`, startupRatio.value, startupRatio.value <= TARGETS.startup);
const typedByRun = [...new Set(all.map((s) => s.run))].map((run) => ({ run, ms: median(all.filter((s) => s.run === run).map((s) => s.typedMs)) }));
const typedRatio = pairedRatio(typedByRun, versionByRun, 'ms');
target(`  stricter: to the first typed key drawn`, `${fmt(typedRatio.value, 2)}x (runs ${typedRatio.runs})`, typedRatio.value, typedRatio.value <= TARGETS.startup);

console.log('targets (a ratio is the median of the per-run ratios of two things measured back to back)');
for (const t of targets) console.log(`  ${t.text.padEnd(46)} ${t.value.padEnd(40)} ${verdict(t.ok)}`);
console.log(`(TUI bench took ${fmt((performance.now() - began) / 1000)} s)`);

if (VERBOSE) {
  console.log('');
  for (const s of all) {
    console.log(
      `  ${s.label.padEnd(24)} start ${fmt(s.startupMs)} ms, typed ${fmt(s.typedMs)} ms, last ${fmt(s.lastMs)} ms, cpu ${fmt(s.cpuMs)} ms, first ${fmt(s.firstTokenMs, 1)} ms, ${fmt(s.bytes)} bytes, ${s.shape.frames} redraws, ${s.shape.erasedRows} rows erased, ${fmt(s.shape.escapeBytes)} escape bytes, sync ${s.shape.synchronized}, clears ${s.clears} (session ${s.sessionClears}), ${s.scrollback.summary}`,
    );
  }
  console.log(`  hermes --version in a pane: ${samples.version.map((v) => fmt(v.ms)).join(' ')} ms`);
  console.log(`  hermes -p: ${samples.pipeShort.map((s) => fmt(s.wallMs)).join(' ')} | ${samples.pipeLong.map((s) => fmt(s.wallMs)).join(' ')} ms`);
  console.log(`  chain delays: ${calibration.map((d) => fmt(d, 1)).join(' ')} ms`);
}

if (problems.length > 0) {
  console.log('');
  console.log(`${problems.length} run(s) showed the wrong output; the figures above are not trustworthy:`);
  for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
  process.exit(1);
}
