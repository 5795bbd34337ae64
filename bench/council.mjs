// Council speed: five members streaming at 200 tokens/s each, then a synthesis at the same rate.
// The council's wall time should be within 5% of (slowest member + synthesis) measured directly:
// the members run at once, and nothing waits on anything but the slowest one.
//
// Everything is the built binary against a paced loopback server (127.0.0.1 only). The direct
// figures are `hermes -p` runs of the slowest member's answer and of a synthesis-sized answer;
// one process start (a one-token answer) is taken off their sum, since the council is one process.
//
//   npm run build && node bench/council.mjs [runs=3]

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'hermes.js');
const RATE = 200; // tokens per second, per answer
const MEMBERS = { m1: 120, m2: 150, m3: 170, m4: 185, m5: 200 };
const SYNTHESIS_TOKENS = 200;
const RUNS = Number(process.argv[2] ?? 3);

function frames(count) {
  const head = '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1727346168,"model":"bench","choices":[';
  const out = [`data: ${head}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`];
  for (let i = 0; i < count; i++) out.push(`data: ${head}{"index":0,"delta":{"content":" word${i}"},"finish_reason":null}]}\n\n`);
  out.push(`data: ${head}{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`, 'data: [DONE]\n\n');
  return out;
}

/** Writes frame i at start + i/RATE seconds, whatever the timer jitter. */
function pace(res, list) {
  const start = performance.now();
  let sent = 0;
  const tick = () => {
    const due = Math.min(list.length, 1 + Math.floor(((performance.now() - start) / 1000) * RATE));
    if (due > sent) res.write(list.slice(sent, due).join(''));
    sent = due;
    if (sent >= list.length) res.end();
    else setTimeout(tick, 2);
  };
  tick();
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) return res.writeHead(404).end();
    const json = JSON.parse(body);
    const last = json.messages.at(-1).content;
    const count = last.includes('As the chair of this council') || json.model === 'synthesis' ? SYNTHESIS_TOKENS : MEMBERS[json.model] ?? 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    pace(res, frames(count));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}/v1`;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-bench-council-'));
const env = { PATH: process.env.PATH, HOME: home, HERMES_HOME: home };

function time(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, '--base-url', baseURL, '--no-session', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`hermes ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const council = [], direct = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const startup = await time(['-p', 'q', '-m', 'one-token']);
    const slowest = await time(['-p', 'q', '-m', 'm5']);
    const synthesis = await time(['-p', 'q', '-m', 'synthesis']);
    direct.push(slowest + synthesis - startup);
    council.push(await time(['-p', 'q', '--council', Object.keys(MEMBERS).join(',')]));
  }
} finally {
  server.close();
  fs.rmSync(home, { recursive: true, force: true });
}
const ratio = median(council) / median(direct);
console.log(`council of ${Object.keys(MEMBERS).length} at ${RATE} tokens/s: ${median(council).toFixed(0)} ms; slowest member + synthesis directly: ${median(direct).toFixed(0)} ms; ratio ${ratio.toFixed(3)} (target <= 1.05)`);
process.exitCode = ratio <= 1.05 ? 0 : 1;
