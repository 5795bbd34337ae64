// Bodies compressed although hermes asked for identity (some proxies do): decoded as they arrive,
// through the real SDK and a loopback server, or reported as what they are.

import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../src/agent/providers/openai.js';
import type { ProviderConnection, StreamEvent } from '../../src/agent/types.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { chatTextFrames, chatTextSse } from '../support/wire/openai-chat.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(step: Step, conn: Partial<ProviderConnection> = {}): Promise<StreamEvent[]> {
  server = await startLoopback([step]);
  const provider = createOpenAIProvider({ baseURL: server.baseURL, apiKey: 'sk-test-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 5_000, ...conn });
  const events: StreamEvent[] = [];
  const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], tools: [], stream: true, signal: new AbortController().signal };
  for await (const event of provider.stream(request)) events.push(event);
  return events;
}

const text = (events: StreamEvent[]): string => events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
const last = (events: StreamEvent[]) => events.at(-1) as Extract<StreamEvent, { type: 'done' | 'error' }>;

/** Each frame compressed and flushed on its own, as a proxy that streams compressed output sends it. */
function flushedFrames(frames: string[], make: () => zlib.Gzip | zlib.Deflate | zlib.DeflateRaw | zlib.BrotliCompress): Promise<Buffer[]> {
  const compressor = make();
  const out: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => out.push(chunk));
  return (async () => {
    const pieces: Buffer[] = [];
    for (const frame of frames) {
      compressor.write(frame);
      await new Promise<void>((resolve) => compressor.flush(() => resolve()));
      pieces.push(Buffer.concat(out.splice(0)));
    }
    return pieces;
  })();
}

describe('compressed response bodies', () => {
  const tokens = ['Grüße ', 'aus ', 'dem ', 'Proxy'];
  const cases: [string, (body: string) => Buffer][] = [
    ['gzip', (b) => zlib.gzipSync(b)],
    ['x-gzip', (b) => zlib.gzipSync(b)],
    ['deflate', (b) => zlib.deflateSync(b)],
    ['br', (b) => zlib.brotliCompressSync(b)],
  ];
  for (const [encoding, compress] of cases) {
    it(`decodes a ${encoding} body`, async () => {
      const body = compress(chatTextSse(tokens));
      const events = await run({ kind: 'stream', headers: { 'content-encoding': encoding }, chunks: [body.subarray(0, 7), body.subarray(7)] });
      expect(text(events)).toBe(tokens.join(''));
      expect(last(events)).toMatchObject({ type: 'done', stopReason: 'stop' });
    });
  }

  it('decodes "deflate" sent as raw deflate (no zlib header), as many servers do', async () => {
    const events = await run({ kind: 'stream', headers: { 'content-encoding': 'deflate' }, chunks: [zlib.deflateRawSync(chatTextSse(tokens))] });
    expect(text(events)).toBe(tokens.join(''));
  });

  it('streams through the decoder: what arrived is shown before the compressed stream stalls', async () => {
    const frames = chatTextFrames(['one ', 'two ', 'three']);
    const gz = await flushedFrames(frames.slice(0, 3), () => zlib.createGzip());
    const br = await flushedFrames(frames.slice(0, 3), () => zlib.createBrotliCompress());
    for (const [encoding, chunks] of [['gzip', gz], ['br', br]] as const) {
      const events = await run({ kind: 'stream', headers: { 'content-encoding': encoding }, chunks, delayMs: 10, hang: true }, { stallTimeoutMs: 300 });
      expect(last(events)).toMatchObject({ type: 'error', error: { kind: 'stall' }, message: { content: 'one two ' } });
      await server?.close();
      server = undefined;
    }
  });

  it('reports an encoding it cannot decode as what it is', async () => {
    const events = await run({ kind: 'stream', headers: { 'content-encoding': 'zstd' }, chunks: [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3])] });
    const end = last(events);
    expect(end).toMatchObject({ type: 'error', error: { retryable: false } });
    if (end.type === 'error') expect(end.error.message).toMatch(/^the server sent its answer compressed as "zstd", which hermes cannot decode \(HTTP 200 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions\)$/);
  });

  it('reports a body that is not what its content-encoding says in one line', async () => {
    const events = await run({ kind: 'stream', headers: { 'content-encoding': 'gzip' }, chunks: [chatTextSse(tokens)] });
    expect(last(events)).toMatchObject({
      type: 'error',
      error: { kind: 'network', message: 'the server sent a compressed answer that could not be decoded', retryable: false },
    });
  });
});
