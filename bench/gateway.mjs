// hermes gateway telegram under a realistic stream: a 2,000-token answer paced at 50 tokens/s
// (a fast model), through the built binary and the real grammY, to the fake Bot API
// (test/support/telegram, bundled here with esbuild), first to one chat, then to 20 chats at
// once. Reported:
//   - time from the model's first token to the first visible text in the chat (target <= 1.1 s;
//     the worst chat),
//   - message calls per chat per second: the average over the answer, and the shortest gap
//     between two calls to one chat (budget: 1 per second per chat),
//   - the gateway's CPU per answer (process start included) against `hermes -p` printing the
//     same paced stream (start included), as a ratio.
// One run per scenario (each takes the answer's 40 s); targets are reported, not enforced. The
// exit code is 1 only when a chat did not end with the whole answer.
//
//   BENCH_GATEWAY_TOKENS=2000  tokens per answer
//   BENCH_GATEWAY_RATE=50      tokens per second
//   BENCH_GATEWAY_CHATS=20     chats in the concurrent scenario

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { benchTokens } from './fake-server.mjs';
import { PRELOAD, ROOT, cleanEnv, runNode, scratchDir } from './measure.mjs';

const TARGETS = { firstVisibleMs: 1100, callsPerSecond: 1.0 };
/** Calls are timed where the fake Bot API reads them; loopback and scheduling jitter are allowed this much. */
const JITTER_MS = 30;
const HERMES = join(ROOT, 'bin/hermes.js');

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** TypeScript the bench needs (the tests' fake Bot API, the gateway's renderer), bundled for node. */
async function loadTypeScript(file) {
  const outfile = join(scratchDir('bundle'), 'module.mjs');
  await build({ entryPoints: [join(ROOT, file)], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

/** An OpenAI Chat Completions server streaming `tokens` at `rate` per second; notes each chat's first token. */
async function startPacedModel(tokens, rate) {
  const firstTokenAt = new Map();
  const frame = (delta, finish = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1727346168, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const body = [];
    req.on('data', (c) => body.push(c));
    req.on('end', () => {
      const prompt = JSON.parse(Buffer.concat(body).toString('utf8')).messages.at(-1).content;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame({ role: 'assistant', content: '' }));
      const start = performance.now();
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        // Catch up to the schedule: timers drift, the stream's rate must not.
        const due = Math.min(tokens.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
        if (sent === 0 && due > 0) firstTokenAt.set(prompt, performance.now());
        for (; sent < due; sent++) res.write(frame({ content: tokens[sent] }));
        if (sent < tokens.length) return void setTimeout(tick, 1000 / rate);
        res.end(frame({}, 'stop') + 'data: [DONE]\n\n');
      };
      tick();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${server.address().port}/v1`,
    firstTokenAt,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

function startGateway(fake, model, users, home) {
  const rusageFile = join(home, 'rusage.json');
  const env = cleanEnv({
    HERMES_HOME: home,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_ALLOWED_USERS: users.join(','),
    BENCH_RUSAGE_FILE: rusageFile,
  });
  const child = spawn(process.execPath, ['--import', PRELOAD, HERMES, 'gateway', 'telegram', '--api-root', fake.apiRoot, '--base-url', model.baseURL, '-m', 'gpt-4o', '--no-tools'], {
    cwd: home,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t) => (stderr = (stderr + t).slice(-4000)));
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t) => {
      out += t;
      if (out.includes('hermes gateway: @')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before it was ready: ${stderr.trim().slice(-500)}`)));
  });
  return {
    ready,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      const usage = JSON.parse(readFileSync(rusageFile, 'utf8'));
      return { cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, stderr };
    },
  };
}

/** The shortest gap between two calls, and the average rate from the first call to the last. */
function callRates(calls) {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i] - times[i - 1]);
  const span = (times.at(-1) - times[0]) / 1000;
  return { gap, average: times.length > 1 && span > 0 ? (times.length - 1) / span : 0 };
}

/** `expected`: the answer as the chat shows it (rendered; split messages read as one). */
async function scenario(FakeBotApi, model, chats, expected) {
  const fake = await FakeBotApi.startFakeBotApi();
  const users = Array.from({ length: chats }, (_, i) => 5000 + i);
  const gateway = startGateway(fake, model, users, scratchDir(`gateway-${chats}`));
  const failures = [];
  try {
    await gateway.ready;
    for (const user of users) fake.pushPrivateMessage(user, `bench chat ${user}`);
    const done = (user) => fake.chatTranscript(user) === expected;
    const deadline = performance.now() + 5 * 60_000;
    while (!users.every(done) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const firstVisible = [];
    const rates = [];
    for (const user of users) {
      if (!done(user)) failures.push(`gateway ${chats} chat(s): chat ${user} did not end with the whole answer`);
      const sends = fake.callsTo(user).filter((c) => /^(sendMessage|sendMessageDraft|editMessageText)$/.test(c.method) && c.status === 200);
      const firstToken = model.firstTokenAt.get(`bench chat ${user}`);
      if (sends.length > 0 && firstToken !== undefined) firstVisible.push(sends[0].at - firstToken);
      rates.push(callRates(sends));
    }
    const { cpuMs } = await gateway.stop();
    return {
      failures,
      firstVisibleMs: Math.max(...firstVisible),
      shortestGapMs: Math.min(...rates.map((r) => r.gap)),
      averagePerSecond: Math.max(...rates.map((r) => r.average)),
      cpuPerAnswerMs: cpuMs / chats,
    };
  } finally {
    await fake.close();
  }
}

export async function runGatewayBench() {
  const count = positiveInt(process.env.BENCH_GATEWAY_TOKENS, 2000);
  const rate = positiveInt(process.env.BENCH_GATEWAY_RATE, 50);
  const chats = positiveInt(process.env.BENCH_GATEWAY_CHATS, 20);
  const tokens = benchTokens(count);
  const expected = tokens.join('');
  const FakeBotApi = await loadTypeScript('test/support/telegram/fake-bot-api.ts');
  const { renderTelegram } = await loadTypeScript('src/gateway/telegram-format.ts');
  const shown = renderTelegram(expected).text;
  const model = await startPacedModel(tokens, rate);
  const failures = [];
  try {
    process.stderr.write(`  running gateway: ${count} tokens at ${rate}/s to 1 chat (and hermes -p on the same stream)…\n`);
    const [one, oneShot] = await Promise.all([
      scenario(FakeBotApi, model, 1, shown),
      runNode([HERMES, '-p', 'one-shot', '--base-url', model.baseURL, '-m', 'gpt-4o'], { env: cleanEnv({ HERMES_HOME: scratchDir('one-shot'), OPENAI_BASE_URL: model.baseURL }) }),
    ]);
    if (oneShot.code !== 0 || oneShot.stdout.toString('utf8') !== expected) failures.push('hermes -p did not print the whole answer');
    process.stderr.write(`  running gateway: ${chats} chats at once…\n`);
    const many = await scenario(FakeBotApi, model, chats, shown);
    failures.push(...one.failures, ...many.failures);

    const verdict = (ok) => (ok ? 'PASS' : 'MISS');
    console.log('');
    console.log(`hermes gateway telegram: ${count.toLocaleString('en-US')} tokens at ${rate} tokens/s, one run each`);
    for (const [label, r] of [['1 chat', one], [`${chats} chats at once`, many]]) {
      console.log(
        `  ${label.padEnd(18)} first token -> first visible text ${r.firstVisibleMs.toFixed(0)} ms (worst chat; target <= ${TARGETS.firstVisibleMs}) ${verdict(r.firstVisibleMs <= TARGETS.firstVisibleMs)};` +
          ` calls per chat per second ${r.averagePerSecond.toFixed(2)} average (budget ${TARGETS.callsPerSecond}), two calls never closer than ${r.shortestGapMs.toFixed(0)} ms (>= ${1000 - JITTER_MS}) ${verdict(r.shortestGapMs >= 1000 - JITTER_MS)};` +
          ` CPU per answer ${r.cpuPerAnswerMs.toFixed(0)} ms = ${(r.cpuPerAnswerMs / oneShot.cpuMs).toFixed(2)}x hermes -p (${oneShot.cpuMs.toFixed(0)} ms)`,
      );
    }
  } finally {
    await model.close();
  }
  return failures;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const failures = await runGatewayBench();
  for (const f of failures) console.log(`  ${f}`);
  process.exit(failures.length > 0 ? 1 : 0);
}
