// The real agent loop with the real built-in tools behind the approval wrapper, against a
// loopback server speaking each wire API through the real SDKs: the model calls tools, the
// results go back in the next request, and the final answer arrives.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Agent, INTERRUPTED_TOOL_RESULT } from '../../src/agent/agent.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { StaticToolRegistry } from '../../src/agent/tools.js';
import { ApprovingToolRegistry, type ApprovalRequest } from '../../src/agent/tools/approval.js';
import { createBuiltinTools } from '../../src/agent/tools/builtin.js';
import type { ProviderConnection, ProviderId } from '../../src/agent/types.js';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { anthropicTextSse, anthropicToolUseSse } from '../support/wire/anthropic.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { responsesFunctionCallSse, responsesTextSse } from '../support/wire/openai-responses.js';
import { processAlive, tempFolder } from './helpers.js';

interface CallSpec {
  id: string;
  name: string;
  arguments: string;
}

interface FedBack {
  id: string;
  content: string;
  isError?: boolean;
}

interface Wire {
  provider: ProviderId;
  connection(server: LoopbackServer): ProviderConnection;
  toolCalls(calls: CallSpec[], textBefore?: string[]): string;
  text(tokens: string[]): string;
  /** The tool names a request offered the model. */
  offered(body: any): string[];
  /** The tool results a request carried back to the model. */
  results(body: any): FedBack[];
}

const timeouts = { stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 };
const apiKey = 'sk-test-key-0123456789';

const wires: Wire[] = [
  {
    provider: 'openai',
    connection: (s) => ({ baseURL: s.baseURL, apiKey, ...timeouts }),
    toolCalls: (calls, textBefore) => chatToolCallSse(calls, { textBefore }),
    text: (tokens) => chatTextSse(tokens),
    offered: (body) => body.tools.map((t: any) => t.function.name),
    results: (body) => body.messages.filter((m: any) => m.role === 'tool').map((m: any) => ({ id: m.tool_call_id, content: m.content })),
  },
  {
    provider: 'openai-responses',
    connection: (s) => ({ baseURL: s.baseURL, apiKey, ...timeouts }),
    toolCalls: (calls, textBefore) => responsesFunctionCallSse(calls, { textBefore }),
    text: (tokens) => responsesTextSse(tokens),
    offered: (body) => body.tools.map((t: any) => t.name),
    results: (body) =>
      body.input.filter((i: any) => i.type === 'function_call_output').map((i: any) => ({ id: i.call_id, content: i.output })),
  },
  {
    provider: 'anthropic',
    // the Anthropic SDK adds /v1 itself
    connection: (s) => ({ baseURL: s.origin, apiKey, ...timeouts }),
    toolCalls: (calls, textBefore) => anthropicToolUseSse(calls, { textBefore }),
    text: (tokens) => anthropicTextSse(tokens),
    offered: (body) => body.tools.map((t: any) => t.name),
    results: (body) =>
      body.messages.flatMap((m: any) =>
        Array.isArray(m.content)
          ? m.content
              .filter((b: any) => b.type === 'tool_result')
              .map((b: any) => ({ id: b.tool_use_id, content: b.content, ...(b.is_error ? { isError: true } : {}) }))
          : [],
      ),
  },
];

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const stream = (body: string) => ({ kind: 'stream' as const, chunks: [body] });

async function collect(run: AsyncGenerator<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}
const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
const text = (events: AgentEvent[]): string => ofType(events, 'text').map((e) => e.delta).join('');

/** One-shot wiring: built-in tools, approval without anyone to ask. */
function agentFor(wire: Wire, s: LoopbackServer, cwd: string, denied: ApprovalRequest[] = []): Agent {
  const tools = new ApprovingToolRegistry(new StaticToolRegistry(createBuiltinTools()), {
    mode: 'ask',
    allow: new Set(),
    onDenied: (request) => denied.push(request),
  });
  return new Agent({ provider: wire.provider, model: 'test-model', connection: wire.connection(s), tools, cwd, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
}

const numbered = (n: number, line: string): string => `${String(n).padStart(6)}\t${line}`;

for (const wire of wires) {
  describe(`agent with built-in tools over ${wire.provider}`, () => {
    it('runs read_file, feeds the result back and finishes with the answer', async () => {
      const cwd = tempFolder({ 'notes.md': '# Plan\nship it\n' });
      server = await startLoopback([
        stream(wire.toolCalls([{ id: 'call_read_1', name: 'read_file', arguments: '{"path":"notes.md"}' }])),
        stream(wire.text(['The plan ', 'is to ship it.'])),
      ]);
      const agent = agentFor(wire, server, cwd);
      const events = await collect(agent.run('what is the plan?'));

      const result = ofType(events, 'finished')[0]!.result;
      expect(result.status).toBe('completed');
      expect(result.message?.content).toBe('The plan is to ship it.');
      const fileText = [numbered(1, '# Plan'), numbered(2, 'ship it')].join('\n');
      expect(ofType(events, 'tool_finished')).toEqual([{ type: 'tool_finished', id: 'call_read_1', name: 'read_file', content: fileText, isError: false }]);

      expect(server.requests).toHaveLength(2);
      expect(wire.offered(server.requests[0]!.json)).toEqual(['read_file', 'list_directory', 'find_files', 'search_files', 'write_file', 'edit_file', 'run_shell']);
      expect(wire.results(server.requests[0]!.json)).toEqual([]);
      expect(wire.results(server.requests[1]!.json)).toEqual([{ id: 'call_read_1', content: fileText }]);
      expect(agent.history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    });

    it('runs two tool calls from one message (parallel) and feeds both results back in order; a write needing approval is denied', async () => {
      const cwd = tempFolder({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' });
      server = await startLoopback([
        stream(
          wire.toolCalls([
            { id: 'call_a', name: 'read_file', arguments: '{"path":"a.txt"}' },
            { id: 'call_b', name: 'read_file', arguments: '{"path":"b.txt"}' },
            { id: 'call_w', name: 'write_file', arguments: '{"path":"c.txt","content":"gamma"}' },
          ]),
        ),
        stream(wire.text(['Both read; the write was refused.'])),
      ]);
      const denied: ApprovalRequest[] = [];
      const events = await collect(agentFor(wire, server, cwd, denied).run('read both, write c'));

      expect(ofType(events, 'finished')[0]!.result.status).toBe('completed');
      const refusal = "denied: write_file needs the user's approval and hermes cannot ask here (non-interactive); the user can allow it with --yolo or --allow write_file";
      const fed = wire.results(server.requests[1]!.json);
      expect(fed.map((r) => r.id)).toEqual(['call_a', 'call_b', 'call_w']);
      expect(fed[0]!.content).toBe(numbered(1, 'alpha'));
      expect(fed[1]!.content).toBe(numbered(1, 'beta'));
      expect(fed[2]!.content).toBe(refusal);
      expect(ofType(events, 'tool_finished').map((e) => e.isError)).toEqual([false, false, true]);
      expect(denied.map((r) => r.summary)).toEqual(['c.txt']);
      expect(fs.existsSync(path.join(cwd, 'c.txt'))).toBe(false);
    });

    it('shows text that comes before a tool call, then runs the tool and continues', async () => {
      const cwd = tempFolder({ 'src/index.ts': 'export const answer = 42;\n' });
      server = await startLoopback([
        stream(wire.toolCalls([{ id: 'call_s', name: 'search_files', arguments: '{"pattern":"answer"}' }], ['Let me ', 'search.'])),
        stream(wire.text(['It is ', '42.'])),
      ]);
      const events = await collect(agentFor(wire, server, cwd).run('what is the answer?'));

      expect(text(events)).toBe('Let me search.It is 42.');
      const order = events.map((e) => e.type);
      expect(order.indexOf('message')).toBeLessThan(order.indexOf('tool_started'));
      expect(wire.results(server.requests[1]!.json)).toEqual([{ id: 'call_s', content: 'src/index.ts:1:export const answer = 42;' }]);
      expect(ofType(events, 'finished')[0]!.result.message?.content).toBe('It is 42.');
    });
  });
}

describe('interrupting the agent while a tool runs', () => {
  it('stops run_shell’s whole process group and records the call as interrupted', async () => {
    const wire = wires[0]!;
    const cwd = tempFolder();
    const pidFile = path.join(cwd, 'pid');
    const command = `sleep 300 & echo $! > ${pidFile}; wait`;
    server = await startLoopback([stream(wire.toolCalls([{ id: 'call_sh', name: 'run_shell', arguments: JSON.stringify({ command }) }]))]);
    const tools = new ApprovingToolRegistry(new StaticToolRegistry(createBuiltinTools()), { mode: 'yolo', allow: new Set() });
    const agent = new Agent({ provider: wire.provider, model: 'test-model', connection: wire.connection(server), tools, cwd });
    const controller = new AbortController();

    // The generator is paused while the loop body runs, so the tool only starts once the body
    // returns: wait for its grandchild in the background, then interrupt.
    let interrupted: Promise<number> | undefined;
    const events: AgentEvent[] = [];
    for await (const event of agent.run('start a long job', controller.signal)) {
      events.push(event);
      if (event.type === 'tool_started') {
        interrupted = vi
          .waitFor(
            () => {
              const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
              if (!pid) throw new Error('not started yet');
              return pid;
            },
            { timeout: 10_000, interval: 20 },
          )
          .then((pid) => {
            controller.abort();
            return pid;
          });
      }
    }
    const grandchild = await interrupted!;
    expect(ofType(events, 'finished')[0]!.result.status).toBe('interrupted');
    expect(ofType(events, 'tool_finished')).toEqual([{ type: 'tool_finished', id: 'call_sh', name: 'run_shell', content: INTERRUPTED_TOOL_RESULT, isError: true }]);
    expect(agent.history.at(-1)).toMatchObject({ role: 'tool', toolCallId: 'call_sh', content: INTERRUPTED_TOOL_RESULT });
    expect(server.requests).toHaveLength(1);
    expect(grandchild).toBeGreaterThan(0);
    await vi.waitFor(() => expect(processAlive(grandchild)).toBe(false), { timeout: 5_000 });
  });
});
