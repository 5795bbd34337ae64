// The Chat Completions adapter against misbehaving servers, over real HTTP through the real SDK.

import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../src/agent/providers/openai.js';
import type { ProviderConnection, ProviderRequest, StreamEvent } from '../../src/agent/types.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import {
  chatCompletionJson,
  chatFrame,
  chatTextFrames,
  chatTextSse,
  chatToolCallSse,
  DONE_FRAME,
} from '../support/wire/openai-chat.js';

const KEY = 'sk-test-0123456789abcdefSECRET';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function connect(s: LoopbackServer, overrides: Partial<ProviderConnection> = {}): ProviderConnection {
  return { baseURL: s.baseURL, apiKey: KEY, stallTimeoutMs: 5_000, firstByteTimeoutMs: 5_000, ...overrides };
}

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: 'gpt-test',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    stream: true,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function run(steps: Step[] | ((n: number) => Step), req: Partial<ProviderRequest> = {}, conn: Partial<ProviderConnection> = {}) {
  server = await startLoopback(steps);
  return collect(createOpenAIProvider(connect(server, conn)).stream(request(req)));
}

const texts = (events: StreamEvent[]): string[] => events.flatMap((e) => (e.type === 'text' ? [e.delta] : []));
const text = (events: StreamEvent[]): string => texts(events).join('');
const reasoning = (events: StreamEvent[]): string =>
  events.flatMap((e) => (e.type === 'reasoning' ? [e.delta] : [])).join('');

/** The one terminal event, which must be the last. */
function end(events: StreamEvent[]): Extract<StreamEvent, { type: 'done' | 'error' }> {
  const terminal = events.filter((e) => e.type === 'done' || e.type === 'error');
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  return terminal[0] as Extract<StreamEvent, { type: 'done' | 'error' }>;
}

function failure(events: StreamEvent[]) {
  const last = end(events);
  if (last.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(last)}`);
  return last;
}

const stream = (body: string | string[], extra: Partial<Extract<Step, { kind: 'stream' }>> = {}): Step => ({
  kind: 'stream',
  chunks: Array.isArray(body) ? body : [body],
  ...extra,
});

describe('OpenAI Chat Completions adapter: request', () => {
  it('sends the conversation, tools and stream_options in the Chat Completions shape', async () => {
    const events = await run([stream(chatTextSse(['ok']))], {
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Add 2 and 3.' },
        {
          role: 'assistant',
          content: '',
          reasoning: 'thinking',
          reasoningBlocks: [],
          toolCalls: [{ id: 'call_1', name: 'add', arguments: '{"a":2,"b":3}' }],
        },
        { role: 'tool', toolCallId: 'call_1', name: 'add', content: '5' },
        { role: 'assistant', content: 'It is 5.', reasoning: '', reasoningBlocks: [], toolCalls: [] },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [{ name: 'add', description: 'Adds', parameters: { type: 'object', properties: { a: { type: 'number' } } } }],
    });
    expect(end(events).type).toBe('done');
    const sent = server!.requests[0]!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.json).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Add 2 and 3.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '5' },
        { role: 'assistant', content: 'It is 5.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'add', description: 'Adds', parameters: { type: 'object', properties: { a: { type: 'number' } } } },
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('leaves tools and token limits out unless asked, and sends max_tokens to compatible servers', async () => {
    server = await startLoopback([stream(chatTextSse(['ok']))]);
    const provider = createOpenAIProvider(connect(server));
    await collect(provider.stream(request()));
    await collect(provider.stream(request({ maxOutputTokens: 256 })));
    expect(server.requests[0]!.json).not.toHaveProperty('tools');
    expect(server.requests[0]!.json).not.toHaveProperty('max_tokens');
    expect(server.requests[0]!.json).not.toHaveProperty('max_completion_tokens');
    expect(server.requests[1]!.json.max_tokens).toBe(256);
  });

  it('sends a placeholder key to a local server configured without one', async () => {
    await run([stream(chatTextSse(['ok']))], {}, { apiKey: undefined });
    expect(server!.requests[0]!.headers.authorization).toBe('Bearer no-key');
  });
});

describe('OpenAI Chat Completions adapter: stream content', () => {
  it('streams each token as a text delta, then usage, then done', async () => {
    const events = await run([stream(chatTextSse(['Hello', ', ', 'world', '!'], { usage: true }))]);
    expect(texts(events)).toEqual(['Hello', ', ', 'world', '!']);
    expect(events.at(-2)).toEqual({ type: 'usage', usage: { inputTokens: 12, outputTokens: 4, reasoningTokens: 0, cacheReadTokens: 0 } });
    const last = end(events);
    expect(last).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'Hello, world!' } });
  });

  it('treats a token that is exactly ":" or starts with "data:" as text', async () => {
    const events = await run([stream(chatTextSse([':', 'data: x', '\n', ': not a comment', '\ndata: [DONE]']))]);
    expect(text(events)).toBe(':data: x\n: not a comment\ndata: [DONE]');
    expect(end(events).type).toBe('done');
  });

  it('decodes a multi-byte character split across network writes whole', async () => {
    const body = Buffer.from(chatTextSse(['héllo ', '😊', ' wörld']));
    const emoji = body.indexOf(Buffer.from('😊'));
    const accent = body.indexOf(Buffer.from('é'));
    const chunks = [body.subarray(0, accent + 1), body.subarray(accent + 1, emoji + 2), body.subarray(emoji + 2)];
    const events = await run([{ kind: 'stream', chunks, delayMs: 30 }]);
    expect(text(events)).toBe('héllo 😊 wörld');
  });

  it('routes reasoning_content and reasoning to reasoning, never to text', async () => {
    const events = await run([stream(chatTextSse(['Hi!'], { reasoning: ['The user ', 'greets me.'] }))]);
    expect(reasoning(events)).toBe('The user greets me.');
    expect(text(events)).toBe('Hi!');
    expect(end(events).message).toMatchObject({ content: 'Hi!', reasoning: 'The user greets me.' });
  });

  it('routes a <think> block inside the content, split across deltas, to reasoning', async () => {
    const events = await run([stream(chatTextSse(['<th', 'ink>', 'The user says hi.', '</th', 'ink>\n\n', 'Hello', '!']))]);
    expect(reasoning(events)).toBe('The user says hi.');
    expect(text(events)).toBe('Hello!');
    for (const delta of texts(events)) expect(delta).not.toMatch(/think|<|>/);
    expect(end(events).message).toMatchObject({ content: 'Hello!', reasoning: 'The user says hi.' });
  });

  it('reads a bare </think> (a template that opened the tag in the prompt: Qwen3) as the end of reasoning', async () => {
    const tokens = ['Okay', ', the user', ' says hi.', '\n</', 'think', '>\n\n', 'Hello', '!'];
    const events = await run([stream(chatTextSse(tokens, { model: 'qwen3:8b' }))], { model: 'qwen3:8b' });
    expect(reasoning(events)).toBe('Okay, the user says hi.\n');
    expect(text(events)).toBe('Hello!');
    expect(end(events).message).toMatchObject({ content: 'Hello!', reasoning: 'Okay, the user says hi.\n' });
  });

  it('hands an implicit block that never closes back as the answer, in one text delta before done', async () => {
    const events = await run([stream(chatTextSse(['Just ', 'the answer', '.'], { usage: true }))], { model: 'deepseek-r1:14b' });
    expect(reasoning(events)).toBe('Just the answer.');
    expect(texts(events)).toEqual(['Just the answer.']);
    expect(events.slice(-3).map((e) => e.type)).toEqual(['text', 'usage', 'done']);
    expect(end(events).message).toMatchObject({ content: 'Just the answer.', reasoning: '' });
  });

  it('streams the content of an implicit-tag model live when the server already separated its reasoning', async () => {
    const events = await run([stream(chatTextSse(['Hello', ' there'], { reasoning: ['Thinking.'] }))], { model: 'qwen3:8b' });
    expect(events.map((e) => e.type)).toEqual(['reasoning', 'text', 'text', 'done']);
    expect(text(events)).toBe('Hello there');
  });

  it('follows the thinkTags setting: "implicit" for any model, "off" for none', async () => {
    const body = chatTextSse(['Plan.</think>', 'Answer.']);
    const implicit = await run([stream(body)], {}, { thinkTags: 'implicit' });
    expect({ reasoning: reasoning(implicit), text: text(implicit) }).toEqual({ reasoning: 'Plan.', text: 'Answer.' });
    await server?.close();
    const off = await run([stream(chatTextSse(['<think>x</think>', 'y']))], { model: 'qwen3' }, { thinkTags: 'off' });
    expect({ reasoning: reasoning(off), text: text(off) }).toEqual({ reasoning: '', text: '<think>x</think>y' });
  });

  it('keeps prose that mentions <think> mid-line as text', async () => {
    const events = await run([stream(chatTextSse(['Some models emit ', '<think>', ' tags.']))]);
    expect(text(events)).toBe('Some models emit <think> tags.');
    expect(reasoning(events)).toBe('');
  });

  it('assembles fragmented tool calls once, announcing each as soon as its id and name are known', async () => {
    const events = await run([
      stream(
        chatToolCallSse(
          [
            { id: 'call_a', name: 'read_file', arguments: '{"path":"notes.md","limit":20}' },
            { id: 'call_b', name: 'list_dir', arguments: '{"path":"."}' },
          ],
          { textBefore: ['Let me ', 'look.'], fragments: 5 },
        ),
      ),
    ]);
    expect(text(events)).toBe('Let me look.');
    expect(events.filter((e) => e.type !== 'text').map((e) => e.type)).toEqual([
      'tool_call_start',
      'tool_call_start',
      'tool_call',
      'tool_call',
      'done',
    ]);
    const last = end(events);
    expect(last).toMatchObject({ stopReason: 'tool_calls' });
    expect(last.message.toolCalls).toEqual([
      { id: 'call_a', name: 'read_file', arguments: '{"path":"notes.md","limit":20}' },
      { id: 'call_b', name: 'list_dir', arguments: '{"path":"."}' },
    ]);
  });

  it('treats a new id at a reused index as a new call (Ollama) and assigns repeated names', async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      chatFrame({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'qwen3',
        system_fingerprint: 'fp_ollama',
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    const call = (id: string | undefined, name: string, args: string) => ({
      tool_calls: [{ ...(id ? { id } : {}), index: 0, type: 'function', function: { name, arguments: args } }],
    });
    const body = [
      chunk({ role: 'assistant', content: '', ...call('call_a', 'read_file', '{"path":') }),
      chunk(call(undefined, 'read_file', '"a.txt"}')),
      chunk(call('call_b', 'read_file', '{"path":"b.txt"}')),
      chunk({ content: '' }, 'stop'),
      DONE_FRAME,
    ].join('');
    const events = await run([stream(body)]);
    const last = end(events);
    expect(last.message.toolCalls).toEqual([
      { id: 'call_a', name: 'read_file', arguments: '{"path":"a.txt"}' },
      { id: 'call_b', name: 'read_file', arguments: '{"path":"b.txt"}' },
    ]);
    // Ollama says "stop" while handing over tool calls: they must still run.
    expect(last).toMatchObject({ type: 'done', stopReason: 'tool_calls' });
  });

  it('ignores a tool_calls entry with no name and no arguments in an answer that finishes with stop', async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      chatFrame({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
    const body = [
      chunk({ role: 'assistant', content: 'Hello' }),
      chunk({ content: '!', tool_calls: [{}] }),
      chunk({ tool_calls: [{ index: 0 }] }),
      chunk({}, 'stop'),
      DONE_FRAME,
    ].join('');
    const events = await run([stream(body)]);
    expect(events.filter((e) => e.type === 'tool_call' || e.type === 'tool_call_start')).toEqual([]);
    expect(end(events)).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'Hello!', toolCalls: [] } });
  });

  it("takes usage from Groq's x_groq.usage", async () => {
    const frames = chatTextFrames(['ok']);
    const finish = JSON.parse(frames.at(-2)!.slice('data: '.length));
    finish.x_groq = { id: 'req_1', usage: { prompt_tokens: 93, completion_tokens: 32, total_tokens: 125 } };
    frames[frames.length - 2] = chatFrame(finish);
    const events = await run([stream(frames.join(''))]);
    expect(events.find((e) => e.type === 'usage')).toEqual({ type: 'usage', usage: { inputTokens: 93, outputTokens: 32 } });
  });

  it('splits the cached tokens off the prompt tokens, as Anthropic reports them', async () => {
    const frames = chatTextFrames(['ok']);
    const finish = JSON.parse(frames.at(-2)!.slice('data: '.length));
    finish.usage = { prompt_tokens: 1_000, completion_tokens: 5, total_tokens: 1_005, prompt_tokens_details: { cached_tokens: 768 } };
    frames[frames.length - 2] = chatFrame(finish);
    const events = await run([stream(frames.join(''))]);
    expect(events.find((e) => e.type === 'usage')).toEqual({ type: 'usage', usage: { inputTokens: 232, outputTokens: 5, cacheReadTokens: 768 } });
  });
});

describe('OpenAI Chat Completions adapter: server quirks', () => {
  const ok = (tokens = ['Hello', ' world']) => stream(chatTextSse(tokens));

  it('repeats a request whose stream_options were rejected without them, and leaves them out for the session', async () => {
    server = await startLoopback((n) =>
      n === 1
        ? { kind: 'json', status: 400, body: { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error' } } }
        : ok(),
    );
    const provider = createOpenAIProvider(connect(server));
    const first = await collect(provider.stream(request()));
    expect(text(first)).toBe('Hello world');
    expect(end(first).type).toBe('done');
    expect(server.requests[0]!.json.stream_options).toEqual({ include_usage: true });
    expect(server.requests[1]!.json).not.toHaveProperty('stream_options');
    expect(server.requests[1]!.json.stream).toBe(true);

    const second = await collect(provider.stream(request()));
    expect(end(second).type).toBe('done');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.json).not.toHaveProperty('stream_options');
  });

  it('drops stream_options after an unspecific 422 only when the repeat without them succeeds', async () => {
    server = await startLoopback((n) => (n === 1 ? { kind: 'json', status: 422, body: { detail: 'Extra inputs are not permitted' } } : ok()));
    const provider = createOpenAIProvider(connect(server));
    expect(end(await collect(provider.stream(request()))).type).toBe('done');
    expect(end(await collect(provider.stream(request()))).type).toBe('done');
    expect(server.requests.map((r) => 'stream_options' in r.json)).toEqual([true, false, false]);
  });

  it('reports a genuine bad request after one repeat and keeps stream_options for later requests', async () => {
    server = await startLoopback((n) =>
      n <= 2 ? { kind: 'json', status: 400, body: { error: { message: 'Invalid value for temperature: 3 is greater than the maximum of 2.' } } } : ok(),
    );
    const provider = createOpenAIProvider(connect(server));
    const first = failure(await collect(provider.stream(request())));
    expect(first.error).toMatchObject({ kind: 'bad_request', status: 400, retryable: false });
    expect(first.error.message).toContain('temperature');
    expect(first.error.streamingRejected).toBeUndefined();
    expect(end(await collect(provider.stream(request()))).type).toBe('done');
    expect(server.requests.map((r) => 'stream_options' in r.json)).toEqual([true, false, true]);
  });

  it('reports a context overflow at once: the same request without stream_options cannot fit either', async () => {
    server = await startLoopback([
      { kind: 'json', status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' } } },
    ]);
    const provider = createOpenAIProvider(connect(server));
    const first = failure(await collect(provider.stream(request())));
    expect(first.error).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(first.error.message).toContain('maximum context length');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a rejected streaming request as streamingRejected, and answers a stream: false request as one delta', async () => {
    server = await startLoopback((n) =>
      n === 1
        ? { kind: 'json', status: 400, body: { error: { message: 'Streaming is not supported by this server' } } }
        : { kind: 'json', body: chatCompletionJson('whole answer', { reasoning: 'short thought' }) },
    );
    const provider = createOpenAIProvider(connect(server));
    const rejected = failure(await collect(provider.stream(request())));
    expect(rejected.error).toMatchObject({ kind: 'bad_request', streamingRejected: true });
    expect(server.requests).toHaveLength(1);

    const events = await collect(provider.stream(request({ stream: false })));
    expect(server.requests[1]!.json.stream).toBe(false);
    expect(server.requests[1]!.json).not.toHaveProperty('stream_options');
    expect(texts(events)).toEqual(['whole answer']);
    expect(reasoning(events)).toBe('short thought');
    expect(events.map((e) => e.type)).toEqual(['reasoning', 'text', 'usage', 'done']);
    expect(end(events)).toMatchObject({ stopReason: 'stop', message: { content: 'whole answer' } });
  });

  it('reports a 501 about streaming as streamingRejected', async () => {
    const events = await run([{ kind: 'json', status: 501, body: { error: { message: 'stream mode not implemented' } } }]);
    expect(failure(events).error.streamingRejected).toBe(true);
  });

  it('emits a complete JSON body answering a streaming request as one delta', async () => {
    const events = await run([{ kind: 'json', body: chatCompletionJson('whole answer') }]);
    expect(texts(events)).toEqual(['whole answer']);
    expect(end(events)).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'whole answer' } });
    expect(server!.requests).toHaveLength(1);
  });

  it('reads a body labelled neither SSE nor JSON by its first bytes: SSE as text/plain streams, JSON is one delta', async () => {
    const sse = chatTextFrames(['str', 'eamed']);
    const plain = await run([stream(['\uFEFF\n', 'da', sse.join('').slice(2)], { headers: { 'content-type': 'text/plain' }, delayMs: 5 })]);
    expect(texts(plain)).toEqual(['str', 'eamed']);
    await server?.close();
    const json = await run([stream(JSON.stringify(chatCompletionJson('whole')), { headers: { 'content-type': '' } })]);
    expect(texts(json)).toEqual(['whole']);
    expect(end(json).type).toBe('done');
  });

  it('reports a 200 JSON body that carries an error instead of choices as an error', async () => {
    const events = await run([{ kind: 'json', body: { error: { message: 'upstream provider exploded', code: 502 } } }]);
    const last = failure(events);
    expect(last.error.kind).toBe('stream_error');
    expect(last.error.message).toContain('upstream provider exploded');
  });

  it('emits the tool calls of a non-streamed answer', async () => {
    const body = chatCompletionJson('', { toolCalls: [{ id: 'call_9', name: 'add', arguments: '{"a":1}' }] });
    const events = await run([{ kind: 'json', body }], { stream: false });
    expect(events.map((e) => e.type)).toEqual(['tool_call_start', 'tool_call', 'usage', 'done']);
    expect(end(events)).toMatchObject({ stopReason: 'tool_calls', message: { toolCalls: [{ id: 'call_9', name: 'add', arguments: '{"a":1}' }] } });
  });
});

describe('OpenAI Chat Completions adapter: failures', () => {
  const frames = chatTextFrames(['one ', 'two ', 'three']);
  const firstTwo = frames.slice(0, 3).join(''); // role chunk, 'one ', 'two '

  it('reports a dropped connection as a retryable network error and keeps the partial text', async () => {
    const events = await run([stream(firstTwo, { drop: true })]);
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'network', retryable: true });
    expect(last.message.content).toBe('one two ');
    expect(text(events)).toBe('one two ');
  });

  it('does not mistake a stream that ends without finish_reason or [DONE] for a finished answer', async () => {
    const events = await run([stream(firstTwo)]);
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'network', retryable: true });
    expect(last.error.message).toContain('the stream ended before the answer was complete');
    expect(last.message.content).toBe('one two ');
  });

  it('finishes an answer whose finish_reason arrived even if the connection then drops', async () => {
    const all = chatTextFrames(['one ', 'two'], { usage: true });
    const events = await run([stream(all.slice(0, all.length - 2).join(''), { drop: true })]); // no usage chunk, no [DONE]
    expect(end(events)).toMatchObject({ type: 'done', stopReason: 'stop', message: { content: 'one two' } });
  });

  it('reports a malformed frame as an error instead of crashing', async () => {
    const events = await run([stream([firstTwo, 'data: {"choices":[{"delta":{"content":"x"}\n\n', frames.slice(3).join('')])]);
    const last = failure(events);
    expect(last.error.kind).toBe('stream_error');
    expect(last.error.message).toContain('malformed');
    expect(last.message.content).toBe('one two ');
  });

  it('reports 429 as rate_limit with the advised wait, without retrying by itself', async () => {
    const events = await run([
      { kind: 'json', status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } },
    ]);
    expect(failure(events).error).toMatchObject({ kind: 'rate_limit', retryable: true, status: 429, retryAfterMs: 7000 });
    expect(server!.requests).toHaveLength(1);
  });

  it('reports 500 as a retryable server error, without retrying by itself', async () => {
    const events = await run([{ kind: 'json', status: 500, body: { error: { message: 'boom' } } }]);
    const error = failure(events).error;
    expect(error).toMatchObject({ kind: 'server', retryable: true, status: 500 });
    expect(error.message).toContain('boom');
    expect(server!.requests).toHaveLength(1);
  });

  it('reports 401 as auth and never lets the API key into the error, even when the server echoes it', async () => {
    const events = await run([
      { kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' } } },
    ]);
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
    expect(last.error.message).toContain('Incorrect API key');
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('ends a stalled stream as a stall error with the partial text', async () => {
    const events = await run([stream(firstTwo, { hang: true })], {}, { stallTimeoutMs: 200 });
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'stall', retryable: true });
    expect(last.message.content).toBe('one two ');
  });

  it('ends a stream that goes on with only keepalives and empty deltas after some text as a stall, keeping the text', async () => {
    const empty = chatFrame({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: '' }, finish_reason: null }] });
    const filler = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? ': keepalive\n\n' : empty));
    const events = await run([stream([firstTwo, ...filler], { delayMs: 10, hang: true })], {}, { stallTimeoutMs: 20_000, firstByteTimeoutMs: 1_000 });
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'stall', retryable: true });
    expect(last.error.firstByteTimeout).toBeUndefined();
    expect(last.message.content).toBe('one two ');
  });

  it('gives up on a server that never starts answering', async () => {
    const events = await run([{ kind: 'hang' }], {}, { firstByteTimeoutMs: 200 });
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'stall', retryable: true });
    expect(last.error.message).toContain('did not start answering');
  });

  it('aborts at once: the server sees the connection close, the partial text is kept, the next request works', async () => {
    const slow = chatTextFrames(Array.from({ length: 200 }, (_, i) => `w${i} `));
    server = await startLoopback((n) => (n === 1 ? { kind: 'stream', chunks: slow, delayMs: 20 } : stream(chatTextSse(['next']))));
    const provider = createOpenAIProvider(connect(server));
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    let abortedAt = 0;
    for await (const event of provider.stream(request({ signal: controller.signal }))) {
      events.push(event);
      if (event.type === 'text' && texts(events).length === 3) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const closedAt = await server.requests[0]!.closed;
    expect(closedAt - abortedAt).toBeLessThan(100);
    const last = failure(events);
    expect(last.error).toMatchObject({ kind: 'aborted', retryable: false });
    expect(last.message).toMatchObject({ content: 'w0 w1 w2 ', interrupted: true });
    expect(text(events)).toBe('w0 w1 w2 ');

    const next = await collect(provider.stream(request()));
    expect(end(next)).toMatchObject({ type: 'done', message: { content: 'next' } });
  });
});
