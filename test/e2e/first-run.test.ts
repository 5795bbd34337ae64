// What a newcomer sees on the first screen of the chat, in a real terminal (tmux): a missing key
// said at once, and the model and context window as a local server really has them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { TmuxServer, hasTmux } from './tmux.js';

const terminals = new TmuxServer('firstrun');
const servers: http.Server[] = [];

/**
 * llama-server as hermes meets it: GET /props tells its context (the scripted loopback hides
 * such probes), and its answers name the model file it loaded, whatever was asked for.
 */
async function llamaServer(): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/props') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_generation_settings: { n_ctx: 16_384 }, total_slots: 1 }));
      } else if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' }).end(chatTextSse(['Hello', ' there.'], { usage: true, model: 'tiny-scripted', promptTokens: 1600 }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: 'File Not Found', type: 'not_found_error' } }));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe.skipIf(!hasTmux)('the chat on a first run (tmux)', () => {
  beforeAll(() => TmuxServer.requireBuild());
  afterAll(async () => {
    await terminals.stop();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it('without a key for the default address, the status line says so before anything is typed', async () => {
    const hermes = await terminals.start('nokey', { env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }, columns: 140 });
    const warning = '⚠ OPENAI_API_KEY is not set — export it and restart hermes, or set OPENAI_BASE_URL';
    const first = await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    expect(first).toContain(warning);
    // Ink's frames (after the first screen painted before it loads) keep saying it
    await hermes.type('x');
    const typed = await hermes.waitForScreen((s) => s.includes('› x'), 'the typed letter');
    expect(typed).toContain(warning);
  });

  it('a llama.cpp-like server: the status line shows the model it answered as and the window it reports', async () => {
    const baseURL = await llamaServer();
    const hermes = await terminals.start('llama', { baseURL, args: ['--no-session'] });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('hi');
    await hermes.key('Enter');
    const screen = await hermes.waitForScreen((s) => /tiny-scripted · openai · 1\.6k in · 2 out/.test(s), 'the status line after the answer');
    expect(screen).toMatch(/context [0-9.]+k?\/16\.4k \(\d+%\)/);
    expect(screen).not.toContain('/1M');
  });
});
