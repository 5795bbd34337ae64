// The built binary: `hermes serve --port 0` prints where it listens, serves the real openai
// SDK, and stops with exit 0 on SIGTERM; a non-loopback address without a key is refused.

import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runHermes, startHermes, tempHome } from '../e2e/helpers.js';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { chatTextFrames, chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';

let upstream: LoopbackServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  cleanup?.();
  cleanup = undefined;
});
beforeAll(ensureBuilt, 120_000);

function env(extra: Record<string, string> = {}) {
  const dirs = tempHome();
  cleanup = dirs.cleanup;
  return { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, ...extra };
}

describe('hermes serve (built binary)', () => {
  it('serves streams on the port it prints, logs each request, and exits 0 on SIGTERM', async () => {
    upstream = await startLoopback((n) =>
      n === 1 ? { kind: 'stream', chunks: chatTextFrames(['Served', ' by', ' hermes'], { usage: true }) } : { kind: 'stream', chunks: chatTextFrames(['never', ' finished']).slice(0, 2), hang: true },
    );
    const key = 'e2e-serve-key-0123456789';
    const run = startHermes(['serve', '--port', '0', '--base-url', upstream.baseURL, '-m', 'gpt-4o'], { env: env({ HERMES_SERVER_KEY: key }) });
    await run.waitForStdout('\n');
    const ready = run.stdoutChunks.map((c) => c.text).join('');
    const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(ready);
    expect(match, ready).not.toBeNull();
    expect(Number(match![2])).toBeGreaterThan(0);

    const client = new OpenAI({ baseURL: `${match![1]}/v1`, apiKey: key, maxRetries: 0 });
    const completion = await client.chat.completions.stream({ model: 'hermes', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('Served by hermes');

    // A stream still running when the signal comes ends with an error frame.
    const stream = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'again' }], stream: true });
    const failure = (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content === 'never') run.child.kill('SIGTERM');
      }
    })().catch((e: unknown) => e);
    expect(await failure).toMatchObject({ code: 'server_shutdown' });

    const result = await run.result;
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines.some((l) => /^hermes: POST \/v1\/chat\/completions 200 \d+ms tokens 12\/3$/.test(l)), result.stderr).toBe(true);
    expect(result.stderr).not.toContain(key);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('offers no tools by default; --tools offers those, runs read-only ones and refuses changes', async () => {
    upstream = await startLoopback((n) => {
      if (n === 2) return { kind: 'stream', chunks: [chatToolCallSse([{ id: 'c1', name: 'read_file', arguments: '{"path":"package.json"}' }, { id: 'c2', name: 'write_file', arguments: '{"path":"x.txt","content":"x"}' }])] };
      return { kind: 'stream', chunks: [chatTextSse(['done'])] };
    });
    const serveAndAsk = async (args: string[]) => {
      const run = startHermes(['serve', '--port', '0', '--base-url', upstream!.baseURL, ...args], { env: env() });
      await run.waitForStdout('\n');
      const url = /listening on (http:\/\/\S+)/.exec(run.stdoutChunks.map((c) => c.text).join(''))![1]!;
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused-key', maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'user', content: 'go' }] });
      run.child.kill('SIGTERM');
      return { text: completion.choices[0]!.message.content, result: await run.result };
    };

    const plain = await serveAndAsk([]);
    expect(plain.text).toBe('done');
    expect(upstream.requests[0]!.json.tools).toBeUndefined();

    const withTools = await serveAndAsk(['--tools', 'read_file,write_file']);
    expect(withTools.text).toBe('done');
    expect(upstream.requests[1]!.json.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['read_file', 'write_file']);
    const results = upstream.requests[2]!.json.messages.filter((m: { role: string }) => m.role === 'tool');
    expect(results[0].content).toContain('"name": "hermes-chat"');
    expect(results[1].content).toMatch(/denied/);
    expect(withTools.result.stderr).toMatch(/^hermes: denied write_file: it needs approval/m);
  });

  it('refuses a non-loopback address without a key: exit 2', async () => {
    const result = await runHermes(['serve', '--host', '0.0.0.0', '--port', '0', '--base-url', 'http://127.0.0.1:9/v1'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/without a key/);
    expect(result.stdout).toBe('');
  });

  it('a usage mistake is exit 2 with a pointer to the help', async () => {
    const result = await runHermes(['serve', '--port', 'eighty'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("hermes serve --help");
  });
});

describe('hermes serve and the system prompt', () => {
  async function served(args: string[]) {
    upstream = await startLoopback([{ kind: 'stream', chunks: [chatTextSse(['ok'])] }]);
    const run = startHermes(['serve', '--port', '0', '--base-url', upstream.baseURL, ...args], { env: env() });
    await run.waitForStdout('\n');
    const origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdoutChunks.map((c) => c.text).join(''))![1]!;
    const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'unused', maxRetries: 0 });
    await client.chat.completions.create({ model: 'hermes', messages: [{ role: 'system', content: 'Client rules.' }, { role: 'user', content: 'hi' }] });
    run.child.kill('SIGTERM');
    await run.result;
    return upstream.requests[0]!.json.messages as { role: string; content: string }[];
  }

  it("with tools, the model acting in the server's folder gets hermes' prompt, then the client's", async () => {
    const messages = await served(['--tools', 'read_file']);
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toMatch(/^You are hermes[\s\S]*Working folder: [\s\S]*Client rules\.$/);
  });

  it("without tools it stays a plain model behind the API: only the client's system prompt", async () => {
    const messages = await served([]);
    expect(messages[0]).toEqual({ role: 'system', content: 'Client rules.' });
  });
});
