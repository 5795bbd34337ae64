// The Anthropic adapter against a misbehaving world: errors inside the stream, HTTP errors,
// dropped and stalled connections, JSON where a stream was asked for, interrupts, and the
// request it builds from history. Real SDK, real HTTP, loopback server.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createProvider } from '../../src/agent/providers/index.js';
import { createAnthropicProvider } from '../../src/agent/providers/anthropic.js';
import type {
  AssistantMessage,
  ChatMessage,
  ProviderConnection,
  ProviderError,
  ProviderRequest,
  StreamEvent,
} from '../../src/agent/types.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import {
  anthropicErrorBody,
  anthropicFrame,
  anthropicErrorEvent,
  anthropicMessageJson,
  anthropicTextFrames,
  anthropicTextSse,
  anthropicToolUseSse,
} from '../support/wire/anthropic.js';

const API_KEY = 'sk-ant-api03-secret-test-key-0123456789';
const MODEL = 'claude-sonnet-4-20250514';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: Step[] | ((n: number) => Step)): Promise<LoopbackServer> {
  server = await startLoopback(script);
  return server;
}

function connect(s: LoopbackServer, overrides: Partial<ProviderConnection> = {}): ProviderConnection {
  return { baseURL: s.origin, apiKey: API_KEY, stallTimeoutMs: 10_000, firstByteTimeoutMs: 10_000, ...overrides };
}

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: MODEL,
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    stream: true,
    signal: new AbortController().signal,
    ...overrides,
  };
}

interface Run {
  events: StreamEvent[];
  text: string;
  last: StreamEvent;
  message: AssistantMessage;
}

async function run(events: AsyncIterable<StreamEvent>): Promise<Run> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  const terminal = out.filter((e) => e.type === 'done' || e.type === 'error');
  expect(terminal).toHaveLength(1);
  const last = out[out.length - 1]!;
  expect(last.type === 'done' || last.type === 'error').toBe(true);
  const message = (last as Extract<StreamEvent, { type: 'done' | 'error' }>).message;
  return { events: out, text: out.map((e) => (e.type === 'text' ? e.delta : '')).join(''), last, message };
}

function errorOf(result: Run): ProviderError {
  if (result.last.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result.last)}`);
  return result.last.error;
}

/** A text stream cut after its first `deltas` text deltas (message_start, block start, ping first). */
function textPrefix(tokens: string[], deltas: number): string[] {
  return anthropicTextFrames(tokens).slice(0, 3 + deltas);
}

describe('anthropic adapter: a normal answer', () => {
  it('streams text through createProvider, sending the key, version and request fields', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse(['Hel', 'lo', ' there'])] }]);
    const provider = await createProvider('anthropic', connect(s));
    expect(provider.id).toBe('anthropic');
    const result = await run(
      provider.stream(
        request({
          system: 'be brief',
          tools: [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }],
        }),
      ),
    );
    expect(result.text).toBe('Hello there');
    expect(result.last).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'Hello there' } });
    expect(result.events.filter((e) => e.type === 'usage')).toEqual([{ type: 'usage', usage: expect.objectContaining({ inputTokens: 12, outputTokens: 4 }) }]);

    const sent = s.requests[0]!;
    expect(sent.url).toBe('/v1/messages');
    // SDK 1.x sends the API key as a bearer token.
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.headers['anthropic-version']).toBeTruthy();
    expect(sent.json).toMatchObject({
      model: MODEL,
      stream: true,
      max_tokens: 8192,
      system: 'be brief',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
    });
  });

  it('honours maxOutputTokens and leaves out empty system and tools', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse(['ok'])] }]);
    await run(createAnthropicProvider(connect(s)).stream(request({ maxOutputTokens: 100 })));
    expect(s.requests[0]!.json.max_tokens).toBe(100);
    expect(s.requests[0]!.json).not.toHaveProperty('system');
    expect(s.requests[0]!.json).not.toHaveProperty('tools');
  });

  it.each([
    ['max_tokens', 'length'],
    ['refusal', 'refusal'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'other'],
  ])('maps stop_reason %s to %s', async (wire, normalised) => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse(['a', 'b'], { stopReason: wire })] }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(result.last).toMatchObject({ type: 'done', stopReason: normalised });
  });

  it('reports a tool call with empty input as "{}"', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicToolUseSse([{ id: 'toolu_1', name: 'now', arguments: '' }])] }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(result.events.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', id: 'toolu_1', name: 'now', arguments: '{}' },
    ]);
    expect(result.last).toMatchObject({ type: 'done', stopReason: 'tool_calls' });
  });

  it('keeps a colon-only token and a "data:" token as text', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse([':', 'data: x', '\n\n', 'event: y'])] }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(result.text).toBe(':data: x\n\nevent: y');
  });
});

describe('anthropic adapter: errors inside the stream', () => {
  it.each([
    ['overloaded_error', 'Overloaded', true],
    ['api_error', 'Internal server error', true],
    ['invalid_request_error', 'messages: text content blocks must be non-empty', false],
  ])('event: error %s after some text -> error (retryable: %s), partial text kept', async (type, text, retryable) => {
    const chunks = [...textPrefix(['Hello', ' wor', 'ld'], 2), anthropicErrorEvent(type, text)];
    const s = await serve([{ kind: 'stream', chunks }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(errorOf(result)).toEqual({ kind: 'stream_error', message: text, retryable });
    expect(result.text).toBe('Hello wor');
    expect(result.message.content).toBe('Hello wor');
  });

  it('a connection dropped mid-stream -> retryable network error, partial text kept', async () => {
    // The pause lets the events reach the client before the socket is destroyed.
    const s = await serve([{ kind: 'stream', chunks: textPrefix(['one ', 'two ', 'three'], 2), delayMs: 20, drop: true }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(errorOf(result)).toMatchObject({ kind: 'network', retryable: true });
    expect(result.message.content).toBe('one two ');
  });

  it('a response that ends cleanly without message_stop is not a finished answer', async () => {
    const s = await serve([{ kind: 'stream', chunks: textPrefix(['one ', 'two ', 'three'], 2) }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(errorOf(result)).toEqual({
      kind: 'network',
      message: 'the stream ended before the answer was complete',
      retryable: true,
    });
    expect(result.message.content).toBe('one two ');
  });

  it('a stall after some events -> stall error with the partial text', async () => {
    const s = await serve([{ kind: 'stream', chunks: textPrefix(['slow ', 'answer', ' never ends'], 2), hang: true }]);
    const result = await run(createAnthropicProvider(connect(s, { stallTimeoutMs: 200 })).stream(request()));
    expect(errorOf(result)).toMatchObject({ kind: 'stall', retryable: true });
    expect(result.message.content).toBe('slow answer');
  });

  it('pings and empty deltas after some text, nothing else -> stall error with the partial text', async () => {
    const emptyDelta = anthropicFrame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } });
    const filler = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? anthropicFrame('ping', { type: 'ping' }) : emptyDelta));
    const s = await serve([{ kind: 'stream', chunks: [...textPrefix(['slow ', 'answer', ' never ends'], 2), ...filler], delayMs: 10, hang: true }]);
    const result = await run(createAnthropicProvider(connect(s, { stallTimeoutMs: 20_000, firstByteTimeoutMs: 1_000 })).stream(request()));
    expect(errorOf(result)).toMatchObject({ kind: 'stall', retryable: true });
    expect(result.message.content).toBe('slow answer');
  });

  it('only pings from the start -> a first-byte timeout, though bytes keep arriving', async () => {
    const pings = Array.from({ length: 1000 }, () => anthropicFrame('ping', { type: 'ping' }));
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextFrames(['x'])[0]!, ...pings], delayMs: 10, hang: true }]);
    const result = await run(createAnthropicProvider(connect(s, { stallTimeoutMs: 20_000, firstByteTimeoutMs: 1_000 })).stream(request()));
    expect(errorOf(result)).toMatchObject({ kind: 'stall', retryable: true, firstByteTimeout: true });
  });

  it('a server that never answers -> first-byte stall error', async () => {
    const s = await serve([{ kind: 'hang' }]);
    const result = await run(createAnthropicProvider(connect(s, { firstByteTimeoutMs: 200 })).stream(request()));
    expect(errorOf(result)).toMatchObject({ kind: 'stall', retryable: true });
    expect(result.message.content).toBe('');
  });
});

describe('anthropic adapter: HTTP errors', () => {
  it('429 with retry-after -> rate_limit with retryAfterMs', async () => {
    const s = await serve([
      {
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '7' },
        body: anthropicErrorBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
      },
    ]);
    const error = errorOf(await run(createAnthropicProvider(connect(s)).stream(request())));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toContain('per-minute rate limit');
    expect(s.requests).toHaveLength(1); // the SDK does not retry on its own
  });

  it.each([529, 500])('%i -> retryable server error', async (status) => {
    const s = await serve([{ kind: 'json', status, body: anthropicErrorBody('overloaded_error', 'Overloaded') }]);
    const error = errorOf(await run(createAnthropicProvider(connect(s)).stream(request())));
    expect(error).toMatchObject({ kind: 'server', retryable: true, status });
    expect(s.requests).toHaveLength(1);
  });

  it('401 -> auth error that never shows the key, even when the server echoes it', async () => {
    const s = await serve([
      { kind: 'json', status: 401, body: anthropicErrorBody('authentication_error', `invalid x-api-key: ${API_KEY}`) },
    ]);
    const error = errorOf(await run(createAnthropicProvider(connect(s)).stream(request())));
    expect(error).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
    expect(error.message).toContain('invalid x-api-key');
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).not.toContain('secret-test-key');
  });

  it('400 -> bad_request, not retryable', async () => {
    const s = await serve([
      { kind: 'json', status: 400, body: anthropicErrorBody('invalid_request_error', 'max_tokens: must be positive') },
    ]);
    const error = errorOf(await run(createAnthropicProvider(connect(s)).stream(request())));
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, status: 400 });
    expect(error.message).toContain('max_tokens: must be positive');
  });

  it('a custom base URL without a key still sends a request', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse(['local'])] }]);
    const result = await run(createAnthropicProvider(connect(s, { apiKey: undefined })).stream(request()));
    expect(result.text).toBe('local');
    expect(s.requests[0]!.headers.authorization).toMatch(/^Bearer \S+$/);
  });
});

describe('anthropic adapter: whole answers', () => {
  it('a JSON body answering stream: true -> one delta, usage, done', async () => {
    const s = await serve([{ kind: 'json', body: anthropicMessageJson('The whole answer at once.') }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request()));
    expect(s.requests[0]!.json.stream).toBe(true);
    expect(result.events).toEqual([
      { type: 'text', delta: 'The whole answer at once.' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0 } },
      { type: 'done', stopReason: 'stop', message: expect.objectContaining({ content: 'The whole answer at once.' }) },
    ]);
    expect(s.requests).toHaveLength(1);
  });

  it('stream: false -> a non-streaming request, thinking, text and tool calls as single events', async () => {
    const body = {
      ...anthropicMessageJson('ignored'),
      content: [
        { type: 'thinking', thinking: 'Let me look.', signature: 'sig-abc' },
        { type: 'text', text: 'Reading it now.' },
        { type: 'tool_use', id: 'toolu_9', name: 'read_file', input: { path: 'a.txt' } },
      ],
      stop_reason: 'tool_use',
    };
    const s = await serve([{ kind: 'json', body }]);
    const result = await run(createAnthropicProvider(connect(s)).stream(request({ stream: false })));
    expect(s.requests[0]!.json.stream).not.toBe(true);
    expect(result.events.slice(0, 4)).toEqual([
      { type: 'reasoning', delta: 'Let me look.' },
      { type: 'text', delta: 'Reading it now.' },
      { type: 'tool_call_start', id: 'toolu_9', name: 'read_file' },
      { type: 'tool_call', id: 'toolu_9', name: 'read_file', arguments: '{"path":"a.txt"}' },
    ]);
    expect(result.last).toMatchObject({
      type: 'done',
      stopReason: 'tool_calls',
      message: { reasoningBlocks: [{ text: 'Let me look.', signature: 'sig-abc' }] },
    });
  });

  it('stream: false with an HTTP error -> classified error', async () => {
    const s = await serve([{ kind: 'json', status: 529, body: anthropicErrorBody('overloaded_error', 'Overloaded') }]);
    const error = errorOf(await run(createAnthropicProvider(connect(s)).stream(request({ stream: false }))));
    expect(error).toMatchObject({ kind: 'server', retryable: true, status: 529 });
  });
});

describe('anthropic adapter: history replay', () => {
  it('sends back the thinking block with its signature, the tool_use block and the tool_result', async () => {
    const recorded = readFileSync(new URL('../fixtures/streams/anthropic/thinking-then-tool-use.sse', import.meta.url));
    const s = await serve([
      { kind: 'stream', chunks: [recorded] },
      { kind: 'stream', chunks: [anthropicTextSse(['It is ', 'sunny.'])] },
    ]);
    const provider = createAnthropicProvider(connect(s));
    const history: ChatMessage[] = [{ role: 'user', content: 'Weather in Florence?' }];
    const first = await run(provider.stream(request({ messages: history })));
    expect(first.last.type).toBe('done');
    history.push(first.message, {
      role: 'tool',
      toolCallId: 'toolu_01Js4AMfx5qpTLhwTusnvT68',
      name: 'weather',
      content: '40 C and sunny',
    });

    const second = await run(provider.stream(request({ messages: history })));
    expect(second.text).toBe('It is sunny.');

    const sent = s.requests[1]!.json;
    expect(sent.messages).toHaveLength(3);
    expect(sent.messages[0]).toEqual({ role: 'user', content: 'Weather in Florence?' });
    const assistant = sent.messages[1];
    expect(assistant.role).toBe('assistant');
    expect(assistant.content.map((b: { type: string }) => b.type)).toEqual(['thinking', 'tool_use']);
    expect(assistant.content[0].thinking).toBe(first.message.reasoning);
    expect(assistant.content[0].thinking).toHaveLength(301);
    expect(assistant.content[0].signature).toHaveLength(636);
    expect(assistant.content[0].signature).toBe(first.message.reasoningBlocks[0]!.signature);
    expect(assistant.content[1]).toEqual({
      type: 'tool_use',
      id: 'toolu_01Js4AMfx5qpTLhwTusnvT68',
      name: 'weather',
      input: { location: 'Florence, Italy' },
    });
    expect(sent.messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_01Js4AMfx5qpTLhwTusnvT68', content: '40 C and sunny' }],
    });
  });

  it('groups tool results, skips an empty interrupted turn, and never sends empty or unsigned blocks', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse(['ok'])] }]);
    const history: ChatMessage[] = [
      { role: 'user', content: 'first' },
      {
        role: 'assistant',
        content: 'Running two tools.',
        reasoning: 'planhidden',
        reasoningBlocks: [
          { text: 'plan', signature: 'sig-1' },
          { text: '', redactedData: 'opaque==' },
          { text: 'cut short, never signed' },
        ],
        toolCalls: [
          { id: 't1', name: 'a', arguments: '{"x":1}' },
          { id: 't2', name: 'b', arguments: '{"broken' },
        ],
      },
      { role: 'tool', toolCallId: 't1', name: 'a', content: 'one' },
      { role: 'tool', toolCallId: 't2', name: 'b', content: 'failed', isError: true },
      { role: 'user', content: 'again' },
      { role: 'assistant', content: '', reasoning: 'half', reasoningBlocks: [{ text: 'half' }], toolCalls: [], interrupted: true },
      { role: 'user', content: 'third' },
    ];
    await run(createAnthropicProvider(connect(s)).stream(request({ messages: history })));
    expect(s.requests[0]!.json.messages).toEqual([
      { role: 'user', content: 'first' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'plan', signature: 'sig-1' },
          { type: 'redacted_thinking', data: 'opaque==' },
          { type: 'text', text: 'Running two tools.' },
          { type: 'tool_use', id: 't1', name: 'a', input: { x: 1 } },
          { type: 'tool_use', id: 't2', name: 'b', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'one' },
          { type: 'tool_result', tool_use_id: 't2', content: 'failed', is_error: true },
          { type: 'text', text: 'again' },
          { type: 'text', text: 'third' },
        ],
      },
    ]);
  });
});

describe('anthropic adapter: interrupt', () => {
  it('abort after 3 events: the server sees the close within 100 ms, the adapter ends aborted with the partial text', async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => `w${i} `);
    const s = await serve([{ kind: 'stream', chunks: anthropicTextFrames(tokens), delayMs: 40 }]);
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    let abortedAt = 0;
    for await (const event of createAnthropicProvider(connect(s)).stream(request({ signal: controller.signal }))) {
      events.push(event);
      if (events.length === 3) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const closedAt = await s.requests[0]!.closed;
    expect(closedAt - abortedAt).toBeLessThan(100);

    const last = events[events.length - 1]!;
    expect(last.type).toBe('error');
    if (last.type !== 'error') return;
    expect(last.error).toMatchObject({ kind: 'aborted', retryable: false });
    expect(last.message.content).toBe('w0 w1 w2 ');
    expect(events.filter((e) => e.type === 'text')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'done' || e.type === 'error')).toHaveLength(1);
  });

  it('an already aborted signal ends at once with an aborted error', async () => {
    const s = await serve([{ kind: 'stream', chunks: [anthropicTextSse(['never'])] }]);
    const controller = new AbortController();
    controller.abort();
    const result = await run(createAnthropicProvider(connect(s)).stream(request({ signal: controller.signal })));
    expect(errorOf(result)).toMatchObject({ kind: 'aborted' });
    expect(result.text).toBe('');
  });
});
