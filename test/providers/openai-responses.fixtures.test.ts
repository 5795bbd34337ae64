// Every recorded Responses API stream, replayed byte for byte over real HTTP through the real
// SDK and the adapter, must assemble to what SOURCES.md says a correct client gets.

import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIResponsesProvider } from '../../src/agent/providers/openai-responses.js';
import type { ProviderError, StreamEvent, Usage } from '../../src/agent/types.js';
import { splitBytes, startLoopback, type LoopbackServer } from '../support/loopback.js';

const DIR = new URL('../fixtures/streams/openai-responses/', import.meta.url);

interface Expected {
  text: string;
  /** Exact reasoning, or its length and start when SOURCES.md gives only those. */
  reasoning: string | { length: number; startsWith: string };
  calls: { id: string; name: string; arguments: Record<string, unknown> }[];
  usage?: Usage;
  stopReason?: 'stop' | 'tool_calls';
  error?: Pick<ProviderError, 'kind' | 'message' | 'retryable'>;
}

const QUOTA_MESSAGE =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';

// Values copied from test/fixtures/streams/SOURCES.md (openai-responses sections).
const EXPECTED: Record<string, Expected> = {
  'text.sse': {
    text: 'The current temperature in Florence, Italy is 40°C.',
    reasoning: '',
    calls: [],
    usage: { inputTokens: 81, outputTokens: 14, reasoningTokens: 0, cacheReadTokens: 0 },
    stopReason: 'stop',
  },
  'function-call.sse': {
    text: '',
    reasoning: '',
    calls: [{ id: 'call_sVidsfFJ6zlzRpelrPkTPlpd', name: 'multiply', arguments: { a: 1231, b: 2331 } }],
    usage: { inputTokens: 58, outputTokens: 23, reasoningTokens: 0, cacheReadTokens: 0 },
    stopReason: 'tool_calls',
  },
  'parallel-function-calls.sse': {
    text: '',
    reasoning: '',
    calls: [
      { id: 'call_ZckkKeJQwcJPC27VXT61xFLf', name: 'add', arguments: { a: 2, b: 3 } },
      { id: 'call_M9h2AZgoLEv6q5gkex1QMtm2', name: 'multiply', arguments: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 104, outputTokens: 51, reasoningTokens: 0, cacheReadTokens: 0 },
    stopReason: 'tool_calls',
  },
  'reasoning-summary-then-function-call.sse': {
    text: '',
    reasoning: { length: 424, startsWith: "**Getting weather info**\n\nI need to respond to the user's qu" },
    calls: [{ id: 'call_zgUaIBRPTwxxOusyyKw5NVMH', name: 'weather', arguments: { location: 'Florence, Italy' } }],
    usage: { inputTokens: 63, outputTokens: 121, reasoningTokens: 64, cacheReadTokens: 0 },
    stopReason: 'tool_calls',
  },
  'error-insufficient-quota.chunks.jsonl': {
    text: '',
    reasoning: '',
    calls: [],
    error: { kind: 'stream_error', message: QUOTA_MESSAGE, retryable: false },
  },
};

/** The exact response body: .sse as recorded; .chunks.jsonl framed as the API frames events. */
function wireBody(file: string): Buffer {
  const raw = readFileSync(new URL(file, DIR));
  if (file.endsWith('.sse')) return raw;
  const lines = raw.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  return Buffer.from(lines.map((line) => `event: ${JSON.parse(line).type}\ndata: ${line}\n\n`).join(''));
}

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function replay(body: Buffer, writeSize: number): Promise<StreamEvent[]> {
  server = await startLoopback([{ kind: 'stream', chunks: splitBytes(body, writeSize) }]);
  const provider = createOpenAIResponsesProvider({
    baseURL: server.baseURL,
    apiKey: 'sk-test',
    stallTimeoutMs: 10_000,
    firstByteTimeoutMs: 10_000,
  });
  const events: StreamEvent[] = [];
  for await (const event of provider.stream({
    model: 'gpt-5',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    stream: true,
    signal: new AbortController().signal,
  })) {
    events.push(event);
  }
  return events;
}

const files = readdirSync(DIR).sort();

describe('OpenAI Responses recorded streams', () => {
  it('has an expectation for every recorded file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !(file in EXPECTED))).toEqual([]);
  });

  for (const file of files) {
    for (const writeSize of [1, 7, 300]) {
      it(`${file} in ${writeSize}-byte writes`, async () => {
        const expected = EXPECTED[file]!;
        const events = await replay(wireBody(file), writeSize);

        const terminals = events.filter((e) => e.type === 'done' || e.type === 'error');
        expect(terminals).toHaveLength(1);
        const last = terminals[0]!;
        expect(events.at(-1)).toBe(last);

        const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
        const reasoning = events.flatMap((e) => (e.type === 'reasoning' ? [e.delta] : [])).join('');
        expect(text).toBe(expected.text);
        if (typeof expected.reasoning === 'string') {
          expect(reasoning).toBe(expected.reasoning);
        } else {
          expect(reasoning).toHaveLength(expected.reasoning.length);
          expect(reasoning.startsWith(expected.reasoning.startsWith)).toBe(true);
          expect(reasoning).toBe(summaryDoneText(file));
        }

        const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e] : []));
        expect(calls.map((c) => ({ id: c.id, name: c.name, arguments: JSON.parse(c.arguments) }))).toEqual(expected.calls);
        // Each call was announced (id and name) before it completed.
        for (const call of calls) {
          const start = events.findIndex((e) => e.type === 'tool_call_start' && e.id === call.id && e.name === call.name);
          expect(start).toBeGreaterThanOrEqual(0);
          expect(start).toBeLessThan(events.indexOf(call));
        }

        expect(last.message.content).toBe(expected.text);
        expect(last.message.reasoning).toBe(reasoning);
        expect(last.message.toolCalls).toEqual(calls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })));

        const usage = events.filter((e) => e.type === 'usage');
        if (expected.error) {
          expect(last.type).toBe('error');
          if (last.type === 'error') expect(last.error).toMatchObject(expected.error);
          expect(usage).toEqual([]);
        } else {
          expect(last).toMatchObject({ type: 'done', stopReason: expected.stopReason });
          expect(usage).toEqual([{ type: 'usage', usage: expected.usage }]);
        }
      });
    }
  }
});

/** The server's own full summary text (reasoning_summary_text.done) for cross-checking the deltas. */
function summaryDoneText(file: string): string {
  const done = readFileSync(new URL(file, DIR), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('data: {"type":"response.reasoning_summary_text.done"'))
    .map((line) => JSON.parse(line.slice('data: '.length)).text as string);
  expect(done).toHaveLength(1);
  return done[0]!;
}
