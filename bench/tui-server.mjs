// The loopback model server for the TUI benchmark: OpenAI Chat Completions SSE on 127.0.0.1,
// like fake-server.mjs, but the answer is made for reading back off a terminal: 12 tokens a
// line, every line numbered (so the scrollback can be checked line by line), plain words that
// no markdown rule touches, lines shorter than the pane (no wrapping), and a last token that
// occurs nowhere else (so its arrival on the terminal can be spotted in the bytes).
//
// Base URL: http://127.0.0.1:PORT/t<N>/r<R>/v1 — N tokens, R tokens a second (r0: as fast as
// the socket takes them, 16 frames a write like fake-server.mjs). Throttled answers send one
// frame at a time on an absolute schedule (no drift), and the server notes when it handed the
// first content frame to the socket, on the caller's clock (performance.now()).

import http from 'node:http';

export const TOKENS_PER_LINE = 12;
/** The last token of every answer; nothing else in the answer contains it. */
export const LAST_MARKER = 'zqxlast';
const FRAMES_PER_WRITE = 16;

const WORDS = [
  'the', 'stream', 'of', 'tokens', 'arrives', 'and', 'each', 'one', 'is', 'a', 'small', 'piece',
  'text', 'that', 'client', 'must', 'print', 'at', 'once', 'latency', 'matters', 'to', 'people',
  'reading', 'answers', 'as', 'they', 'grow', 'terminal', 'line', 'frame', 'paint',
];

/** First token of line `n` (1-based): the line's number, zero-padded so no number is a prefix
 *  of another. */
export function lineLabel(n) {
  return `L${String(n).padStart(5, '0')}`;
}

/** The answer as tokens: `count` of them, 12 a line, each line ending with a newline. */
export function tuiTokens(count) {
  const tokens = [];
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  for (let i = 0; i < count; i++) {
    const column = i % TOKENS_PER_LINE;
    const last = i === count - 1;
    const endOfLine = column === TOKENS_PER_LINE - 1 || last;
    let token = column === 0 ? lineLabel(i / TOKENS_PER_LINE + 1) : ` ${WORDS[next() % WORDS.length]}`;
    if (last) token = column === 0 ? `${token} ${LAST_MARKER}` : ` ${LAST_MARKER}`;
    tokens.push(endOfLine ? `${token}.\n` : token);
  }
  return tokens;
}

export function tuiAnswer(count) {
  return tuiTokens(count).join('');
}

/** The answer's lines, without their newlines. */
export function tuiLines(count) {
  return tuiAnswer(count).split('\n').slice(0, -1);
}

const HEAD = '{"id":"chatcmpl-TuiBench000000000000000001","object":"chat.completion.chunk","created":1727346168,"model":"gpt-4.1-mini-2025-04-14","service_tier":"default","system_fingerprint":"fp_5050236cbd","choices":[';

function frames(tokens) {
  const frame = (choices, tail = ',"usage":null') => `data: ${HEAD}${choices}]${tail}}\n\n`;
  const out = [frame('{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}')];
  for (const token of tokens) {
    out.push(frame(`{"index":0,"delta":{"content":${JSON.stringify(token)}},"logprobs":null,"finish_reason":null}`));
  }
  out.push(frame('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}'));
  out.push(frame('', `,"usage":{"prompt_tokens":14,"completion_tokens":${tokens.length},"total_tokens":${14 + tokens.length}}`));
  out.push('data: [DONE]\n\n');
  return out.map((f) => Buffer.from(f));
}

function lastUserMessage(body) {
  try {
    const messages = JSON.parse(body.toString('utf8')).messages ?? [];
    const content = messages.filter((m) => m.role === 'user').at(-1)?.content;
    return typeof content === 'string' ? content : JSON.stringify(content);
  } catch {
    return undefined;
  }
}

function route(url) {
  const path = (url ?? '').split('?', 1)[0];
  if (!path.endsWith('/chat/completions')) return undefined;
  const count = /\/t(\d+)(?:\/|$)/.exec(path);
  const rate = /\/r(\d+)(?:\/|$)/.exec(path);
  return { count: count ? Number(count[1]) : 2000, rate: rate ? Number(rate[1]) : 0 };
}

/**
 * Starts the server. `log` holds one entry per answered request:
 * { count, rate, startedAt, firstContentAt, lastContentAt, endedAt, closedEarly, sentAt, prompt }.
 */
export async function startTuiServer() {
  const cache = new Map();
  const log = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const received = [];
    req.on('data', (chunk) => received.push(chunk));
    req.on('end', () => {
      const plan = req.method === 'POST' ? route(req.url) : undefined;
      if (!plan) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      let body = cache.get(plan.count);
      if (!body) cache.set(plan.count, (body = frames(tuiTokens(plan.count))));
      const entry = {
        count: plan.count,
        rate: plan.rate,
        startedAt: performance.now(),
        firstContentAt: NaN,
        lastContentAt: NaN,
        endedAt: NaN,
        closedEarly: false,
        /** When content frame k (token k, 1-based) was handed to the socket. */
        sentAt: new Float64Array(plan.count + 1).fill(NaN),
        /** The last user message of the request: what the client says was typed. */
        prompt: lastUserMessage(Buffer.concat(received)),
      };
      log.push(entry);
      res.on('close', () => {
        if (!res.writableFinished) entry.closedEarly = true;
      });
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': 'req_tui_bench' });
      // frame 0 is the role frame; 1..count the content; then finish, usage, [DONE]
      const lastContent = plan.count;
      const stamp = (from, to) => {
        const now = performance.now();
        for (let k = Math.max(1, from); k < Math.min(to, lastContent + 1); k++) entry.sentAt[k] = now;
        if (from <= 1 && to > 1) entry.firstContentAt = now;
        if (from <= lastContent && to > lastContent) entry.lastContentAt = now;
      };
      let i = 0;
      if (plan.rate === 0) {
        const pump = () => {
          while (i < body.length) {
            if (res.destroyed) return;
            const end = Math.min(body.length, i + FRAMES_PER_WRITE);
            stamp(i, end);
            const ok = res.write(Buffer.concat(body.slice(i, end)));
            i = end;
            if (!ok) {
              res.once('drain', pump);
              return;
            }
          }
          entry.endedAt = performance.now();
          res.end();
        };
        pump();
        return;
      }
      // Throttled: content frame k (1-based) is due at start + (k-1)/rate; the role frame goes
      // with the first one, the closing frames right after the last.
      const interval = 1000 / plan.rate;
      const start = performance.now();
      const tick = () => {
        if (res.destroyed) return;
        const due = Math.min(body.length, 2 + Math.floor((performance.now() - start) / interval));
        const end = due >= lastContent + 1 ? body.length : due;
        if (end > i) {
          stamp(i, end);
          res.write(Buffer.concat(body.slice(i, end)));
          i = end;
        }
        if (i >= body.length) {
          entry.endedAt = performance.now();
          res.end();
          return;
        }
        const wait = start + (i - 1) * interval - performance.now();
        setTimeout(tick, Math.max(0, wait));
      };
      tick();
    });
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    log,
    baseURL(count, rate = 0) {
      return `${origin}/t${count}/r${rate}/v1`;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
