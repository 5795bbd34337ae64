// The context window, asked of real HTTP servers on loopback that answer as llama.cpp,
// Ollama, LM Studio and OpenRouter do.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serverContextWindow } from '../../src/agent/context/server-window.js';
import { resolveContextWindow } from '../../src/agent/context/window.js';

type Routes = Record<string, (body: string) => unknown>;
const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(routes: Routes): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = `${req.method} ${req.url}`;
      seen.push(key);
      const route = routes[key];
      if (!route) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route(body)));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

describe('the window a server reports', () => {
  it('llama.cpp: /props n_ctx', async () => {
    const { base } = await serve({ 'GET /props': () => ({ default_generation_settings: { n_ctx: 16_384 }, total_slots: 1 }) });
    expect(await serverContextWindow(base, 'gpt-4.1-mini')).toBe(16_384);
  });

  it('llama.cpp: /v1/models meta.n_ctx for its single model, whatever name was asked for', async () => {
    const { base } = await serve({ 'GET /v1/models': () => ({ object: 'list', data: [{ id: 'tiny-scripted.gguf', meta: { n_ctx: 8_192, n_ctx_train: 131_072 } }] }) });
    expect(await serverContextWindow(base, 'gpt-4.1-mini')).toBe(8_192);
  });

  it('Ollama: num_ctx from /api/show parameters, else the model_info length', async () => {
    let parameters = 'temperature 0.7\nnum_ctx 12288';
    const { base, seen } = await serve({
      'POST /api/show': (body) => {
        expect(JSON.parse(body)).toEqual({ model: 'qwen3:8b' });
        return { parameters, model_info: { 'qwen3.context_length': 40_960 } };
      },
    });
    expect(await serverContextWindow(base, 'qwen3:8b')).toBe(12_288);
    parameters = 'temperature 0.7';
    expect(await serverContextWindow(base, 'qwen3:8b')).toBe(40_960);
    expect(seen).toContain('POST /api/show');
  });

  it('LM Studio: loaded_context_length of /api/v0/models/{id}', async () => {
    const { base } = await serve({ 'GET /api/v0/models/qwen2.5-7b-instruct': () => ({ id: 'qwen2.5-7b-instruct', loaded_context_length: 4_096, max_context_length: 32_768 }) });
    expect(await serverContextWindow(base, 'qwen2.5-7b-instruct')).toBe(4_096);
  });

  it('OpenRouter-style lists: context_length of the named model', async () => {
    const { base } = await serve({ 'GET /v1/models': () => ({ data: [{ id: 'a/b', context_length: 1_000 }, { id: 'meta-llama/llama-3.3-70b', context_length: 65_536 }] }) });
    expect(await serverContextWindow(base, 'meta-llama/llama-3.3-70b')).toBe(65_536);
  });

  it('a server that knows nothing (or is not there) gives no figure', async () => {
    const { base } = await serve({});
    expect(await serverContextWindow(base, 'x')).toBeUndefined();
    expect(await serverContextWindow('http://127.0.0.1:9/v1', 'x')).toBeUndefined();
  });
});

describe('which window hermes plans for', () => {
  const never = async () => {
    throw new Error('the server must not be asked');
  };

  it('config, then HERMES_CONTEXT_WINDOW, before anything else', async () => {
    expect(await resolveContextWindow({ model: 'claude-sonnet-4-6', configured: 50_000, askServer: never })).toEqual({ tokens: 50_000, source: 'config' });
    expect(await resolveContextWindow({ model: 'claude-sonnet-4-6', env: { HERMES_CONTEXT_WINDOW: '64000' }, askServer: never })).toEqual({ tokens: 64_000, source: 'environment' });
  });

  it("a local server's figure beats the table entry for the model's name", async () => {
    const { base } = await serve({ 'GET /props': () => ({ default_generation_settings: { n_ctx: 16_384 } }) });
    expect(await resolveContextWindow({ model: 'gpt-4.1-mini', baseURL: base })).toEqual({ tokens: 16_384, source: 'server' });
  });

  it("the vendor's own API is not probed: the table answers", async () => {
    expect(await resolveContextWindow({ model: 'gpt-4.1-mini', askServer: never })).toEqual({ tokens: 1_047_576, source: 'table' });
    expect(await resolveContextWindow({ model: 'gpt-4o', baseURL: 'https://api.openai.com/v1', askServer: never })).toEqual({ tokens: 128_000, source: 'table' });
  });

  it('an unknown model gets 32,000 with a note that says so', async () => {
    const window = await resolveContextWindow({ model: 'mystery-7b', baseURL: 'http://127.0.0.1:9/v1', askServer: async () => undefined });
    expect(window.tokens).toBe(32_000);
    expect(window.source).toBe('default');
    expect(window.note).toContain('mystery-7b');
  });
});
