// A loopback model server for the benchmarks: 127.0.0.1 only, real wire formats, as fast as
// the socket takes it. Each body is built once per (wire, token count) and replayed from memory,
// so the server costs the same for every contender and every run.
//
// Routes (by path suffix, so a base URL with or without /v1 both work):
//   POST …/chat/completions  OpenAI Chat Completions SSE
//   POST …/messages          Anthropic Messages SSE
// The token count comes from a `/t<N>` path segment (base URL http://127.0.0.1:PORT/t20000/v1),
// so both contenders are pointed at the same answer by the same base URL.
//
// Standalone: `node bench/fake-server.mjs` prints the origin and serves until killed.

import http from 'node:http';
import { pathToFileURL } from 'node:url';

/** SSE frames per socket write: about what a provider's edge flushes per packet under load. */
export const FRAMES_PER_WRITE = 16;

const VOCABULARY = [
  ' the', ' stream', ' of', ' tokens', ' arrives', ',', ' and', ' each', ' one', ' is', ' a',
  ' small', ' piece', ' text', ' that', ' the', ' client', ' must', ' print', ' at', ' once', '.',
  ' Naïve', ' café', ' — ', ' “quoted”', ' 🚀', ' data', ':', ' `code()`', ' **bold**', ' über',
  ' 東京', ' latency', ' matters', ' to', ' people', ' reading', ' answers', ' as', ' they', ' grow',
];

/**
 * The answer: `count` tokens, deterministic, realistic prose with markdown, multi-byte characters
 * (one split across writes now and then) and paragraph breaks. It ends with a newline so a client
 * that adds a final newline when one is missing prints exactly the same text.
 */
export function benchTokens(count) {
  const tokens = [];
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  for (let i = 0; i < count - 1; i++) {
    const r = next();
    if (i % 97 === 96) tokens.push('\n\n');
    else if (i % 97 === 0) tokens.push('- Point');
    else tokens.push(VOCABULARY[r % VOCABULARY.length]);
  }
  tokens.push('.\n');
  return tokens;
}

export function expectedText(count) {
  return benchTokens(count).join('');
}

const OPENAI_HEAD = '{"id":"chatcmpl-BenchLoopback0000000000000001","object":"chat.completion.chunk","created":1727346168,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_5050236cbd","choices":[';

function openaiFrames(tokens) {
  const frame = (choices, tail = ',"usage":null') => `data: ${OPENAI_HEAD}${choices}]${tail}}\n\n`;
  const frames = [frame('{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}')];
  for (const token of tokens) {
    frames.push(frame(`{"index":0,"delta":{"content":${JSON.stringify(token)}},"logprobs":null,"finish_reason":null}`));
  }
  frames.push(frame('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}'));
  const completion = tokens.length;
  frames.push(
    frame(
      '',
      `,"usage":{"prompt_tokens":14,"completion_tokens":${completion},"total_tokens":${14 + completion},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`,
    ),
  );
  frames.push('data: [DONE]\n\n');
  return frames;
}

function anthropicFrames(tokens) {
  const frame = (event, data) => `event: ${event}\ndata: ${data}\n\n`;
  const frames = [
    frame(
      'message_start',
      '{"type":"message_start","message":{"model":"claude-sonnet-4-20250514","id":"msg_01BenchLoopback000000001","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":16,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}',
    ),
    frame('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
    frame('ping', '{"type": "ping"}'),
  ];
  for (const token of tokens) {
    frames.push(frame('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(token)}}}`));
  }
  frames.push(frame('content_block_stop', '{"type":"content_block_stop","index":0}'));
  frames.push(
    frame(
      'message_delta',
      `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":16,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":${tokens.length}}}`,
    ),
  );
  frames.push(frame('message_stop', '{"type":"message_stop"}'));
  return frames;
}

/** The response body for one wire, as the buffers the server writes one by one. */
export function buildWrites(wire, count, framesPerWrite = FRAMES_PER_WRITE) {
  const tokens = benchTokens(count);
  const frames = wire === 'openai' ? openaiFrames(tokens) : anthropicFrames(tokens);
  const writes = [];
  for (let i = 0; i < frames.length; i += framesPerWrite) {
    writes.push(Buffer.from(frames.slice(i, i + framesPerWrite).join('')));
  }
  return writes;
}

function route(url) {
  const path = (url ?? '').split('?', 1)[0];
  const wire = path.endsWith('/chat/completions') ? 'openai' : path.endsWith('/messages') ? 'anthropic' : undefined;
  const match = /\/t(\d+)(?:\/|$)/.exec(path);
  return { wire, count: match ? Number(match[1]) : 2000 };
}

/**
 * Starts the server. `requests` counts answered requests (a contender that sends two requests,
 * e.g. a retry, shows up there).
 */
export async function startFakeServer() {
  const cache = new Map();
  const stats = { requests: 0 };
  const server = http.createServer((req, res) => {
    // The request body is read (a real server would) but not inspected: both contenders ask
    // for the same thing and the answer does not depend on it.
    req.resume();
    req.on('end', () => {
      const { wire, count } = route(req.url);
      if (req.method !== 'POST' || !wire) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      stats.requests++;
      const key = `${wire}:${count}`;
      let writes = cache.get(key);
      if (!writes) cache.set(key, (writes = buildWrites(wire, count)));
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...(wire === 'openai' ? { 'x-request-id': 'req_bench' } : { 'request-id': 'req_bench', 'anthropic-organization-id': 'bench' }),
      });
      let i = 0;
      const pump = () => {
        while (i < writes.length) {
          if (res.destroyed) return;
          if (!res.write(writes[i++])) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    stats,
    /** Base URL for the given wire and answer length, in the form that wire's SDK expects. */
    baseURL(wire, count) {
      return wire === 'openai' ? `${origin}/t${count}/v1` : `${origin}/t${count}`;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startFakeServer();
  console.log(server.origin);
}
