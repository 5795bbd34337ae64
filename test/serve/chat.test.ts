// POST /v1/chat/completions and GET /v1/models through the real openai SDK.

import fs from 'node:fs';
import { APIError, BadRequestError, NotFoundError, RateLimitError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { chatCompletionJson, chatTextFrames, chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { lastUserText, readAll, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GOLDEN = new URL('./golden/chat-stream.sse', import.meta.url);

describe('GET /v1/models', () => {
  it('lists the hermes model id', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const models = await h.client().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['hermes']);
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'hermes' });
    expect(typeof models.data[0]!.created).toBe('number');
  });

  it('answers GET /v1/models/{id} for any id a completion accepts', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    for (const id of ['hermes', 'gpt-4o', 'anthropic/claude-sonnet-4.5']) {
      const model = await h.client().models.retrieve(id);
      expect(model).toMatchObject({ id, object: 'model', owned_by: 'hermes' });
    }
  });

  it('answers /health without a key', async () => {
    h = await startHarness([{ kind: 'hang' }], { key: 'serve-key-0123456789' });
    const res = await fetch(`${h.hermes.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('streaming chat completions', () => {
  it('chat.completions.stream(...).finalChatCompletion() assembles the answer', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['Hello', ', ', 'world', '!'], { usage: true }) }]);
    const stream = h.client().chat.completions.stream({ model: 'hermes', messages: [{ role: 'user', content: 'Say hello' }] });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('Hello, world!');
    expect(completion.choices[0]!.message.role).toBe('assistant');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.model).toBe('hermes');
    expect(deltas).toEqual(['Hello', ', ', 'world', '!']);
    expect(lastUserText(h.upstream.requests[0]!)).toBe('Say hello');
  });

  it('create({stream: true, stream_options: {include_usage: true}}) ends with a usage chunk whose choices is []', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['One', ' two'], { usage: true, promptTokens: 21 }) }]);
    const stream = await h.client().chat.completions.create({
      model: 'anything-the-client-likes',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 2, total_tokens: 23 });
    // Role chunk first, finish chunk before the usage chunk, one id/created/model throughout.
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const finish = chunks[chunks.length - 2]!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(new Set(chunks.map((c) => `${c.id} ${c.created} ${c.model} ${c.object}`)).size).toBe(1);
    expect(chunks[0]!.model).toBe('hermes');
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('One two');
  });

  it('leaves out the usage chunk unless asked, and ends with [DONE]', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['Hi'], { usage: true }) }]);
    const res = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true }).asResponse();
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await readAll(res.body!);
    const frames = body.split('\n\n').filter(Boolean);
    expect(frames[frames.length - 1]).toBe('data: [DONE]');
    expect(frames.every((f) => f.startsWith('data: '))).toBe(true);
    expect(body).not.toContain('"usage"');
    expect(frames).toHaveLength(4); // role, "Hi", finish, [DONE]
  });

  it('writes exactly the bytes of the golden file for a short stream', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['Hel', 'lo', ' 🚀', '\n\u2028"q"'], { usage: true, promptTokens: 9 }) }], {
      ids: (prefix) => `${prefix}golden0001`,
      now: () => 1_750_000_000_123,
    });
    const res = await h
      .client()
      .chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } })
      .asResponse();
    const body = await readAll(res.body!);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, body);
    expect(body).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });

  it('sends system messages as the system prompt and earlier turns as history; content parts are accepted', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['Blue.'])] }], { agent: { system: 'You are hermes.' } as never });
    const completion = await h
      .client()
      .chat.completions.stream({
        model: 'hermes',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'My favourite ' }, { type: 'text', text: 'colour is blue.' }] },
          { role: 'assistant', content: 'Noted.' },
          { role: 'developer', content: 'Answer in one word.' },
          { role: 'user', content: 'What is my favourite colour?' },
        ],
      })
      .finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('Blue.');
    const sent = h.upstream.requests[0]!.json;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are hermes.\n\nBe brief.\n\nAnswer in one word.' },
      { role: 'user', content: 'My favourite colour is blue.' },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: 'What is my favourite colour?' },
    ]);
    expect(sent.model).toBe('upstream-model');
  });

  it('answers stream: false with one chat.completion', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['Plain', ' answer'], { usage: true, promptTokens: 5 })] }]);
    const completion = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'Plain answer' });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  it('runs tools inside hermes: the client sees text only, the segments on separate paragraphs', async () => {
    const add: Tool = {
      definition: { name: 'add', description: 'adds', parameters: { type: 'object', properties: {} } },
      run: async (args) => ({ content: String(Number(args.a) + Number(args.b)) }),
    };
    h = await startHarness(
      (_n, req) =>
        req.json.messages.at(-1).role === 'tool'
          ? { kind: 'stream', chunks: [chatTextSse(['It is ', '4.'])] }
          : { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'add', arguments: '{"a":2,"b":2}' }], { textBefore: ['Let me add.'] })] },
      { agent: { tools: new StaticToolRegistry([add]) } as never },
    );
    const stream = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: '2+2?' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Let me add.\n\nIt is 4.');
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks[chunks.length - 1]!.choices[0]!.finish_reason).toBe('stop');
    // The tool result went back to the model, not to the client.
    expect(h.upstream.requests[1]!.json.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: '4' });

    // Tool progress only for a request that opts in, as custom events.
    const raw = await fetch(`${h.hermes.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hermes', stream: true, messages: [{ role: 'user', content: '2+2?' }], hermes: { tool_progress: true } }),
    });
    const body = await readAll(raw.body!);
    expect(body).toContain('event: hermes.tool_started\ndata: {"type":"hermes.tool_started","id":"call_1","name":"add","arguments":"{\\"a\\":2,\\"b\\":2}"}\n\n');
    expect(body).toContain('event: hermes.tool_finished\n');
  });
});

describe('reasoning', () => {
  it('stays out of the stream unless the request opts in, then arrives as delta.reasoning_content', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['Answer'], { reasoning: ['Thinking', ' hard'] }) }]);
    const client = h.client();
    const collect = async (extra: Record<string, unknown>) => {
      const stream = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true, ...extra } as never);
      const deltas: Record<string, unknown>[] = [];
      for await (const chunk of stream as unknown as AsyncIterable<{ choices: { delta: Record<string, unknown> }[] }>) {
        if (chunk.choices[0]) deltas.push(chunk.choices[0].delta);
      }
      return deltas;
    };
    const plain = await collect({});
    expect(plain.some((d) => 'reasoning_content' in d)).toBe(false);
    expect(plain.map((d) => d.content ?? '').join('')).toBe('Answer');
    const opted = await collect({ hermes: { reasoning: true } });
    expect(opted.map((d) => d.reasoning_content ?? '').join('')).toBe('Thinking hard');
    expect(opted.map((d) => d.content ?? '').join('')).toBe('Answer');
  });
});

describe('errors', () => {
  it('bad JSON is a 400 in the OpenAI error shape', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const res = await fetch(`${h.hermes.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "hermes",' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_json' } });
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a missing or unusable field is a BadRequestError naming it', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const client = h.client();
    const missing = await client.chat.completions.create({ model: 'hermes' } as never).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BadRequestError);
    expect((missing as BadRequestError).param).toBe('messages');
    const image = await client.chat.completions
      .create({ model: 'hermes', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }] })
      .catch((e: unknown) => e);
    expect(image).toBeInstanceOf(BadRequestError);
    expect((image as BadRequestError).param).toBe('messages[0].content[0].type');
    const lastNotUser = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'assistant', content: 'hi' }] }).catch((e: unknown) => e);
    expect(lastNotUser).toBeInstanceOf(BadRequestError);
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('an unknown path is a NotFoundError', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const err = await h.client().embeddings.create({ model: 'x', input: 'y' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).code).toBe('unknown_url');
  });

  it('a provider failure before any output keeps its meaning as a status (429 stays 429, 5xx is 502)', async () => {
    h = await startHarness([
      { kind: 'json', status: 429, body: { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, headers: { 'retry-after': '0' } },
    ], { agent: { retry: { maxAttempts: 1 } } as never });
    const err = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).error).toMatchObject({ type: 'requests', code: 'upstream_rate_limited' });
  });

  it('a stream that breaks after output ends with a data: {"error"} frame, never a finish chunk', async () => {
    const frames = chatTextFrames(['Partial', ' answer', ' that never ends']);
    h = await startHarness([{ kind: 'stream', chunks: frames.slice(0, 3), drop: true }]);
    const res = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true }).asResponse();
    const body = await readAll(res.body!);
    const frameList = body.split('\n\n').filter(Boolean);
    const last = JSON.parse(frameList[frameList.length - 1]!.slice('data: '.length));
    expect(last.error).toMatchObject({ type: 'server_error', code: 'upstream_error', param: null });
    expect(body).not.toContain('finish_reason":"stop"');
    expect(body).not.toContain('[DONE]');
    expect(body).toContain('"content":" answer"');
    expect(body).not.toContain(UPSTREAM_KEY_FRAGMENT);
    // With the usage of what was streamed, though the upstream never reported any.
    expect(last.usage).toMatchObject({ completion_tokens: 2 });
    expect(last.usage.prompt_tokens).toBeGreaterThan(0);

    // The SDK turns that frame into an exception instead of a normal end.
    const stream = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(seen.join('')).toBe('Partial answer');
  });

  it('falls back to the complete answer when the upstream sends JSON instead of a stream', async () => {
    h = await startHarness([{ kind: 'json', body: chatCompletionJson('Whole answer') }]);
    const completion = await h.client().chat.completions.stream({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('Whole answer');
  });
});

const UPSTREAM_KEY_FRAGMENT = 'sk-upstream';
