// A compacted conversation on disk: the compaction record carries the view the agent continued
// with, a resume starts from it (not from the messages it replaced), and every message ever said
// is still in the file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { SUMMARY_MARKER } from '../../src/agent/context/compaction.js';
import { Compactor } from '../../src/agent/context/compactor.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { SessionStore, sessionsDir, type Session } from '../../src/agent/session/index.js';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { chatTextSse, chatToolCallSse, startContextServer, type ContextServer } from '../support/context-server.js';

const WINDOW = 12_000;
let server: ContextServer | undefined;
let home: string;
let store: SessionStore;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-compaction-record-'));
  store = new SessionStore(sessionsDir(home), { fsync: false });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

const fetchDoc: Tool = {
  definition: { name: 'fetch_doc', description: 'Returns a document', parameters: { type: 'object', properties: { n: { type: 'number' } } } },
  async run(args) {
    return { content: `document ${String(args.n)}: `.padEnd(12_000, 'lorem ipsum ') };
  },
};

function scriptedAnswer(json: any) {
  const last = (json.messages as any[]).at(-1);
  if (last.role === 'user') {
    const n = /step (\d+)/.exec(last.content)?.[1] ?? '0';
    return { kind: 'stream' as const, chunks: [chatToolCallSse([{ id: `call_${n}`, name: 'fetch_doc', arguments: `{"n":${n}}` }], { usage: true })] };
  }
  const n = /document (\d+)/.exec(last.content)?.[1] ?? '?';
  return { kind: 'stream' as const, chunks: [chatTextSse([`done ${n}`], { usage: true })] };
}

function agentFor(s: ContextServer, session: Session): Agent {
  return new Agent({
    provider: 'openai',
    model: 'local-model',
    connection: { baseURL: s.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    tools: new StaticToolRegistry([fetchDoc]),
    compactor: new Compactor({ window: WINDOW }),
    onMessage: session.recorder,
    onCompaction: session.compactionRecorder,
  });
}

/** Long prompts: the older ones have to be summarised, shortening tool output is not enough. */
const prompt = (n: number): string => `step ${n} ${'x'.repeat(6_000)}`;
const isPrompt = (n: number) => (content: unknown) => typeof content === 'string' && content.startsWith(`step ${n} `);

async function run(agent: Agent, prompt: string): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of agent.run(prompt)) events.push(event);
  return events;
}

const records = (file: string): any[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

describe('a compacted session', () => {
  it('is resumed from the compacted view (summary and recent part), while the file keeps every message', async () => {
    server = await startContextServer({ window: WINDOW, answer: (r) => scriptedAnswer(r.json) });
    const session = store.createSession({ cwd: home, model: 'local-model', provider: 'openai' });
    const agent = agentFor(server, session);
    let compactions = 0;
    for (let turn = 1; turn <= 6; turn++) {
      const events = await run(agent, prompt(turn));
      compactions += events.filter((e) => e.type === 'compacted').length;
    }
    expect(compactions).toBeGreaterThan(0);
    const view = agent.history.map((m) => m.content);
    expect(view[0]).toContain(SUMMARY_MARKER);
    expect(view.some(isPrompt(1))).toBe(false);

    const stored = records(session.file);
    // Every message said is on disk, in order, whole (the compaction only added records).
    const said = stored.filter((r) => r.type === 'message').map((r) => r.message.content);
    expect(said.filter((c) => c.startsWith('step ')).map((c) => c.slice(0, 6))).toEqual(['step 1', 'step 2', 'step 3', 'step 4', 'step 5', 'step 6']);
    expect(said.filter(isPrompt(1))).toEqual([prompt(1)]);
    expect(said.filter((c) => c.startsWith('document 1: ')).map((c) => c.length)).toEqual([12_000]);
    const compaction = stored.filter((r) => r.type === 'compaction' && r.summary !== undefined).at(-1);
    expect(compaction).toMatchObject({ replaces: expect.any(Number), summary: expect.stringContaining('## Goal') });
    expect(compaction.messages[0].content).toContain(SUMMARY_MARKER);

    const resumed = store.resumeSession(session.id);
    expect(resumed.messages).toEqual(agent.history);
    expect(resumed.warnings).toEqual([]);

    const before = server.requests.length;
    const next = agentFor(server, resumed.session);
    next.load(resumed.messages);
    await run(next, 'step 7');
    const sent = (server.requests[before]!.json.messages as any[]).map((m) => m.content);
    expect(sent[0]).toContain(SUMMARY_MARKER);
    expect(sent.some(isPrompt(1))).toBe(false);
    expect(sent.some(isPrompt(6))).toBe(true);
    expect(sent.at(-1)).toBe('step 7');
  });

  it('a torn compaction record is skipped: the resume falls back to the messages, nothing lost', () => {
    const session = store.createSession({ cwd: home, model: 'm', provider: 'openai' });
    session.append({ role: 'user', content: 'one' });
    session.append({ role: 'user', content: 'two' });
    session.appendCompaction({ history: [{ role: 'user', content: `${SUMMARY_MARKER}\n\nsaid one` }, { role: 'user', content: 'two' }], summary: 'said one', replaces: 2 });
    fs.truncateSync(session.file, fs.statSync(session.file).size - 10);
    expect(store.loadSession(session.id).messages.map((m) => m.content)).toEqual(['one', 'two']);

    const resumed = store.resumeSession(session.id).session;
    resumed.appendCompaction({ history: [{ role: 'user', content: 'summary' }], replaces: 2 });
    resumed.append({ role: 'user', content: 'three' });
    expect(store.loadSession(session.id).messages.map((m) => m.content)).toEqual(['summary', 'three']);
  });
});
