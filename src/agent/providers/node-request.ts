// One HTTP request over node:http/https, for the transport's fetch. Streaming a response through
// Node's own sockets costs about half the CPU of fetch (undici and its web streams) per network
// read, which at a few hundred small reads a second is most of what a client spends.

import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { decodeBody } from './body-encoding.js';

export interface NodeResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body with any content-encoding undone (the raw body when it could not be). */
  body: Readable;
  /** A content-encoding hermes cannot decode (the body is then left as it came). */
  unsupportedEncoding?: string;
}

// Keep-alive, as fetch does: a conversation sends many requests to one host.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** True when `init` is something this module can send (the SDKs send JSON strings). */
export function canSendNatively(input: string | URL | Request, init: RequestInit | undefined): boolean {
  if (input instanceof Request) return false;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return false;
  const protocol = (typeof input === 'string' ? new URL(input) : input).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

/** Resolves when the response headers arrive. Rejects like fetch: AbortError, or TypeError with a cause. */
export function nodeRequest(input: string | URL, init: RequestInit, signal: AbortSignal): Promise<NodeResponse> {
  const url = typeof input === 'string' ? new URL(input) : input;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  // Asking for identity keeps every byte as the server wrote it; a proxy that compresses anyway
  // is decoded (body-encoding.ts).
  headers['accept-encoding'] = 'identity';
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : (init.body as Uint8Array | null | undefined);
  if (body) headers['content-length'] = String(body.byteLength);

  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: init.method ?? 'GET',
      headers,
      agent: agents[url.protocol as 'http:' | 'https:'],
    });
    let settled = false;
    const onAbort = (): void => {
      // Destroying the request closes the connection at once: the server sees it go.
      request.destroy(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      reject(signal.aborted ? abortError() : new TypeError('fetch failed', { cause: err }));
    });
    request.on('response', (response) => {
      settled = true;
      response.on('close', () => signal.removeEventListener('abort', onAbort));
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
        else if (value !== undefined) responseHeaders.set(name, value);
      }
      const status = response.statusCode ?? 0;
      const statusText = response.statusMessage ?? '';
      const decoded = decodeBody(response, response.headers['content-encoding']);
      if ('unsupported' in decoded) {
        resolve({ status, statusText, headers: responseHeaders, body: response, unsupportedEncoding: decoded.unsupported });
        return;
      }
      if (decoded.body !== response) {
        // What is handed on is the decoded body: its length and encoding are no longer these.
        responseHeaders.delete('content-encoding');
        responseHeaders.delete('content-length');
      }
      resolve({ status, statusText, headers: responseHeaders, body: decoded.body });
    });
    request.end(body ?? undefined);
  });
}

function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError');
}
