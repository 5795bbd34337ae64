// hermes serve started in-process on 127.0.0.1:0, backed by the loopback fake provider, and
// the real openai SDK pointed at it.

import http from 'node:http';
import OpenAI from 'openai';
import { startServer, type RunningServer, type ServerOptions } from '../../src/serve/server.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { startLoopback, type LoopbackServer, type RecordedRequest, type Step } from '../support/loopback.js';

export const UPSTREAM_KEY = 'sk-upstream-test-0123456789abcdef';

export interface Harness {
  upstream: LoopbackServer;
  hermes: RunningServer;
  /** Lines hermes logged. */
  logs: string[];
  client(options?: { apiKey?: string; maxRetries?: number }): OpenAI;
  close(): Promise<void>;
}

export async function startHarness(
  script: Step[] | ((n: number, req: RecordedRequest) => Step),
  options: Partial<ServerOptions> = {},
): Promise<Harness> {
  const upstream = await startLoopback(script);
  const logs: string[] = [];
  const hermes = await startServer({
    host: '127.0.0.1',
    port: 0,
    log: (line) => logs.push(line),
    ...options,
    agent: {
      provider: 'openai',
      model: 'upstream-model',
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...options.agent,
      // Parts of the connection may be given (a small stall limit); the address stays the upstream's.
      connection: { baseURL: upstream.baseURL, apiKey: UPSTREAM_KEY, stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000, ...options.agent?.connection },
    },
    secrets: [UPSTREAM_KEY],
  });
  return {
    upstream,
    hermes,
    logs,
    client: (o = {}) => new OpenAI({ baseURL: `${hermes.url}/v1`, apiKey: o.apiKey ?? options.key ?? 'unused-key', maxRetries: o.maxRetries ?? 0 }),
    async close() {
      await hermes.close();
      await upstream.close();
    },
  };
}

/** The text of the last user message in an upstream Chat Completions request. */
export function lastUserText(req: RecordedRequest): string {
  const messages = (req.json?.messages ?? []) as { role: string; content: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

/** Reads a fetch Response body as text, chunk by chunk, calling `onText` with what has arrived. */
export async function readAll(body: ReadableStream<Uint8Array>, onText?: (soFar: string) => boolean | void): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (onText?.(text) === true) {
      await reader.cancel();
      break;
    }
  }
  return text + decoder.decode();
}

/**
 * The frames of a long answer (`count` tokens of `size` bytes), made as the loopback server
 * takes them, so the test holds none of it. `taken()` says how many frames were taken so far.
 */
export function bigAnswer(count: number, size = 16 * 1024): { chunks: string[]; taken(): number; stopped(rounds: number): Promise<void>; token: string } {
  const token = 'x'.repeat(size);
  const frames = chatTextFrames(['#']);
  let taken = 0;
  const chunks = new Proxy([] as string[], {
    get(target, key, receiver) {
      if (key === 'length') return count + 3;
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        const i = Number(key);
        taken = Math.max(taken, i + 1);
        if (i === 0) return frames[0];
        if (i <= count) return frames[1]!.replace('"#"', JSON.stringify(token));
        return frames[i - count + 1];
      }
      return Reflect.get(target, key, receiver);
    },
  });
  /** Resolves once no frame was taken for `rounds` checks 200 ms apart. */
  const stopped = async (rounds: number): Promise<void> => {
    for (let last = -1, still = 0; still < rounds; ) {
      await new Promise((r) => setTimeout(r, 200));
      still = taken === last ? still + 1 : 0;
      last = taken;
    }
  };
  return { chunks, taken: () => taken, stopped, token };
}

/** A streaming chat request over node:http, whose response the caller reads (or does not). */
export function rawStreamRequest(baseUrl: string, body: Record<string, unknown>): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL('/v1/chat/completions', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'hermes', stream: true, ...body }));
  });
}
