// The store wired to a real Agent talking to a loopback server over the real openai SDK: what
// is on disk at the moment each request reaches the server, and resuming into a new Agent.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, type AgentOptions } from '../../src/agent/agent.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { SessionStore, sessionsDir, TOOL_NOT_FINISHED, type Session } from '../../src/agent/session/index.js';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';

const API_KEY = 'sk-test-session-key-0123456789';

let server: LoopbackServer | undefined;
let home: string;
let store: SessionStore;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-agent-session-'));
  store = new SessionStore(sessionsDir(home));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

function agentFor(s: LoopbackServer, options: Partial<AgentOptions> = {}): Agent {
  return new Agent({
    provider: 'openai',
    model: 'test-model',
    connection: { baseURL: s.baseURL, apiKey: API_KEY, stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    cwd: home,
    ...options,
  });
}

function newSession(): Session {
  return store.createSession({ cwd: home, model: 'test-model', provider: 'openai', secrets: [API_KEY] });
}

async function collect(run: AsyncGenerator<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

/** The messages on disk right now, in order, as role:content. */
function onDisk(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((record) => record.type === 'message')
    .map((record) => `${record.message.role}:${record.message.content}`);
}

const stream = (body: string, extra: Partial<Extract<Step, { kind: 'stream' }>> = {}): Step => ({ kind: 'stream', chunks: [body], ...extra });
const framesOf = (body: string): string[] => body.split('\n\n').filter(Boolean).map((f) => `${f}\n\n`);

const addTool: Tool = {
  definition: {
    name: 'add',
    description: 'Adds two numbers',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
  async run(args) {
    return { content: String(Number(args.a) + Number(args.b)) };
  },
};

describe('a session recording a real agent', () => {
  it('has the user message on disk before the server receives the request, and each answer before the next one', async () => {
    let session: Session | undefined;
    const seen: string[][] = [];
    server = await startLoopback((n) => {
      seen.push(onDisk(session!.file));
      return stream(chatTextSse(n === 1 ? ['Hello', ' there'] : ['Second']));
    });
    session = newSession();
    const agent = agentFor(server, { onMessage: session.recorder });

    await collect(agent.run('hi'));
    await collect(agent.run('and again'));

    expect(seen).toEqual([['user:hi'], ['user:hi', 'assistant:Hello there', 'user:and again']]);
    expect(onDisk(session.file)).toEqual(['user:hi', 'assistant:Hello there', 'user:and again', 'assistant:Second']);
    expect(store.loadSession(session.id).messages).toEqual(agent.history);
  });

  it('has the tool call and its result on disk before the request that carries the result', async () => {
    let session: Session | undefined;
    const seen: string[][] = [];
    server = await startLoopback((n) => {
      seen.push(onDisk(session!.file));
      return stream(n === 1 ? chatToolCallSse([{ id: 'call_a', name: 'add', arguments: '{"a":2,"b":3}' }]) : chatTextSse(['It is 5.']));
    });
    session = newSession();
    const agent = agentFor(server, { onMessage: session.recorder, tools: new StaticToolRegistry([addTool]) });
    await collect(agent.run('what is 2+3?'));

    expect(seen[1]).toEqual(['user:what is 2+3?', 'assistant:', 'tool:5']);
    const loaded = store.loadSession(session.id);
    expect(loaded.messages).toEqual(agent.history);
    expect(loaded.messages[1]).toMatchObject({ role: 'assistant', toolCalls: [{ id: 'call_a', name: 'add', arguments: '{"a":2,"b":3}' }] });
  });

  it('keeps an interrupted partial answer, and a resumed agent continues the same file with it in its history', async () => {
    const slow = framesOf(chatTextSse(Array.from({ length: 200 }, (_, i) => `w${i} `)));
    server = await startLoopback((n) => (n === 1 ? { kind: 'stream', chunks: slow, delayMs: 10 } : stream(chatTextSse(['resumed answer']))));
    const session = newSession();
    const agent = agentFor(server, { onMessage: session.recorder });
    const controller = new AbortController();
    let shown = '';
    for await (const event of agent.run('tell me everything', controller.signal)) {
      if (event.type === 'text') shown += event.delta;
      if (shown.split(' ').length > 3) controller.abort();
    }

    const loaded = store.loadSession(session.id);
    expect(loaded.messages[1]).toMatchObject({ role: 'assistant', content: shown, interrupted: true });

    const resumed = store.resumeSession(session.id.slice(0, 4), { secrets: [API_KEY] });
    const next = agentFor(server, { onMessage: resumed.session.recorder });
    next.load(resumed.messages);
    await collect(next.run('go on'));

    const sent = server.requests[1]!.json.messages;
    expect(sent.map((m: { role: string; content: string }) => `${m.role}:${m.content}`)).toEqual(['user:tell me everything', `assistant:${shown}`, 'user:go on']);
    expect(onDisk(session.file)).toEqual(['user:tell me everything', `assistant:${shown}`, 'user:go on', 'assistant:resumed answer']);
    expect(fs.readdirSync(sessionsDir(home)).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
  });

  it('repairs a history that stopped mid-tool so the resumed agent sends a valid request', async () => {
    server = await startLoopback((n) =>
      n === 1
        ? stream(chatToolCallSse([{ id: 'call_x', name: 'slow', arguments: '{}' }, { id: 'call_y', name: 'add', arguments: '{"a":1,"b":1}' }]))
        : stream(chatTextSse(['recovered'])),
    );
    const never: Tool = {
      definition: { name: 'slow', description: 'never finishes', parameters: { type: 'object', properties: {} } },
      run: () => new Promise(() => {}),
    };
    const session = newSession();
    const crashed = agentFor(server, { onMessage: session.recorder, tools: new StaticToolRegistry([never, addTool]) });
    // Drive the run until the tool starts, then abandon it: what a killed process leaves behind.
    const run = crashed.run('do both');
    for (let step = await run.next(); !step.done; step = await run.next()) {
      if (step.value.type === 'tool_started') break;
    }
    expect(onDisk(session.file)).toEqual(['user:do both', 'assistant:']);

    const resumed = store.resumeSession(session.id);
    expect(resumed.warnings).toEqual([`session ${session.id}: 2 tool calls in the last answer never finished; marked as interrupted`]);
    const next = agentFor(server, { onMessage: resumed.session.recorder, tools: new StaticToolRegistry([addTool]) });
    next.load(resumed.messages);
    await collect(next.run('what happened?'));

    const sent = server.requests[1]!.json.messages as { role: string; tool_call_id?: string; content: string }[];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
    expect(sent.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content])).toEqual([
      ['call_x', TOOL_NOT_FINISHED],
      ['call_y', TOOL_NOT_FINISHED],
    ]);
    expect(onDisk(session.file)).toEqual([
      'user:do both',
      'assistant:',
      `tool:${TOOL_NOT_FINISHED}`,
      `tool:${TOOL_NOT_FINISHED}`,
      'user:what happened?',
      'assistant:recovered',
    ]);
    expect(store.loadSession(session.id).warnings).toEqual([]);
  });

  it('never writes the API key the user pasted, and stores a failed partial answer with its error', async () => {
    const body = framesOf(chatTextSse(['partial ', 'answer ', 'rest']));
    server = await startLoopback([{ kind: 'stream', chunks: body.slice(0, 3), drop: true }]);
    const session = newSession();
    const agent = agentFor(server, { onMessage: session.recorder, retry: { maxAttempts: 1 } });
    await collect(agent.run(`here is my key ${API_KEY}, keep it safe`));

    const text = fs.readFileSync(session.file, 'utf8');
    expect(text).not.toContain(API_KEY);
    expect(text).toContain('here is my key [redacted], keep it safe');
    expect(agent.history[1]).toMatchObject({ role: 'assistant', error: expect.any(String) });
    expect(store.loadSession(session.id).messages[1]).toMatchObject({ role: 'assistant', content: 'partial answer ', error: expect.any(String) });
  });
});
