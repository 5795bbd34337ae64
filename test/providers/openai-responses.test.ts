// The Responses adapter against a loopback server that misbehaves the way real servers do:
// cut connections, failures mid-answer, HTTP errors, stalls, interrupts, JSON for a stream.

import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIResponsesProvider } from '../../src/agent/providers/openai-responses.js';
import type { ChatMessage, ProviderConnection, ProviderRequest, StreamEvent } from '../../src/agent/types.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import {
  responseObject,
  responsesFunctionCallSse,
  responsesJson,
  responsesSse,
  responsesTextSse,
} from '../support/wire/openai-responses.js';

const KEY = 'sk-proj-SECRETabcdef0123456789';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: Step[]): Promise<LoopbackServer> {
  server = await startLoopback(script);
  return server;
}

function provider(overrides: Partial<ProviderConnection> = {}) {
  return createOpenAIResponsesProvider({
    baseURL: server!.baseURL,
    apiKey: KEY,
    stallTimeoutMs: 10_000,
    firstByteTimeoutMs: 10_000,
    ...overrides,
  });
}

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'hello' }],
    tools: [],
    stream: true,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function textOf(events: StreamEvent[]): string {
  return events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
}

/** Asserts exactly one terminal event, last, and returns it. */
function terminal(events: StreamEvent[]): Extract<StreamEvent, { type: 'done' | 'error' }> {
  const ends = events.filter((e) => e.type === 'done' || e.type === 'error');
  expect(ends).toHaveLength(1);
  expect(events.at(-1)).toBe(ends[0]);
  return ends[0] as Extract<StreamEvent, { type: 'done' | 'error' }>;
}

/** SSE frames (one write each), so a test can cut the stream after a given event. */
function frames(body: string): string[] {
  return body.split(/(?<=\n\n)/);
}

const TOKENS = ['Hel', 'lo', ' wor', 'ld', '!'];

describe('OpenAI Responses adapter: requests', () => {
  it('streams text and sends a stateless request with instructions, tools and limits', async () => {
    const s = await serve([{ kind: 'stream', chunks: [responsesTextSse(TOKENS)] }]);
    const events = await collect(
      provider().stream(
        request({
          system: 'be brief',
          maxOutputTokens: 321,
          tools: [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }],
        }),
      ),
    );

    expect(events.filter((e) => e.type === 'text').map((e) => (e as { delta: string }).delta)).toEqual(TOKENS);
    const end = terminal(events);
    expect(end).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'Hello world!', toolCalls: [] } });
    expect(events).toContainEqual({
      type: 'usage',
      usage: { inputTokens: 42, outputTokens: TOKENS.length, reasoningTokens: 0, cacheReadTokens: 0 },
    });

    const sent = s.requests[0]!;
    expect(sent.url).toBe('/v1/responses');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.json).toMatchObject({
      model: 'gpt-4o',
      stream: true,
      store: false,
      instructions: 'be brief',
      max_output_tokens: 321,
      input: [{ role: 'user', content: 'hello' }],
      tools: [
        {
          type: 'function',
          name: 'read_file',
          description: 'Read a file',
          parameters: { type: 'object', properties: { path: { type: 'string' } } },
          strict: false,
        },
      ],
    });
    expect(sent.json).not.toHaveProperty('reasoning');
    expect(sent.json).not.toHaveProperty('previous_response_id');
  });

  it('asks reasoning models, and only them, for reasoning summaries', async () => {
    const s = await serve([{ kind: 'stream', chunks: [responsesTextSse(['ok'])] }]);
    for (const model of ['gpt-5', 'gpt-5-mini', 'o3', 'o4-mini', 'gpt-4o', 'gpt-4.1', 'gpt-5-chat-latest']) {
      terminal(await collect(provider().stream(request({ model }))));
    }
    expect(s.requests.map((r) => [r.json.model, r.json.reasoning])).toEqual([
      ['gpt-5', { summary: 'auto' }],
      ['gpt-5-mini', { summary: 'auto' }],
      ['o3', { summary: 'auto' }],
      ['o4-mini', { summary: 'auto' }],
      ['gpt-4o', undefined],
      ['gpt-4.1', undefined],
      ['gpt-5-chat-latest', undefined],
    ]);
  });

  it('replays a function-call turn as function_call and function_call_output items', async () => {
    const call = { id: 'call_abc123', name: 'read_file', arguments: '{"path":"notes/todo.md"}' };
    const s = await serve([
      { kind: 'stream', chunks: frames(responsesFunctionCallSse([call], { textBefore: ['Let me ', 'look.'] })) },
      { kind: 'stream', chunks: [responsesTextSse(['It says: buy milk.'])] },
    ]);
    const first = terminal(await collect(provider().stream(request({ messages: [{ role: 'user', content: 'what is todo?' }] }))));
    expect(first).toMatchObject({ type: 'done', stopReason: 'tool_calls' });

    const history: ChatMessage[] = [
      { role: 'user', content: 'what is todo?' },
      first.message,
      { role: 'tool', toolCallId: call.id, name: call.name, content: '- buy milk' },
    ];
    const second = terminal(await collect(provider().stream(request({ messages: history }))));
    expect(second).toMatchObject({ type: 'done', message: { content: 'It says: buy milk.' } });

    expect(s.requests[1]!.json.input).toEqual([
      { role: 'user', content: 'what is todo?' },
      { role: 'assistant', content: 'Let me look.' },
      { type: 'function_call', call_id: 'call_abc123', name: 'read_file', arguments: '{"path":"notes/todo.md"}' },
      { type: 'function_call_output', call_id: 'call_abc123', output: '- buy milk' },
    ]);
    expect(s.requests[1]!.json.store).toBe(false);
  });

  it('leaves out an assistant turn that had only tool calls', async () => {
    const s = await serve([{ kind: 'stream', chunks: [responsesTextSse(['ok'])] }]);
    const history: ChatMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', reasoning: '', reasoningBlocks: [], toolCalls: [{ id: 'c1', name: 'ls', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', name: 'ls', content: 'a.txt' },
    ];
    terminal(await collect(provider().stream(request({ messages: history }))));
    expect(s.requests[0]!.json.input).toEqual([
      { role: 'user', content: 'go' },
      { type: 'function_call', call_id: 'c1', name: 'ls', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'a.txt' },
    ]);
  });
});

describe('OpenAI Responses adapter: stream contents', () => {
  it('announces function calls and yields each complete call once, after text', async () => {
    const calls = [
      { id: 'call_1', name: 'add', arguments: '{"a": 2, "b": 3, "note": "a longer argument string"}' },
      { id: 'call_2', name: 'multiply', arguments: '{"a":2,"b":3}' },
    ];
    await serve([{ kind: 'stream', chunks: [responsesFunctionCallSse(calls, { textBefore: ['Sure', ', doing it.'] })] }]);
    const events = await collect(provider().stream(request()));
    const kinds = events.map((e) => e.type);
    expect(kinds.slice(0, 4)).toEqual(['text', 'text', 'tool_call_start', 'tool_call']);
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', ...calls[0] },
      { type: 'tool_call', ...calls[1] },
    ]);
    expect(events.filter((e) => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', id: 'call_1', name: 'add' },
      { type: 'tool_call_start', id: 'call_2', name: 'multiply' },
    ]);
    const end = terminal(events);
    expect(end).toMatchObject({ type: 'done', stopReason: 'tool_calls', message: { content: 'Sure, doing it.', toolCalls: calls } });
  });

  it('joins argument fragments when the server sends no done events with arguments', async () => {
    const item = { id: 'fc_1', type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_x', name: 'ls' };
    const body = responsesSse([
      { type: 'response.created', response: responseObject({ status: 'in_progress' }) },
      { type: 'response.output_item.added', item, output_index: 0 },
      { type: 'response.function_call_arguments.delta', delta: '{"dir":', item_id: 'fc_1', output_index: 0 },
      { type: 'response.function_call_arguments.delta', delta: '"src"}', item_id: 'fc_1', output_index: 0 },
      { type: 'response.output_item.done', item: { ...item, status: 'completed' }, output_index: 0 },
      { type: 'response.completed', response: responseObject({}) },
    ]);
    await serve([{ kind: 'stream', chunks: [body] }]);
    const events = await collect(provider().stream(request()));
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([{ type: 'tool_call', id: 'call_x', name: 'ls', arguments: '{"dir":"src"}' }]);
    expect(terminal(events)).toMatchObject({ type: 'done', stopReason: 'tool_calls' });
  });

  it('puts a blank line between separate reasoning summary parts, never into the text', async () => {
    const summary = (index: number, delta: string) => ({
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: index,
      delta,
    });
    const body = responsesSse([
      { type: 'response.created', response: responseObject({ status: 'in_progress' }) },
      summary(0, '**Plan**'),
      summary(0, '\n\nLook it up.'),
      summary(1, '**Check**'),
      summary(1, '\n\nVerify.'),
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Done.' },
      { type: 'response.completed', response: responseObject({}) },
    ]);
    await serve([{ kind: 'stream', chunks: [body] }]);
    const events = await collect(provider().stream(request({ model: 'gpt-5' })));
    const reasoning = events.flatMap((e) => (e.type === 'reasoning' ? [e.delta] : [])).join('');
    expect(reasoning).toBe('**Plan**\n\nLook it up.\n\n**Check**\n\nVerify.');
    expect(textOf(events)).toBe('Done.');
    expect(terminal(events).message).toMatchObject({ reasoning, content: 'Done.' });
  });

  it('shows a refusal as the answer and records it', async () => {
    const body = responsesSse([
      { type: 'response.created', response: responseObject({ status: 'in_progress' }) },
      { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: "I'm sorry, " },
      { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: "I can't help with that." },
      { type: 'response.completed', response: responseObject({}) },
    ]);
    await serve([{ kind: 'stream', chunks: [body] }]);
    const events = await collect(provider().stream(request()));
    expect(textOf(events)).toBe("I'm sorry, I can't help with that.");
    expect(terminal(events)).toMatchObject({
      type: 'done',
      stopReason: 'refusal',
      message: { content: "I'm sorry, I can't help with that.", refusal: "I'm sorry, I can't help with that." },
    });
  });

  it('ends a response cut by max_output_tokens with stopReason length and the text so far', async () => {
    const body = responsesSse([
      { type: 'response.created', response: responseObject({ status: 'in_progress' }) },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Once upon' },
      {
        type: 'response.incomplete',
        response: responseObject({ status: 'incomplete', incompleteReason: 'max_output_tokens', usage: { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7 } }),
      },
    ]);
    await serve([{ kind: 'stream', chunks: [body] }]);
    const events = await collect(provider().stream(request()));
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 5, outputTokens: 2, reasoningTokens: 0, cacheReadTokens: 0 } });
    expect(terminal(events)).toMatchObject({ type: 'done', stopReason: 'length', message: { content: 'Once upon', stopReason: 'length' } });
  });
});

describe('OpenAI Responses adapter: one complete response', () => {
  it('sends stream: false when asked and emits the text as one delta', async () => {
    const s = await serve([{ kind: 'json', body: responsesJson('The whole answer at once.') }]);
    const events = await collect(provider().stream(request({ stream: false })));
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', delta: 'The whole answer at once.' }]);
    expect(terminal(events)).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'The whole answer at once.' } });
    expect(s.requests[0]!.json.stream).toBe(false);
  });

  it('emits a JSON body answering a streaming request as one delta, without asking again', async () => {
    const s = await serve([{ kind: 'json', body: responsesJson('JSON where a stream was expected.') }]);
    const events = await collect(provider().stream(request()));
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', delta: 'JSON where a stream was expected.' }]);
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 42, outputTokens: 7, reasoningTokens: 0, cacheReadTokens: 0 } });
    expect(terminal(events)).toMatchObject({ type: 'done', stopReason: 'stop' });
    expect(s.requests).toHaveLength(1);
  });

  it('emits reasoning and function calls of a complete response', async () => {
    const body = responseObject({
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'First.' }, { type: 'summary_text', text: 'Second.' }] },
        { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_9', name: 'ls', arguments: '{"dir":"."}' },
      ],
    });
    await serve([{ kind: 'json', body }]);
    const events = await collect(provider().stream(request({ stream: false, model: 'o3' })));
    expect(events.slice(0, 3)).toEqual([
      { type: 'reasoning', delta: 'First.\n\nSecond.' },
      { type: 'tool_call_start', id: 'call_9', name: 'ls' },
      { type: 'tool_call', id: 'call_9', name: 'ls', arguments: '{"dir":"."}' },
    ]);
    expect(terminal(events)).toMatchObject({ type: 'done', stopReason: 'tool_calls' });
  });
});

describe('OpenAI Responses adapter: failures', () => {
  const PARTIAL = ['Partial ', 'answer ', 'here'];

  /** A text stream cut after the `keep` first output_text deltas. */
  function cutAfterDeltas(keep: number): string[] {
    const all = frames(responsesTextSse([...PARTIAL, ' and', ' more']));
    const lastKept = all.findIndex((frame, i) => frame.includes('output_text.delta') && all.slice(0, i + 1).filter((f) => f.includes('output_text.delta')).length === keep);
    return all.slice(0, lastKept + 1);
  }

  it('reports a dropped connection as a retryable network error and keeps the partial text', async () => {
    await serve([{ kind: 'stream', chunks: cutAfterDeltas(3), delayMs: 5, drop: true }]);
    const events = await collect(provider().stream(request()));
    expect(textOf(events)).toBe('Partial answer here');
    const end = terminal(events);
    expect(end.type).toBe('error');
    if (end.type !== 'error') return;
    expect(end.error).toMatchObject({ kind: 'network', retryable: true });
    expect(end.message.content).toBe('Partial answer here');
  });

  it('does not call a stream that ended without response.completed done', async () => {
    await serve([{ kind: 'stream', chunks: cutAfterDeltas(2) }]);
    const events = await collect(provider().stream(request()));
    const end = terminal(events);
    expect(end).toMatchObject({
      type: 'error',
      error: { kind: 'network', retryable: true, message: 'the stream ended before the answer was complete' },
      message: { content: 'Partial answer ' },
    });
  });

  it('reports response.failed after some text with the server message and keeps the text', async () => {
    const body = responsesSse([
      { type: 'response.created', response: responseObject({ status: 'in_progress' }) },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Half an ' },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'answer' },
      {
        type: 'response.failed',
        response: responseObject({ status: 'failed', error: { code: 'server_error', message: 'The server had an error while processing your request.' } }),
      },
    ]);
    await serve([{ kind: 'stream', chunks: [body] }]);
    const events = await collect(provider().stream(request()));
    expect(textOf(events)).toBe('Half an answer');
    expect(terminal(events)).toMatchObject({
      type: 'error',
      error: { kind: 'stream_error', retryable: true, message: 'The server had an error while processing your request.' },
      message: { content: 'Half an answer', error: 'The server had an error while processing your request.' },
    });
  });

  it('reports an error event in the documented shape (code and message at top level)', async () => {
    const body = responsesSse([
      { type: 'response.created', response: responseObject({ status: 'in_progress' }) },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi' },
      { type: 'error', code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-4o.', param: null },
    ]);
    await serve([{ kind: 'stream', chunks: [body] }]);
    const events = await collect(provider().stream(request()));
    expect(terminal(events)).toMatchObject({
      type: 'error',
      error: { kind: 'stream_error', retryable: true, message: 'Rate limit reached for gpt-4o.' },
      message: { content: 'Hi' },
    });
  });

  it('reports 429 as a retryable rate limit with the advised wait, without retrying itself', async () => {
    const s = await serve([
      {
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '7' },
        body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
      },
    ]);
    const events = await collect(provider().stream(request()));
    expect(events).toHaveLength(1);
    expect(terminal(events)).toMatchObject({
      type: 'error',
      error: { kind: 'rate_limit', status: 429, retryable: true, retryAfterMs: 7000, message: expect.stringContaining('Rate limit reached') },
    });
    expect(s.requests).toHaveLength(1);
  });

  it('treats a 429 for a spent quota as not retryable', async () => {
    await serve([
      {
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } },
      },
    ]);
    const end = terminal(await collect(provider().stream(request())));
    expect(end).toMatchObject({ type: 'error', error: { kind: 'rate_limit', retryable: false } });
  });

  it('reports 401 as an auth error that never contains the key', async () => {
    await serve([
      {
        kind: 'json',
        status: 401,
        body: { error: { message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', code: 'invalid_api_key' } },
      },
    ]);
    const end = terminal(await collect(provider().stream(request())));
    expect(end).toMatchObject({ type: 'error', error: { kind: 'auth', status: 401, retryable: false } });
    expect(JSON.stringify(end)).not.toContain(KEY);
    expect(JSON.stringify(end)).not.toContain('SECRETabcdef');
    if (end.type === 'error') expect(end.error.message).toContain('Incorrect API key provided');
  });

  it('ends a stream that goes on with only keepalives and empty deltas after some text as a stall, keeping the text', async () => {
    const filler = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? ': keepalive\n\n' : responsesSse([{ type: 'response.output_text.delta', item_id: 'msg_x', output_index: 0, content_index: 0, delta: '' }]),
    );
    await serve([{ kind: 'stream', chunks: [...cutAfterDeltas(2), ...filler], delayMs: 10, hang: true }]);
    const events = await collect(provider({ stallTimeoutMs: 20_000, firstByteTimeoutMs: 1_000 }).stream(request()));
    expect(terminal(events)).toMatchObject({ type: 'error', error: { kind: 'stall' }, message: { content: 'Partial answer ' } });
  });

  it('ends a stalled stream with a stall error and the partial text', async () => {
    await serve([{ kind: 'stream', chunks: cutAfterDeltas(2), hang: true }]);
    const events = await collect(provider({ stallTimeoutMs: 200 }).stream(request()));
    expect(terminal(events)).toMatchObject({
      type: 'error',
      error: { kind: 'stall', retryable: true },
      message: { content: 'Partial answer ' },
    });
  });

  it('closes the connection at once on abort and ends with an aborted error holding the partial text', async () => {
    const tokens = Array.from({ length: 200 }, (_, i) => `t${i} `);
    const s = await serve([{ kind: 'stream', chunks: frames(responsesTextSse(tokens)), delayMs: 20 }]);
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    let abortedAt = 0;
    for await (const event of provider().stream(request({ signal: controller.signal }))) {
      events.push(event);
      if (events.length === 3) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const closedAt = await s.requests[0]!.closed;
    expect(closedAt - abortedAt).toBeLessThan(100);

    expect(events.slice(0, 3)).toEqual(tokens.slice(0, 3).map((delta) => ({ type: 'text', delta })));
    expect(events).toHaveLength(4);
    expect(terminal(events)).toMatchObject({
      type: 'error',
      error: { kind: 'aborted', retryable: false },
      message: { content: 't0 t1 t2 ', interrupted: true },
    });
  });

  it('reports an unreachable server as a retryable network error', async () => {
    const s = await serve([{ kind: 'hang' }]);
    const origin = s.baseURL;
    await s.close();
    server = undefined;
    const events = await collect(
      createOpenAIResponsesProvider({ baseURL: origin, apiKey: KEY, stallTimeoutMs: 1000, firstByteTimeoutMs: 1000 }).stream(request()),
    );
    expect(terminal(events)).toMatchObject({ type: 'error', error: { kind: 'network', retryable: true } });
  });
});
