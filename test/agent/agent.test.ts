// The turn loop against a real loopback server speaking Chat Completions through the real
// openai SDK: retries, fallback, stall, tools and interrupts as a user experiences them.

import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, INTERRUPTED_TOOL_RESULT, type AgentOptions } from '../../src/agent/agent.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { chatCompletionJson, chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function agentFor(s: LoopbackServer, options: Partial<AgentOptions> = {}): Agent {
  return new Agent({
    provider: 'openai',
    model: 'test-model',
    connection: { baseURL: s.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

async function collect(run: AsyncGenerator<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

const text = (events: AgentEvent[]): string =>
  events.map((e) => (e.type === 'text' ? e.delta : '')).join('');
const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
const finished = (events: AgentEvent[]) => ofType(events, 'finished')[0]!.result;

/** The SSE frames of a body, each with its blank-line terminator. */
const framesOf = (body: string): string[] => body.split('\n\n').filter(Boolean).map((f) => `${f}\n\n`);
/** The frames up to and including the one carrying `token`'s text (role chunk first). */
const framesThrough = (body: string, token: string): string =>
  framesOf(body).slice(0, framesOf(body).findIndex((f) => f.includes(JSON.stringify(token))) + 1).join('');

const stream = (body: string, extra: Partial<Extract<Step, { kind: 'stream' }>> = {}): Step => ({ kind: 'stream', chunks: [body], ...extra });

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

describe('agent turn loop', () => {
  it('streams a text answer, signals the first delta once and records history', async () => {
    server = await startLoopback([stream(chatTextSse(['Hello', ', ', 'world', '!'], { usage: true }))]);
    const agent = agentFor(server, { system: 'be brief' });
    const events = await collect(agent.run('hi'));

    expect(text(events)).toBe('Hello, world!');
    expect(ofType(events, 'first_delta')).toHaveLength(1);
    const firstDelta = events.findIndex((e) => e.type === 'first_delta');
    expect(firstDelta).toBeLessThan(events.findIndex((e) => e.type === 'text'));
    expect(finished(events).status).toBe('completed');
    expect(agent.history.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(agent.history[1]).toMatchObject({ role: 'assistant', content: 'Hello, world!' });
    expect(server.requests[0]!.json.messages[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(ofType(events, 'usage')).toHaveLength(1);
  });

  it('runs a requested tool, feeds the result back and finishes with the answer', async () => {
    server = await startLoopback([
      stream(chatToolCallSse([{ id: 'call_1', name: 'add', arguments: '{"a":2,"b":3}' }], { textBefore: ['Let me ', 'add.'] })),
      stream(chatTextSse(['The sum ', 'is 5.'])),
    ]);
    const agent = agentFor(server, { tools: new StaticToolRegistry([addTool]) });
    const events = await collect(agent.run('what is 2+3?'));

    expect(ofType(events, 'tool_finished')).toEqual([{ type: 'tool_finished', id: 'call_1', name: 'add', content: '5', isError: false }]);
    // The text before the tool call is shown once and its segment closed before the tool runs.
    expect(text(events)).toBe('Let me add.The sum is 5.');
    const order = events.map((e) => e.type);
    expect(order.indexOf('message')).toBeLessThan(order.indexOf('tool_started'));
    expect(ofType(events, 'first_delta')).toHaveLength(2); // once per request
    expect(finished(events).status).toBe('completed');

    const second = server.requests[1]!.json;
    expect(second.tools[0].function.name).toBe('add');
    expect(second.messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1', function: { name: 'add', arguments: '{"a":2,"b":3}' } }] });
    expect(second.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '5' });
    expect(agent.history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  it('stops at the maximum number of turns', async () => {
    server = await startLoopback([stream(chatToolCallSse([{ id: 'c', name: 'add', arguments: '{"a":1,"b":1}' }]))]);
    const agent = agentFor(server, { tools: new StaticToolRegistry([addTool]), maxTurns: 2 });
    const events = await collect(agent.run('loop forever'));
    expect(finished(events).status).toBe('max_turns');
    expect(server.requests).toHaveLength(2);
  });

  it('retries 429 (honouring retry-after), 5xx and a reset before any output', async () => {
    server = await startLoopback([
      { kind: 'json', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after-ms': '20' } },
      { kind: 'json', status: 503, body: { error: { message: 'overloaded' } } },
      { kind: 'stream', chunks: [], drop: true },
      stream(chatTextSse(['fine'])),
    ]);
    const agent = agentFor(server);
    const events = await collect(agent.run('hi'));
    const retries = ofType(events, 'retrying');
    expect(retries.map((r) => r.attempt)).toEqual([2, 3, 4]);
    expect(retries[0]!.delayMs).toBe(20);
    expect(text(events)).toBe('fine');
    expect(finished(events).status).toBe('completed');
    expect(server.requests).toHaveLength(4);
  });

  it('gives up after the last attempt with one readable error', async () => {
    server = await startLoopback([{ kind: 'json', status: 500, body: { error: { message: 'boom' } } }]);
    const events = await collect(agentFor(server, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }).run('hi'));
    const result = finished(events);
    expect(result.status).toBe('error');
    expect(result.error?.message).toContain('500');
    expect(result.error?.message).toContain('boom');
    expect(server.requests).toHaveLength(3);
  });

  it('never retries after visible output: the partial text is kept and the error reported', async () => {
    const body = chatTextSse(['one ', 'two ', 'three ', 'four']);
    server = await startLoopback([{ kind: 'stream', chunks: [framesThrough(body, 'two ')], drop: true }]);
    const agent = agentFor(server);
    const events = await collect(agent.run('count'));
    expect(text(events)).toBe('one two ');
    expect(ofType(events, 'retrying')).toHaveLength(0);
    expect(ofType(events, 'error')[0]).toMatchObject({ partial: true });
    expect(server.requests).toHaveLength(1);
    expect(agent.history[1]).toMatchObject({ role: 'assistant', content: 'one two ' });
    expect((agent.history[1] as { error?: string }).error).toBeTruthy();
  });

  it('falls back to a non-streaming request for that one request when streaming is rejected', async () => {
    server = await startLoopback((n) => {
      if (n === 1) return { kind: 'json', status: 400, body: { error: { message: 'Streaming is not supported by this server' } } };
      if (n === 2) return { kind: 'json', body: chatCompletionJson('whole answer') };
      return stream(chatTextSse(['streamed ', 'again']));
    });
    const agent = agentFor(server);
    const first = await collect(agent.run('hi'));
    expect(ofType(first, 'fallback')).toHaveLength(1);
    expect(ofType(first, 'text').map((e) => e.delta)).toEqual(['whole answer']);
    expect(server.requests[1]!.json.stream).toBeFalsy();

    const second = await collect(agent.run('again'));
    expect(text(second)).toBe('streamed again');
    expect(server.requests[2]!.json.stream).toBe(true);
  });

  it('ends a stalled stream as an error and keeps the partial text', async () => {
    const body = chatTextSse(['partial ', 'answer ', 'never ends']);
    server = await startLoopback([{ kind: 'stream', chunks: [framesThrough(body, 'answer ')], hang: true }]);
    const agent = agentFor(server, { connection: { baseURL: server.baseURL, apiKey: 'k', stallTimeoutMs: 150, firstByteTimeoutMs: 5_000 } });
    const events = await collect(agent.run('hi'));
    expect(text(events)).toBe('partial answer ');
    expect(finished(events).error?.kind).toBe('stall');
    expect(agent.history[1]).toMatchObject({ content: 'partial answer ' });
  });

  it('interrupt: closes the connection at once, drops late events, keeps the partial text, and the next prompt works', async () => {
    const slow = chatTextSse(Array.from({ length: 200 }, (_, i) => `w${i} `));
    const frames = framesOf(slow);
    server = await startLoopback((n) => (n === 1 ? { kind: 'stream', chunks: frames, delayMs: 20 } : stream(chatTextSse(['second ', 'answer']))));
    const agent = agentFor(server);
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    let abortedAt = 0;
    for await (const event of agent.run('long', controller.signal)) {
      if (abortedAt && (event.type === 'text' || event.type === 'reasoning')) throw new Error('late event after abort');
      events.push(event);
      if (event.type === 'text' && text(events).split(' ').length > 4 && !abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const closedAt = await server.requests[0]!.closed;
    expect(closedAt - abortedAt).toBeLessThan(100);
    const shown = text(events);
    expect(shown.length).toBeGreaterThan(0);
    expect(finished(events).status).toBe('interrupted');
    expect(agent.history[1]).toMatchObject({ role: 'assistant', content: shown, interrupted: true });

    const next = await collect(agent.run('again'));
    expect(text(next)).toBe('second answer');
    expect(server.requests[1]!.json.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('interrupt during a tool: the call gets an "interrupted" result so the next request is valid', async () => {
    let started!: () => void;
    const toolStarted = new Promise<void>((resolve) => (started = resolve));
    const waitTool: Tool = {
      definition: { name: 'wait', description: 'waits until cancelled', parameters: { type: 'object', properties: {} } },
      run: (_args, { signal }) =>
        new Promise((resolve) => {
          started();
          signal.addEventListener('abort', () => resolve({ content: 'cancelled', isError: true }), { once: true });
        }),
    };
    server = await startLoopback((n) =>
      n === 1
        ? stream(chatToolCallSse([{ id: 'call_w', name: 'wait', arguments: '{}' }, { id: 'call_x', name: 'wait', arguments: '{}' }]))
        : stream(chatTextSse(['ok'])),
    );
    const agent = agentFor(server, { tools: new StaticToolRegistry([waitTool]) });
    const controller = new AbortController();
    const run = collect(agent.run('wait', controller.signal));
    await toolStarted;
    controller.abort();
    const events = await run;
    expect(finished(events).status).toBe('interrupted');
    const toolMessages = agent.history.filter((m) => m.role === 'tool');
    expect(toolMessages.map((m) => (m.role === 'tool' ? [m.toolCallId, m.content] : []))).toEqual([
      ['call_w', INTERRUPTED_TOOL_RESULT],
      ['call_x', INTERRUPTED_TOOL_RESULT],
    ]);

    await collect(agent.run('next'));
    const sent = server.requests[1]!.json.messages;
    expect(sent.filter((m: { role: string }) => m.role === 'tool').map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(['call_w', 'call_x']);
  });

  it('a bad tool argument or unknown tool is an error result for the model, not a crash', async () => {
    server = await startLoopback((n) =>
      n === 1
        ? stream(chatToolCallSse([{ id: 'a', name: 'add', arguments: '{not json' }, { id: 'b', name: 'nope', arguments: '{}' }]))
        : stream(chatTextSse(['sorry'])),
    );
    const agent = agentFor(server, { tools: new StaticToolRegistry([addTool]) });
    const events = await collect(agent.run('go'));
    expect(ofType(events, 'tool_finished').map((e) => e.isError)).toEqual([true, true]);
    expect(finished(events).status).toBe('completed');
  });
});

describe('agent turn loop: long runs', () => {
  it('leaves no abort listener behind on the run signal: 12 tool round trips print no MaxListenersExceededWarning', async () => {
    const rounds = 12;
    server = await startLoopback((n) =>
      n <= rounds ? stream(chatToolCallSse([{ id: `call_${n}`, name: 'add', arguments: '{"a":1,"b":2}' }])) : stream(chatTextSse(['done'])),
    );
    const agent = agentFor(server, { tools: new StaticToolRegistry([addTool]), maxTurns: rounds + 1 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const controller = new AbortController();
    try {
      const events = await collect(agent.run('add a lot', controller.signal));
      expect(finished(events).status).toBe('completed');
      expect(ofType(events, 'tool_finished')).toHaveLength(rounds);
      // A warning is emitted on the next tick after the listener that crosses the limit.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('agent turn loop: answers that never start', () => {
  const patient = (s: LoopbackServer, firstByteTimeoutMs: number): Partial<AgentOptions> => ({
    connection: { baseURL: s.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs },
  });

  it('waits for "headers, then nothing" once more at most, not once per attempt', async () => {
    server = await startLoopback([{ kind: 'stream', chunks: [], hang: true }]);
    const events = await collect(agentFor(server, patient(server, 200)).run('hi'));
    expect(server.requests).toHaveLength(2);
    expect(ofType(events, 'retrying')).toHaveLength(1);
    expect(finished(events).error).toMatchObject({ kind: 'stall', firstByteTimeout: true });
    expect(finished(events).error?.message).toContain('did not start answering');
  });

  it('ends a stream of only keepalive comments as a stall (retried once), though bytes keep arriving', async () => {
    const keepalives = Array.from({ length: 400 }, () => ': keepalive\n\n');
    server = await startLoopback([{ kind: 'stream', chunks: keepalives, delayMs: 20, hang: true }]);
    const events = await collect(agentFor(server, patient(server, 300)).run('hi'));
    expect(server.requests).toHaveLength(2);
    expect(finished(events).error).toMatchObject({ kind: 'stall', firstByteTimeout: true });
  });
});
