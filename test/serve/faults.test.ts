// Behaviour under load and faults: clients that leave, slow readers, stalls, many streams at
// once, the concurrency limit and shutdown.

import { APIError, RateLimitError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { chatTextFrames, chatTextSse } from '../support/wire/openai-chat.js';
import { bigAnswer, lastUserText, rawStreamRequest, readAll, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a client that disconnects', () => {
  it('breaking out of the loop after 3 chunks closes the upstream connection within 100 ms', async () => {
    const tokens = Array.from({ length: 50 }, (_, i) => `t${i} `);
    // Ten frames, then the provider keeps the connection open: only an abort can close it.
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(tokens).slice(0, 10), hang: true }]);
    const stream = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'go' }], stream: true });
    let seen = 0;
    let brokeAt = 0;
    for await (const _chunk of stream) {
      if (++seen === 3) {
        brokeAt = performance.now();
        break;
      }
    }
    const closedAt = await h.upstream.requests[0]!.closed;
    expect(closedAt - brokeAt).toBeLessThan(100);
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('aborting before the first token closes the upstream connection within 100 ms', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const controller = new AbortController();
    const pending = h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'go' }], stream: true }, { signal: controller.signal });
    pending.catch(() => {});
    const upstream = await h.upstream.waitForRequest(1);
    const abortedAt = performance.now();
    controller.abort();
    const closedAt = await upstream.closed;
    expect(closedAt - abortedAt).toBeLessThan(100);
    await expect(pending).rejects.toThrow();
    // Logged as what happened: nothing was ever sent.
    await expect.poll(() => h!.logs.find((l) => l.startsWith('POST /v1/chat/completions'))).toMatch(/^POST \/v1\/chat\/completions 499 \d+ms client-closed$/);
  });

  it('the same holds for a Responses stream and for a non-streaming request', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['a', 'b', 'c', 'd']).slice(0, 3), hang: true }]);
    const stream = h.client().responses.stream({ model: 'hermes', input: 'go' });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') break;
    }
    const brokeAt = performance.now();
    expect((await h.upstream.requests[0]!.closed) - brokeAt).toBeLessThan(100);

    const controller = new AbortController();
    const plain = h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
    plain.catch(() => {});
    const upstream = await h.upstream.waitForRequest(2);
    const abortedAt = performance.now();
    controller.abort();
    expect((await upstream.closed) - abortedAt).toBeLessThan(100);
  });
});

describe('keep-alive', () => {
  it('sends `: keepalive` while the model is silent, then the answer', async () => {
    const frames = chatTextFrames(['late', ' answer']);
    // Frames 250 ms apart (the keep-alive interval here is 100 ms).
    h = await startHarness([{ kind: 'stream', chunks: frames, delayMs: 250 }], { keepaliveMs: 100 });
    const res = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true }).asResponse();
    const body = await readAll(res.body!);
    const frameList = body.split('\n\n').filter(Boolean);
    const firstText = frameList.findIndex((f) => f.includes('"content":"late"'));
    const keepalives = frameList.map((f, i) => (f === ': keepalive' ? i : -1)).filter((i) => i >= 0);
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    expect(keepalives[0]).toBeLessThan(firstText);
    expect(frameList[0]).toContain('"role":"assistant"');
    expect(frameList.at(-1)).toBe('data: [DONE]');
    // Clients ignore the comments: the SDK still assembles the answer.
    const completion = await h.client().chat.completions.stream({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('late answer');
  });
});

describe('backpressure', () => {
  it('a client that stops reading holds the model back instead of filling memory; reading again resumes it', async () => {
    const COUNT = 4000; // 64 MiB of answer
    const answer = bigAnswer(COUNT);
    h = await startHarness([{ kind: 'stream', chunks: answer.chunks }]);
    const response = await rawStreamRequest(h.hermes.url, { messages: [{ role: 'user', content: 'a lot' }] });
    response.pause();
    // Wait until the upstream stops being read from: no change for a whole second (a busy
    // server can pause for a while, e.g. to collect garbage, without having stopped).
    await answer.stopped(5);
    // Socket buffers along the way hold some megabytes (about 10 here); without backpressure
    // all 64 would be read.
    expect(answer.taken()).toBeLessThan(COUNT / 4);
    expect(answer.taken()).toBeGreaterThan(0);

    // Reading again lets the server pull from the model again.
    const stalledAt = answer.taken();
    let received = 0;
    response.on('data', (chunk: Buffer) => (received += chunk.length));
    response.resume();
    while (answer.taken() < stalledAt + 500) await new Promise((r) => setTimeout(r, 10));
    expect(received).toBeGreaterThan(0);
    // And a reader that leaves for good ends the model request.
    response.destroy();
    await h.upstream.requests[0]!.closed;
    expect(answer.taken()).toBeLessThan(COUNT);
  });
});

describe('a client that pauses reading', () => {
  it('is not reported as an upstream stall: waiting for our own client does not count toward the stall limit', async () => {
    const COUNT = 2000; // 32 MiB: far more than the socket buffers hold
    const answer = bigAnswer(COUNT);
    h = await startHarness([{ kind: 'stream', chunks: answer.chunks }], {
      // Small, but not so small that a loaded machine's pauses look like stalls.
      agent: { connection: { stallTimeoutMs: 1_000 } } as never,
    });
    const response = await rawStreamRequest(h.hermes.url, { messages: [{ role: 'user', content: 'a lot' }] });
    response.pause();
    // Paused until the upstream is no longer read from, then four stall limits more.
    await answer.stopped(3);
    expect(answer.taken()).toBeLessThan(COUNT);
    await new Promise((r) => setTimeout(r, 4_000));
    let tail = '';
    let bytes = 0;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      bytes += chunk.length;
      tail = (tail + chunk).slice(-4096);
    });
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    expect(tail).not.toContain('upstream_timeout');
    expect(tail.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(bytes).toBeGreaterThan(COUNT * answer.token.length);
  });
});

describe('many clients', () => {
  it('20 concurrent streaming clients all receive their full, correct answers', async () => {
    const answer = (who: string): string[] => Array.from({ length: 40 }, (_, i) => `${who}:${i} `);
    // Each upstream answer trickles out, so all twenty are in flight at once.
    h = await startHarness((_n, req) => ({ kind: 'stream', chunks: chatTextFrames(answer(lastUserText(req)), { usage: true }), delayMs: 2 }));
    const client = h.client();
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const who = `client${i}`;
        const stream = await client.chat.completions.create({
          model: 'hermes',
          messages: [{ role: 'user', content: who }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        let usage = null;
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? '';
          if (chunk.usage) usage = chunk.usage;
        }
        return { who, text, usage };
      }),
    );
    for (const r of results) {
      expect(r.text).toBe(answer(r.who).join(''));
      expect(r.usage).toMatchObject({ completion_tokens: 40 });
    }
    expect(h.upstream.requests).toHaveLength(20);
    expect(h.logs.filter((l) => l.startsWith('POST /v1/chat/completions 200'))).toHaveLength(20);
  });

  it('one request over the concurrency limit gets 429 in the OpenAI error shape', async () => {
    h = await startHarness((n) => (n === 1 ? { kind: 'hang' } : { kind: 'stream', chunks: [chatTextSse(['ok'])] }), { maxConcurrent: 1 });
    const client = h.client();
    const controller = new AbortController();
    const first = client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true }, { signal: controller.signal });
    first.catch(() => {});
    await h.upstream.waitForRequest(1);
    const err = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'y' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).status).toBe(429);
    expect((err as RateLimitError).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null });
    expect(h.upstream.requests).toHaveLength(1);
    // Once the first is gone, the slot is free again.
    controller.abort();
    await h.upstream.requests[0]!.closed;
    await new Promise((r) => setTimeout(r, 20));
    const ok = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'z' }] });
    expect(ok.choices[0]!.message.content).toBe('ok');
  });
});

describe('shutdown', () => {
  it('ends running streams with an error frame, then closes', async () => {
    h = await startHarness([{ kind: 'stream', chunks: chatTextFrames(['started', ' then']).slice(0, 2), hang: true }]);
    const stream = await h.client().chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    const failure = (async () => {
      for await (const chunk of stream) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
        if (seen.includes('started')) void h!.hermes.close();
      }
    })().catch((e: unknown) => e);
    const err = await failure;
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).code).toBe('server_shutdown');
    expect(seen.join('')).toBe('started');
    await h.hermes.close();
    // Nothing is accepted any more.
    await expect(fetch(`${h.hermes.url}/health`)).rejects.toThrow();
  });
});
