// A long tool-using conversation against a server that enforces its context window: hermes
// compacts before it would overflow, after a server says it did, and says when it cannot.

import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { Compactor } from '../../src/agent/context/compactor.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { startContextServer, isSummaryRequest, chatTextSse, chatToolCallSse, type ContextServer, type OverflowShape } from '../support/context-server.js';

let server: ContextServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const INSTRUCTIONS = '# Project instructions\n\n## AGENTS.md\n\nAlways answer in haiku.';
const DOC_CHARS = 20_000; // about 5k tokens each

const fetchDoc: Tool = {
  definition: { name: 'fetch_doc', description: 'Returns a document', parameters: { type: 'object', properties: { n: { type: 'number' } } } },
  async run(args) {
    return { content: `document ${String(args.n)}: `.padEnd(DOC_CHARS, 'lorem ipsum ') };
  },
};

/** Each prompt "step N" makes the model read document N, then answer "done N". */
function scriptedAnswer(json: any) {
  const messages = json.messages as any[];
  const last = messages.at(-1);
  if (last.role === 'user') {
    const n = /step (\d+)/.exec(last.content)?.[1] ?? '0';
    return { kind: 'stream' as const, chunks: [chatToolCallSse([{ id: `call_${n}`, name: 'fetch_doc', arguments: `{"n":${n}}` }], { usage: true })] };
  }
  const n = /document (\d+)/.exec(last.content)?.[1] ?? '?';
  return { kind: 'stream' as const, chunks: [chatTextSse([`done ${n}`], { usage: true })] };
}

function agentFor(s: ContextServer, window: number): Agent {
  return new Agent({
    provider: 'openai',
    model: 'local-model',
    system: `You are hermes.\n\n${INSTRUCTIONS}`,
    connection: { baseURL: s.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    tools: new StaticToolRegistry([fetchDoc]),
    compactor: new Compactor({ window }),
  });
}

async function run(agent: Agent, prompt: string): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of agent.run(prompt)) events.push(event);
  return events;
}

const finished = (events: AgentEvent[]) => (events.find((e) => e.type === 'finished') as Extract<AgentEvent, { type: 'finished' }>).result;

describe('a conversation that outgrows its context window', () => {
  it('runs 100 tool-using turns in a 32k window without an error, keeping the latest request and the instructions', async () => {
    server = await startContextServer({ window: 32_000, answer: (r) => scriptedAnswer(r.json) });
    const agent = agentFor(server, 32_000);
    let compactions = 0;
    for (let turn = 1; turn <= 100; turn++) {
      const events = await run(agent, `step ${turn}`);
      expect(finished(events).status, `turn ${turn}: ${finished(events).error?.message}`).toBe('completed');
      expect(finished(events).message?.content).toBe(`done ${turn}`);
      compactions += events.filter((e) => e.type === 'compacted').length;
    }
    expect(compactions).toBeGreaterThan(5);
    // The server refused nothing: hermes compacted before each request that would not fit.
    expect(server.counted.filter((c) => c.refused)).toEqual([]);
    for (const { request } of server.counted.filter((c) => !c.summary)) {
      const messages = request.json.messages as any[];
      expect(messages[0].content).toContain('Always answer in haiku.');
      const lastUser = [...messages].reverse().find((m) => m.role === 'user' && !m.content.startsWith('[Reference summary'));
      expect(lastUser.content).toMatch(/^step \d+$/);
    }
    expect(server.counted.some((c) => c.summary)).toBe(true);
  }, 120_000);

  it.each<OverflowShape>(['openai', 'llama.cpp'])("compacts and repeats once when the server says the request is too long (%s's error)", async (shape) => {
    // hermes believes the window is larger than it is: only the server's error can tell it.
    server = await startContextServer({ window: 12_000, shape, answer: (r) => scriptedAnswer(r.json) });
    const agent = agentFor(server, 200_000);
    for (let turn = 1; turn <= 3; turn++) {
      const result = finished(await run(agent, `step ${turn}`));
      expect(result.status, result.error?.message).toBe('completed');
    }
    const events = await run(agent, 'step 4');
    expect(finished(events).status).toBe('completed');
    expect(events.filter((e) => e.type === 'compacted')).toHaveLength(1);
    const refused = server.counted.filter((c) => c.refused);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // After a refusal the next ordinary request is the compacted one, not the same one again.
    const afterRefusal = server.counted[server.counted.indexOf(refused[0]!) + 1]!;
    expect(afterRefusal.request.json.stream_options).toBeDefined();
  });

  it('/compact summarises on request, and a second one updates the first summary', async () => {
    server = await startContextServer({ window: 32_000, answer: (r) => scriptedAnswer(r.json) });
    const agent = agentFor(server, 32_000);
    const compactOnce = async (focus?: string) => {
      const events: AgentEvent[] = [];
      const run = agent.compact(focus);
      for (let next = await run.next(); !next.done; next = await run.next()) events.push(next.value);
      return events;
    };
    for (let turn = 1; turn <= 3; turn++) await run(agent, `step ${turn}`);
    expect((await compactOnce('the documents')).map((e) => e.type)).toEqual(['compacting', 'compacted']);
    const first = server.counted.filter((c) => c.summary);
    expect(first).toHaveLength(1);
    expect(first[0]!.request.json.messages[1].content).toContain('keep this in focus: the documents');
    expect(agent.history[0]).toMatchObject({ role: 'user' });
    for (let turn = 4; turn <= 6; turn++) await run(agent, `step ${turn}`);
    await compactOnce();
    const second = server.counted.filter((c) => c.summary)[1]!;
    expect(second.request.json.messages[1].content).toContain('<previous-summary>\n## Goal');
  });

  it('says so when even the latest exchange does not fit, instead of looping', async () => {
    server = await startContextServer({ window: 4_000, answer: (r) => scriptedAnswer(r.json) });
    const agent = agentFor(server, 4_000);
    const events = await run(agent, `step 1 ${'x'.repeat(40_000)}`);
    const result = finished(events);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/does not fit the context window even after compaction/);
    // Sent once despite the estimate (the server has the last word), refused, compacted, stopped.
    expect(server.counted.filter((c) => !isSummaryRequest(c.request.json)).map((c) => c.refused)).toEqual([true]);
  });
});
