// A long tool-using session through the built hermes (one prompt, 50 tool round trips), on
// loopback servers:
//   caching     an Anthropic server that bills prompt caching as the API does (reads of the
//               longest earlier breakpoint prefix at 0.1x, writes up to the last breakpoint at
//               1.25x, the rest at 1x): billed input with hermes' breakpoints, as a ratio of the
//               same session with caching switched off (target <= 0.25x).
//   compaction  a Chat Completions server that enforces a 32k window: the session's wall time
//               with compaction as a ratio of the same session in a window large enough not to
//               need it, and how many compactions it took.
// Run by bench/run.mjs (BENCH_CONVERSATION=0 leaves it out) or alone: node bench/conversation.mjs

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, cleanEnv, runNode, scratchDir } from './measure.mjs';

const TURNS = 50;
const HERMES = join(ROOT, 'bin/hermes.js');

function listen(handler) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let json;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        json = undefined;
      }
      // Only the model endpoints: hermes also asks a local server for its context window.
      if (!json || req.method !== 'POST' || !/\/(messages|chat\/completions)$/.test(req.url ?? '')) return res.writeHead(404).end();
      handler(json, res);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const sse = (frames) => frames.map(([event, data]) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`).join('');

function toolResults(messages, resultType) {
  let n = 0;
  for (const m of messages) if (Array.isArray(m.content)) n += m.content.filter((b) => b.type === resultType).length;
  return n;
}

/** The cache as billed: block hashes of prefixes that ended at a breakpoint. */
function cacheSplit(json, cached) {
  const parts = [];
  for (const tool of json.tools ?? []) parts.push([tool, tool.cache_control !== undefined]);
  const system = typeof json.system === 'string' ? [{ type: 'text', text: json.system }] : (json.system ?? []);
  for (const block of system) parts.push([block, block.cache_control !== undefined]);
  for (const m of json.messages) {
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    for (const block of blocks) parts.push([{ role: m.role, ...block }, block.cache_control !== undefined]);
  }
  const hash = createHash('sha256');
  let total = 0;
  let read = 0;
  let last = 0;
  const marks = [];
  for (const [value, breakpoint] of parts) {
    const text = JSON.stringify({ ...value, cache_control: undefined });
    hash.update(text);
    total += Math.ceil(text.length / 4);
    const digest = hash.copy().digest('hex');
    if (cached.has(digest)) read = total;
    if (breakpoint) {
      last = total;
      marks.push(digest);
    }
  }
  for (const digest of marks) cached.add(digest);
  const write = Math.max(0, last - read);
  return { input: total - read - write, read, write };
}

async function anthropicCachingServer() {
  const cached = new Set();
  const bills = [];
  const server = await listen((json, res) => {
    const { input, read, write } = cacheSplit(json, cached);
    bills.push(input + 0.1 * read + 1.25 * write);
    const usage = { input_tokens: input, cache_read_input_tokens: read, cache_creation_input_tokens: write, output_tokens: 5 };
    const done = toolResults(json.messages, 'tool_result') >= TURNS;
    const block = done ? { type: 'text', text: '' } : { type: 'tool_use', id: `toolu_${bills.length}`, name: 'read_file', input: {} };
    const delta = done ? { type: 'text_delta', text: 'All read.' } : { type: 'input_json_delta', partial_json: '{"path":"doc.txt"}' };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      sse([
        ['message_start', { type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', model: json.model, content: [], stop_reason: null, usage } }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: block }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: done ? 'end_turn' : 'tool_use' }, usage }],
        ['message_stop', { type: 'message_stop' }],
      ]),
    );
  });
  return { server, bills };
}

function chatFrames(delta, finish, promptTokens) {
  const chunk = (d, f) => ['', { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [{ index: 0, delta: d, finish_reason: f }] }];
  return `${sse([chunk({ role: 'assistant', content: '' }, null), chunk(delta, null), chunk({}, finish), ['', { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: 5, total_tokens: promptTokens + 5 } }]])}data: [DONE]\n\n`;
}

async function windowServer(window) {
  const seen = { summaries: 0, refused: 0, requests: 0 };
  const server = await listen((json, res) => {
    seen.requests++;
    if (json.messages.some((m) => m.role === 'tool' && String(m.content).includes('older tool output shortened'))) seen.shortened = (seen.shortened ?? 0) + 1;
    const chars = json.messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0) + JSON.stringify(m.tool_calls ?? '').length, 0);
    const tokens = Math.ceil((chars + JSON.stringify(json.tools ?? []).length) / 4);
    if (tokens > window) {
      seen.refused++;
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens.`, type: 'invalid_request_error', code: 'context_length_exceeded' } }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (String(json.messages[0]?.content).startsWith('You compact conversations')) {
      seen.summaries++;
      return res.end(chatFrames({ content: '## Goal\n- read doc.txt again and again\n' }, 'stop', tokens));
    }
    const done = json.messages.filter((m) => m.role === 'tool').length >= TURNS || json.messages.at(-1).role === 'tool' && seen.toolCalls >= TURNS;
    seen.toolCalls = (seen.toolCalls ?? 0) + (done ? 0 : 1);
    if (seen.toolCalls > TURNS || done) return res.end(chatFrames({ content: 'All read.' }, 'stop', tokens));
    res.end(chatFrames({ tool_calls: [{ index: 0, id: `call_${seen.requests}`, type: 'function', function: { name: 'read_file', arguments: '{"path":"doc.txt"}' } }] }, 'tool_calls', tokens));
  });
  return { server, seen };
}

function project(docChars) {
  const dir = scratchDir('conversation');
  const work = join(dir, 'work');
  mkdirSync(work);
  writeFileSync(join(work, 'doc.txt'), 'a line of the document that the model reads again\n'.repeat(Math.ceil(docChars / 52)).slice(0, docChars));
  const home = join(dir, 'home');
  mkdirSync(home);
  return { work, home };
}

async function session(env, cwd) {
  const result = await runNode([HERMES, '-p', 'read doc.txt, again and again', '--max-turns', String(TURNS + 5), '--no-session'], { env: cleanEnv(env), cwd });
  const answered = result.stdout.toString().includes('All read.');
  return { ...result, answered };
}

export async function runConversationBench() {
  const failures = [];
  console.log('');
  console.log(`a ${TURNS}-turn tool session (one prompt, ${TURNS} read_file round trips):`);

  // caching
  const bills = {};
  for (const enabled of [true, false]) {
    const { server, bills: charged } = await anthropicCachingServer();
    const { work, home } = project(8_000);
    if (!enabled) writeFileSync(join(home, 'config.json'), JSON.stringify({ cache: { enabled: false } }));
    const origin = `http://127.0.0.1:${server.address().port}`;
    const run = await session({ HERMES_HOME: home, ANTHROPIC_BASE_URL: origin, ANTHROPIC_API_KEY: 'sk-ant-bench-0000000000', HERMES_MODEL: 'claude-sonnet-4-6' }, work);
    server.close();
    if (!run.answered) failures.push(`caching (${enabled ? 'on' : 'off'}): no final answer (exit ${run.code}: ${run.stderr.trim().slice(-200)})`);
    bills[enabled ? 'on' : 'off'] = charged.reduce((a, b) => a + b, 0);
  }
  const ratio = bills.on / bills.off;
  console.log(`  billed input with caching / without: ${ratio.toFixed(2)}x (${Math.round(bills.on)} vs ${Math.round(bills.off)} token-equivalents; target <= 0.25x: ${ratio <= 0.25 ? 'PASS' : 'MISS'})`);

  // compaction
  const walls = {};
  let compacting;
  for (const window of [32_000, 2_000_000]) {
    const { server, seen } = await windowServer(window);
    const { work, home } = project(20_000);
    const run = await session({ HERMES_HOME: home, OPENAI_BASE_URL: `http://127.0.0.1:${server.address().port}/v1`, OPENAI_API_KEY: 'sk-bench-0000000000', HERMES_CONTEXT_WINDOW: String(window) }, work);
    server.close();
    if (!run.answered) failures.push(`compaction (window ${window}): no final answer (exit ${run.code}: ${run.stderr.trim().slice(-200)})`);
    walls[window] = run.wallMs;
    if (window === 32_000) compacting = seen;
  }
  console.log(
    `  in a 32k window: ${compacting.requests} requests, ${compacting.shortened ?? 0} with old tool output shortened, ${compacting.summaries} summaries, ${compacting.refused} refused by the server; wall time ${(walls[32_000] / walls[2_000_000]).toFixed(2)}x the same session without compaction (${Math.round(walls[32_000])} vs ${Math.round(walls[2_000_000])} ms)`,
  );
  return failures;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const failures = await runConversationBench();
  for (const f of failures) console.log(`  ${f}`);
  process.exit(failures.length > 0 ? 1 : 0);
}
