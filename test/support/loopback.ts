// A real HTTP server on 127.0.0.1 that plays scripted responses, so tests drive the real SDKs
// over real sockets. Each request takes the next step of the script (the last step repeats).
// It records what it was sent and when each client connection closed.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  /** Resolves with performance.now() when the client's connection for this request closed. */
  closed: Promise<number>;
  /** performance.now() when the last byte of the response was written by the server. */
  lastWriteAt?: number;
}

export type Step =
  | {
      kind: 'stream';
      /** The exact bytes to send, split into these writes. */
      chunks: (string | Buffer)[];
      status?: number;
      headers?: Record<string, string>;
      /** Pause between writes, in ms (0: write as fast as the socket accepts). */
      delayMs?: number;
      /** After the chunks, keep the connection open and silent instead of ending it. */
      hang?: boolean;
      /** After the chunks, destroy the socket without ending the response. */
      drop?: boolean;
    }
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'hang' };

export interface LoopbackServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** origin + '/v1': what the SDKs take as base URL. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Resolves when the n-th request (1-based) has arrived. */
  waitForRequest(n: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export function sse(payloads: unknown[], options: { event?: (p: any) => string | undefined; done?: boolean } = {}): string {
  let out = '';
  for (const payload of payloads) {
    const event = options.event?.(payload);
    if (event) out += `event: ${event}\n`;
    out += `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
  }
  if (options.done) out += 'data: [DONE]\n\n';
  return out;
}

/** Splits bytes into chunks of at most `size` bytes (the last one shorter). */
export function splitBytes(data: string | Buffer, size: number): Buffer[] {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

export async function startLoopback(script: Step[] | ((n: number, req: RecordedRequest) => Step)): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const waiters: { n: number; resolve: (r: RecordedRequest) => void }[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    // hermes asks local servers for their context window; a scripted model server has none to
    // give, and those questions are not part of any script.
    if (isWindowProbe(req.method ?? '', req.url ?? '')) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      let markClosed!: (t: number) => void;
      const closed = new Promise<number>((resolve) => (markClosed = resolve));
      res.on('close', () => markClosed(performance.now()));
      const record: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json, closed };
      requests.push(record);
      for (const w of waiters.filter((w) => w.n <= requests.length)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(requests[w.n - 1]!);
      }
      const n = requests.length;
      const step = typeof script === 'function' ? script(n, record) : script[Math.min(n, script.length) - 1]!;
      void play(step, res, record);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    baseURL: `${origin}/v1`,
    requests,
    waitForRequest(n) {
      if (requests.length >= n) return Promise.resolve(requests[n - 1]!);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function play(step: Step, res: http.ServerResponse, record: RecordedRequest): Promise<void> {
  if (step.kind === 'hang') return;
  if (step.kind === 'json') {
    res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers });
    res.end(JSON.stringify(step.body));
    record.lastWriteAt = performance.now();
    return;
  }
  res.writeHead(step.status ?? 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...step.headers,
  });
  res.flushHeaders();
  let flushed: Promise<unknown> = Promise.resolve();
  for (const chunk of step.chunks) {
    if (res.destroyed) return;
    let ok = true;
    flushed = new Promise((resolve) => {
      ok = res.write(chunk, resolve);
    });
    record.lastWriteAt = performance.now();
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    else if (!ok) await new Promise((r) => res.once('drain', r));
  }
  if (step.drop) {
    // Let the written bytes reach the client first: destroying a socket discards what is
    // still queued, and the point of a drop is a connection that dies mid-answer.
    await flushed;
    await new Promise((r) => setTimeout(r, 20));
    res.socket?.destroy();
    return;
  }
  if (step.hang) return;
  res.end();
}

/** The addresses hermes asks for a model's context window (src/agent/context/server-window.ts). */
export function isWindowProbe(method: string, url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return path === '/props' || path === '/api/show' || path.startsWith('/api/v0/models') || (method === 'GET' && path.endsWith('/models'));
}
