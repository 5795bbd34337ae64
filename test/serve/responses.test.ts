// POST /v1/responses, previous_response_id and the response store, through the real openai SDK.

import fs from 'node:fs';
import { NotFoundError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { chatTextFrames, chatTextSse } from '../support/wire/openai-chat.js';
import { lastUserText, readAll, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GOLDEN = new URL('./golden/responses-stream.sse', import.meta.url);

/** Upstream answers "Answer to <prompt>." token by token. */
const echo = (_n: number, req: Parameters<typeof lastUserText>[0]) => ({
  kind: 'stream' as const,
  chunks: chatTextFrames(['Answer to ', lastUserText(req), '.'], { usage: true }),
});

describe('streaming responses', () => {
  it('responses.stream(...).finalResponse() succeeds, with sequence numbers strictly increasing from 0', async () => {
    h = await startHarness(echo);
    const stream = h.client().responses.stream({ model: 'hermes', input: 'ping' });
    const types: string[] = [];
    const sequence: number[] = [];
    const deltas: string[] = [];
    stream.on('event', (event) => {
      types.push(event.type);
      sequence.push(event.sequence_number);
    });
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Answer to ping.');
    expect(response.model).toBe('hermes');
    expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
    expect(deltas).toEqual(['Answer to ', 'ping', '.']);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('writes exactly the bytes of the golden file for a short stream', async () => {
    let serial = 0;
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['Hi', ' there'], { usage: true, promptTokens: 7 }) }], {
      ids: (prefix) => `${prefix}golden${String(++serial).padStart(4, '0')}`,
      now: () => 1_750_000_000_999,
    });
    const res = await h.client().responses.create({ model: 'hermes', input: 'hello', stream: true, instructions: 'Be nice.' }).asResponse();
    const body = await readAll(res.body!);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, body);
    expect(body).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });

  it('answers stream: false with one Response object', async () => {
    h = await startHarness(echo);
    const response = await h.client().responses.create({
      model: 'hermes',
      instructions: 'Be terse.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'pong' }] }],
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Answer to pong.');
    expect(response.instructions).toBe('Be terse.');
    expect(h.upstream.requests[0]!.json.messages[0]).toEqual({ role: 'system', content: 'Be terse.' });
  });
});

describe('stored responses', () => {
  it('previous_response_id continues the conversation', async () => {
    h = await startHarness(echo);
    const client = h.client();
    const first = await client.responses.create({ model: 'hermes', input: 'My name is Ada.', instructions: 'Only for the first.' });
    const second = await client.responses.stream({ model: 'hermes', input: 'What is my name?', previous_response_id: first.id }).finalResponse();
    expect(second.output_text).toBe('Answer to What is my name?.');
    expect(second.previous_response_id).toBe(first.id);
    // The model saw the whole conversation; instructions are not carried over (as in OpenAI's API).
    expect(h.upstream.requests[1]!.json.messages).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Answer to My name is Ada..' },
      { role: 'user', content: 'What is my name?' },
    ]);
    // And a third turn continues the second.
    await client.responses.create({ model: 'hermes', input: 'Thanks.', previous_response_id: second.id });
    expect(h.upstream.requests[2]!.json.messages.map((m: { content: string }) => m.content)).toEqual([
      'My name is Ada.',
      'Answer to My name is Ada..',
      'What is my name?',
      'Answer to What is my name?.',
      'Thanks.',
    ]);
  });

  it('GET and DELETE /v1/responses/{id}; an unknown id is a 404', async () => {
    h = await startHarness(echo);
    const client = h.client();
    const created = await client.responses.create({ model: 'hermes', input: 'keep me' });
    const fetched = await client.responses.retrieve(created.id);
    expect(fetched.id).toBe(created.id);
    expect(fetched.output_text).toBe('Answer to keep me.');
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.responses.delete(created.id)).rejects.toBeInstanceOf(NotFoundError);
    const continued = await client.responses.create({ model: 'hermes', input: 'x', previous_response_id: created.id }).catch((e: unknown) => e);
    expect(continued).toBeInstanceOf(NotFoundError);
    expect((continued as NotFoundError).param).toBe('previous_response_id');
  });

  it('the store is bounded: the least recently used response is dropped first', async () => {
    h = await startHarness(echo, { storeSize: 2 });
    const client = h.client();
    const a = await client.responses.create({ model: 'hermes', input: 'a' });
    const b = await client.responses.create({ model: 'hermes', input: 'b' });
    await client.responses.retrieve(a.id); // a is now more recent than b
    const c = await client.responses.create({ model: 'hermes', input: 'c' });
    await expect(client.responses.retrieve(b.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.responses.retrieve(a.id)).id).toBe(a.id);
    expect((await client.responses.retrieve(c.id)).id).toBe(c.id);
  });

  it('store: false keeps nothing', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['ok'])] }]);
    const client = h.client();
    const response = await client.responses.create({ model: 'hermes', input: 'x', store: false });
    await expect(client.responses.retrieve(response.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('failures', () => {
  it('a stream that breaks after output ends with response.failed, keeping the partial text', async () => {
    const frames = chatTextFrames(['Half', ' an answer', ' and more']);
    h = await startHarness([{ kind: 'stream', chunks: frames.slice(0, 3), drop: true }]);
    const stream = h.client().responses.stream({ model: 'hermes', input: 'x' });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const response = await stream.finalResponse();
    expect(response.status).toBe('failed');
    expect(response.error).toMatchObject({ code: 'upstream_error' });
    expect(response.output_text).toBe('Half an answer');
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
    // The upstream never reported usage; what was streamed is counted (a token per delta).
    expect(response.usage!.output_tokens).toBe(2);
    expect(response.usage!.input_tokens).toBeGreaterThan(0);
    expect(response.usage!.total_tokens).toBe(response.usage!.input_tokens + 2);
  });

  it('input items hermes cannot honour are a 400 naming them', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const res = await fetch(`${h.hermes.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hermes', input: [{ type: 'computer_call_output', call_id: 'c', output: {} }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ type: 'invalid_request_error', param: 'input[0].type' });
  });
});
