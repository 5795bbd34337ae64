// Who may call: the bearer key, browser origins (CORS) and the serve command line.

import http from 'node:http';
import { AuthenticationError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseServeArgs } from '../../src/serve/args.js';
import { isLoopbackHost } from '../../src/serve/auth.js';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const KEY = 'serve-key-0123456789abcdef';

describe('bearer key', () => {
  it('a bad key gives AuthenticationError (401, invalid_api_key) and never reaches the model', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['ok'])] }], { key: KEY });
    const err = await h
      .client({ apiKey: 'serve-key-0123456789abcdeX' })
      .chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).status).toBe(401);
    expect((err as AuthenticationError).code).toBe('invalid_api_key');
    expect((err as AuthenticationError).error).toMatchObject({ type: 'invalid_request_error', param: null });
    expect(h.upstream.requests).toHaveLength(0);

    const none = await fetch(`${h.hermes.url}/v1/models`);
    expect(none.status).toBe(401);
    const right = await h.client({ apiKey: KEY }).chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] });
    expect(right.choices[0]!.message.content).toBe('ok');
    // The key is in no log line.
    expect(h.logs.join('\n')).not.toContain(KEY.slice(0, 12));
    expect(h.logs.some((l) => l.startsWith('POST /v1/chat/completions 401 '))).toBe(true);
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://chat.example.com';

  it('answers the preflight of an allowed origin and marks its responses', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['ok'])] }], { key: KEY, corsOrigins: [ALLOWED] });
    const preflight = await fetch(`${h.hermes.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-stainless-os');

    const res = await fetch(`${h.hermes.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { origin: ALLOWED, authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('vary')).toBe('Origin');

    // Streams carry the header too, or a browser could not read them.
    const streamed = await fetch(`${h.hermes.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { origin: ALLOWED, authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hermes', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(streamed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(await streamed.text()).toContain('data: [DONE]');
  });

  it('refuses other origins, preflight and request alike, without running the agent', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['ok'])] }], { corsOrigins: [ALLOWED] });
    const preflight = await fetch(`${h.hermes.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // A "simple" cross-site POST (no preflight) to a key-less loopback server.
    const res = await fetch(`${h.hermes.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ model: 'hermes', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'origin_not_allowed' });
    expect(h.upstream.requests).toHaveLength(0);
  });

  it('without --cors-origin no browser origin is allowed', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const res = await fetch(`${h.hermes.url}/v1/models`, { headers: { origin: 'http://localhost:3000' } });
    expect(res.status).toBe(403);
  });
});

describe('hermes serve flags', () => {
  it('parses the server flags and the usual model flags', () => {
    const flags = parseServeArgs([
      '--host', '0.0.0.0', '--port=9000', '--key', 'k-0123456789', '--cors-origin', 'https://a.example',
      '--cors-origin=http://localhost:3000', '--max-concurrent', '4', '--store-size', '0',
      '-m', 'gpt-4o', '--provider', 'openai', '--base-url', 'http://127.0.0.1:1/v1', '-s', 'be kind', '--max-turns', '3', '--stall-timeout', '2.5',
    ]);
    expect(flags).toEqual({
      host: '0.0.0.0',
      port: 9000,
      key: 'k-0123456789',
      corsOrigins: ['https://a.example', 'http://localhost:3000'],
      maxConcurrent: 4,
      storeSize: 0,
      model: 'gpt-4o',
      provider: 'openai',
      baseURL: 'http://127.0.0.1:1/v1',
      system: 'be kind',
      maxTurns: 3,
      stallTimeout: 2.5,
    });
  });

  it('rejects mistakes with a UsageError that does not echo the key', () => {
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(UsageError);
    expect(() => parseServeArgs(['--max-concurrent', '0'])).toThrow(UsageError);
    expect(() => parseServeArgs(['--cors-origin', 'https://a.example/path'])).toThrow(/origin/);
    expect(() => parseServeArgs(['--bogus'])).toThrow(/unknown option/);
    expect(() => parseServeArgs(['-p', 'x'])).toThrow(/unknown option/);
    expect(() => parseServeArgs(['--key'])).toThrow(/needs a value/);
    expect(() => parseServeArgs(['--key', 'short1'])).toThrow(UsageError);
    try {
      parseServeArgs(['--key', 'short1']);
    } catch (err) {
      expect((err as Error).message).not.toContain('short1');
    }
  });

  it('knows which hosts are loopback', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.8.9.10']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });
});

/** A raw request with the Host header a browser would send after DNS rebinding. */
function withHost(url: string, path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, url), { headers: { ...headers, host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host check without a key (DNS rebinding)', () => {
  it('serves loopback names and addresses, with or without the port', async () => {
    h = await startHarness([{ kind: 'hang' }]);
    const port = h.hermes.port;
    for (const host of [`localhost:${port}`, 'localhost', `127.0.0.1:${port}`, '127.0.0.1', `[::1]:${port}`, '[::1]', `LOCALHOST:${port}`]) {
      const res = await withHost(h.hermes.url, '/v1/models', host);
      expect(res.status, host).toBe(200);
    }
  });

  it('refuses any other Host with 403 and a clear error body, stored responses included', async () => {
    h = await startHarness([{ kind: 'stream', chunks: [chatTextSse(['secret answer'])] }]);
    const stored = await h.client().responses.create({ model: 'hermes', input: 'remember this' });
    const port = h.hermes.port;
    for (const path of ['/v1/models', `/v1/responses/${stored.id}`, '/health']) {
      for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, `[::2]:${port}`]) {
        const res = await withHost(h.hermes.url, path, host);
        expect(res.status, `${host} ${path}`).toBe(403);
        const body = JSON.parse(res.body) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('host_not_allowed');
        expect(body.error.message).toContain('DNS rebinding');
        expect(res.body).not.toContain('secret answer');
      }
    }
    expect(h.upstream.requests).toHaveLength(1);
  });

  it('with a key, any Host is served (the key is the check)', async () => {
    h = await startHarness([{ kind: 'hang' }], { key: KEY });
    const res = await withHost(h.hermes.url, '/v1/models', 'hermes.internal.example:443', { authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(200);
  });
});
