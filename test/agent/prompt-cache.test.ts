// Prompt caching as billed: a tool-using session against an Anthropic server that simulates the
// cache, with and without hermes' breakpoints; and the cache key kept away from servers that
// are not OpenAI's own.

import { afterEach, describe, expect, it } from 'vitest';
import { Agent, type AgentOptions } from '../../src/agent/agent.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { startCachingServer, type CachingServer } from '../support/anthropic-cache-server.js';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { anthropicTextSse, anthropicToolUseSse } from '../support/wire/anthropic.js';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { responsesTextSse } from '../support/wire/openai-responses.js';

const servers: (CachingServer | LoopbackServer)[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const readFile: Tool = {
  definition: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
  async run(args) {
    return { content: `contents of ${String(args.path)}\n`.repeat(150) };
  },
};

/** Every prompt reads one file, then answers. */
function answer(json: any) {
  const last = json.messages.at(-1);
  const blocks = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
  if (blocks.some((b: any) => b.type === 'text')) {
    const n = /turn (\d+)/.exec(blocks.find((b: any) => b.type === 'text').text)?.[1] ?? '0';
    return { kind: 'stream' as const, chunks: [anthropicToolUseSse([{ id: `toolu_${n}`, name: 'read_file', arguments: `{"path":"src/file${n}.ts"}` }])] };
  }
  return { kind: 'stream' as const, chunks: [anthropicTextSse(['Read it.'])] };
}

async function session(cache: AgentOptions['cache']): Promise<{ server: CachingServer; agent: Agent }> {
  const server = await startCachingServer((request) => answer(request.json));
  servers.push(server);
  const agent = new Agent({
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    system: 'You are hermes. '.repeat(200),
    connection: { baseURL: server.origin, apiKey: 'sk-ant-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    tools: new StaticToolRegistry([readFile]),
    ...(cache ? { cache } : {}),
  });
  for (let turn = 1; turn <= 50; turn++) {
    const events: AgentEvent[] = [];
    for await (const event of agent.run(`turn ${turn}: read the next file`)) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'finished', result: { status: 'completed' } });
  }
  return { server, agent };
}

describe('prompt caching', () => {
  it('a 50-turn tool session with breakpoints bills at most a quarter of the same session without', async () => {
    const cached = await session({ ttl: '5m' });
    const plain = await session(undefined);
    const ratio = cached.server.billed() / plain.server.billed();
    expect(ratio).toBeLessThanOrEqual(0.25);
    // Each request after the first read the whole previous request from the cache.
    for (let i = 1; i < cached.server.usage.length; i++) expect(cached.server.usage[i]!.cacheRead).toBeGreaterThan(cached.server.usage[i - 1]!.cacheRead);
    // and the agent reports what the server said
    expect(cached.agent.usage.cacheReadTokens).toBe(cached.server.usage.reduce((sum, u) => sum + u.cacheRead, 0));
    expect(cached.agent.usage.cacheWriteTokens).toBe(cached.server.usage.reduce((sum, u) => sum + u.cacheWrite, 0));
  }, 60_000);

  it('uses at most four breakpoints, the ttl asked for, on the system prompt and the last two messages', async () => {
    const { server } = await session({ ttl: '1h' });
    const body = server.requests.at(-1)!.json;
    const marks = JSON.stringify(body).match(/"cache_control"/g) ?? [];
    expect(marks.length).toBe(3);
    expect(body.system.at(-1).cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(body.messages.at(-1).content.at(-1).cache_control).toBeDefined();
    expect(body.messages.at(-2).content.at(-1).cache_control).toBeDefined();
  }, 60_000);

  it('never sends prompt_cache_key to a server that is not OpenAI', async () => {
    const chat = await startLoopback([{ kind: 'stream', chunks: [chatTextSse(['hi'])] }]);
    const responses = await startLoopback([{ kind: 'stream', chunks: [responsesTextSse(['hi'])] }]);
    servers.push(chat, responses);
    for (const [provider, server] of [['openai', chat], ['openai-responses', responses]] as const) {
      const agent = new Agent({
        provider,
        model: 'gpt-4.1-mini',
        connection: { baseURL: server.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
        cache: { key: 'session-3k9x' },
      });
      for await (const _ of agent.run('hi')) void _;
      expect(server.requests[0]!.json).not.toHaveProperty('prompt_cache_key');
    }
  });
});
