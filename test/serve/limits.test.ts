// Slow and broken clients lose their sockets: headers or bodies trickled byte by byte, requests
// the parser refuses, idle keep-alive connections and streams nobody reads. Raw sockets on
// 127.0.0.1, small limits.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { bigAnswer, rawStreamRequest, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await h?.close();
  h = undefined;
});

interface Raw {
  socket: net.Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves when the socket is closed (the server closed it; the client never does here). */
  closed: Promise<void>;
  /** Resolves when the server closed its side (its FIN, or a reset). */
  gone: Promise<void>;
}

/** A client that never closes its side: only the server can end the connection. */
async function connect(port: number): Promise<Raw> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  sockets.push(socket);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const gone = Promise.race([closed, new Promise<void>((resolve) => socket.once('end', () => resolve()))]);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => text, closed, gone };
}

/** Writes `text` a byte at a time, `everyMs` apart, until the socket goes. */
function trickle(socket: net.Socket, text: string, everyMs = 20): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable || i >= text.length) clearInterval(timer);
    else socket.write(text[i++]!);
  }, everyMs);
}

const limits = { headersMs: 300, requestMs: 600, keepAliveMs: 200, drainMs: 500 };

describe('slow clients', () => {
  it('headers trickled byte by byte are cut off at the headers limit with 408, the socket destroyed', async () => {
    h = await startHarness([{ kind: 'hang' }], { timeouts: limits });
    const raw = await connect(h.hermes.port);
    // Far longer than the limit at this pace.
    trickle(raw.socket, `GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n${'x-pad: y\r\n'.repeat(100)}\r\n`);
    await raw.gone;
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a connection that sends nothing is closed at the headers limit', async () => {
    h = await startHarness([{ kind: 'hang' }], { timeouts: limits });
    const raw = await connect(h.hermes.port);
    await raw.gone;
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('a body that never finishes is cut off at the request limit: 408, logged as such, the model never asked', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['never'])] }], { timeouts: limits });
    const raw = await connect(h.hermes.port);
    const body = JSON.stringify({ model: 'hermes', messages: [{ role: 'user', content: 'hi' }] });
    raw.socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length + 1000}\r\n\r\n`);
    trickle(raw.socket, body + ' '.repeat(1000));
    await raw.gone;
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(h.upstream.requests).toHaveLength(0);
    await expect.poll(() => h!.logs.find((l) => l.startsWith('POST /v1/chat/completions'))).toMatch(/ 408 \d+ms request-timeout$/);
  });

  it('a request the parser refuses gets 400 and its socket is destroyed, not left half-closed (50 at once)', async () => {
    h = await startHarness([{ kind: 'hang' }], { timeouts: { headersMs: 60_000, requestMs: 60_000 } });
    const raws = await Promise.all(Array.from({ length: 50 }, () => connect(h!.hermes.port)));
    for (const raw of raws) raw.socket.write('NOT HTTP AT ALL\r\n\r\n');
    await Promise.all(raws.map((raw) => raw.gone));
    for (const raw of raws) expect(raw.received()).toMatch(/^HTTP\/1\.1 400 /);
    // A half-closed server socket would still take these bytes quietly; a destroyed one
    // answers them with a reset, which the client's next write meets.
    for (const raw of raws) trickle(raw.socket, 'more bytes');
    await Promise.all(raws.map((raw) => raw.closed));
  });

  it('an idle keep-alive connection is closed after the keep-alive limit', async () => {
    h = await startHarness([{ kind: 'hang' }], { timeouts: limits });
    const raw = await connect(h.hermes.port);
    raw.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await raw.gone;
    expect(raw.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*keep-alive/i);
  });

  it('a stream whose client never reads again is cut off after the drain limit, and the model request with it', async () => {
    const answer = bigAnswer(4000);
    h = await startHarness([{ kind: 'stream', chunks: answer.chunks }], { timeouts: limits });
    const response = await rawStreamRequest(h.hermes.url, { messages: [{ role: 'user', content: 'a lot' }] });
    response.pause();
    await h.upstream.requests[0]!.closed;
    await expect.poll(() => h!.logs.find((l) => l.startsWith('POST /v1/chat/completions'))).toContain('client-closed');
    expect(answer.taken()).toBeLessThan(4000);
    // What was already on its way still arrives, then the cut-off answer ends unfinished.
    response.on('error', () => {});
    response.resume();
    await new Promise((resolve) => response.once('close', resolve));
    expect(response.complete).toBe(false);
  });
});
