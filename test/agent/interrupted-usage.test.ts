// An interrupted answer costs tokens too: what the server sent no usage for is estimated (four
// characters a token), counted in the session's usage and marked as an estimate.

import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { Compactor } from '../../src/agent/context/compactor.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { statusText } from '../../src/tui/format.js';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { chatTextSse } from '../support/wire/openai-chat.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const framesOf = (body: string): string[] => body.split('\n\n').filter(Boolean).map((f) => `${f}\n\n`);

describe('usage of an interrupted answer', () => {
  it('is estimated from the prompt and the text that arrived, and marked as an estimate', async () => {
    const slow = framesOf(chatTextSse(Array.from({ length: 200 }, (_, i) => `word${i} `)));
    server = await startLoopback((n) => (n === 1 ? { kind: 'stream', chunks: slow, delayMs: 20 } : { kind: 'stream', chunks: [chatTextSse(['done'], { usage: true, promptTokens: 50 })] }));
    const agent = new Agent({
      provider: 'openai',
      model: 'test-model',
      connection: { baseURL: server.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
      compactor: new Compactor({ window: 100_000 }),
    });
    const controller = new AbortController();
    let shown = '';
    for await (const event of agent.run('tell me a long story', controller.signal) as AsyncGenerator<AgentEvent>) {
      if (event.type === 'text') shown += event.delta;
      if (shown.split(' ').length > 6 && !controller.signal.aborted) controller.abort();
    }
    expect(agent.usage.estimated).toBe(true);
    expect(agent.usage.outputTokens).toBe(Math.ceil(shown.length / 4));
    expect(agent.usage.inputTokens).toBeGreaterThan(0);
    const estimatedInput = agent.usage.inputTokens;
    expect(statusText({ model: 'm', provider: 'openai', usage: agent.usage })).toMatch(/^m · openai · ~\d+ in · ~\d+ out$/);

    // a later answer with real usage adds to it; the total stays an estimate
    for await (const _ of agent.run('again')) void _;
    expect(agent.usage).toMatchObject({ inputTokens: estimatedInput + 50, outputTokens: Math.ceil(shown.length / 4) + 1, estimated: true });
  });

  it('an answer the server counted is not an estimate', async () => {
    server = await startLoopback([{ kind: 'stream', chunks: [chatTextSse(['hi'], { usage: true })] }]);
    const agent = new Agent({
      provider: 'openai',
      model: 'test-model',
      connection: { baseURL: server.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    });
    for await (const _ of agent.run('hello')) void _;
    expect(agent.usage.estimated).toBeUndefined();
    expect(statusText({ model: 'm', provider: 'openai', usage: agent.usage })).toBe('m · openai · 12 in · 1 out');
  });
});
