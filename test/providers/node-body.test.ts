// The node:http body reader every streamed answer goes through: every byte in order, a dropped
// connection is an error (never a quiet end), a slow reader loses nothing, and a reader that
// stops early lets the connection go.

import { afterEach, describe, expect, it } from 'vitest';
import { nodeBodyChunks } from '../../src/agent/providers/node-body.js';
import { nodeRequest } from '../../src/agent/providers/node-request.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(step: Step): Promise<AsyncIterator<Uint8Array>> {
  server = await startLoopback([step]);
  const response = await nodeRequest(`${server.baseURL}/anything`, { method: 'POST', body: '{}' }, new AbortController().signal);
  return nodeBodyChunks(response.body);
}

async function readAll(chunks: AsyncIterator<Uint8Array>, pauseMs = 0): Promise<string> {
  const parts: Buffer[] = [];
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    parts.push(Buffer.from(next.value));
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return Buffer.concat(parts).toString('utf8');
}

const numbered = (count: number): string[] => Array.from({ length: count }, (_, i) => `chunk ${i};`);

describe('nodeBodyChunks', () => {
  it('gives every byte in order and then ends', async () => {
    const writes = numbered(50);
    const chunks = await open({ kind: 'stream', chunks: writes, delayMs: 1 });
    expect(await readAll(chunks)).toBe(writes.join(''));
    // and stays ended
    expect(await chunks.next()).toEqual({ done: true, value: undefined });
  });

  it('loses nothing when the reader is slower than the network (the body is paused, not dropped)', async () => {
    // far more reads than the queue holds before pausing, sent as fast as the socket takes them
    const writes = numbered(400).map((w) => w.padEnd(2000, '.'));
    const chunks = await open({ kind: 'stream', chunks: writes });
    expect(await readAll(chunks, 1)).toBe(writes.join(''));
  });

  it('fails when the connection drops before the end of the body', async () => {
    const chunks = await open({ kind: 'stream', chunks: ['first part;'], drop: true, headers: { 'content-length': '1000' } });
    const first = await chunks.next();
    expect(Buffer.from(first.value ?? []).toString()).toBe('first part;');
    await expect(chunks.next()).rejects.toThrow();
  });

  it('lets the connection go when the reader stops early', async () => {
    const chunks = await open({ kind: 'stream', chunks: ['a', 'b'], hang: true, delayMs: 5 });
    await chunks.next();
    await chunks.return?.();
    const closedAt = await server!.requests[0]!.closed;
    expect(closedAt).toBeGreaterThan(0);
    expect(await chunks.next()).toEqual({ done: true, value: undefined });
  });
});
