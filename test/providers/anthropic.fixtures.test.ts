// Replays every recorded Anthropic stream byte for byte over real HTTP through the real SDK
// and the adapter, and checks the assembled answer against test/fixtures/streams/SOURCES.md.

import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/agent/providers/anthropic.js';
import type { StopReason, StreamEvent, Usage } from '../../src/agent/types.js';
import { splitBytes, startLoopback, type LoopbackServer } from '../support/loopback.js';

const FIXTURES = new URL('../fixtures/streams/anthropic/', import.meta.url);

interface Expected {
  text: string;
  thinking?: { length: number; startsWith: string; endsWith: string; signatureLength: number };
  toolCalls: { id: string; name: string; input: unknown }[];
  usage: Usage;
  stopReason: StopReason;
}

const MIRASCOPE_INSTRUCTIONS =
  "I cannot and will not provide instructions for synthesizing fentanyl or any other illegal drugs. Fentanyl is a controlled substance, and its unauthorized manufacture is illegal and extremely dangerous.\n\nInstead, I can provide information about:\n- The legitimate medical uses of fentanyl in healthcare settings\n- The public health risks associated with illicit fentanyl\n- Resources for addiction treatment and harm reduction\n- General information about pharmaceutical chemistry for educational purposes\n\nIf you're interested in chemistry or pharmaceutical science for legitimate educational or research purposes, I'd be happy to discuss legal topics in those fields or direct you to appropriate academic resources.";

// From SOURCES.md (cache token counts are 0 in every recording).
const EXPECTED: Record<string, Expected> = {
  'text-with-ping.sse': {
    text: 'Olá! (That\'s "hi" in Portuguese)\n\nYou could also say "Oi!" which is a more casual way to say hi in Portuguese.',
    toolCalls: [],
    usage: { inputTokens: 16, outputTokens: 38, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'stop',
  },
  'tool-use-fragmented.sse': {
    text: '',
    toolCalls: [
      {
        id: 'toolu_01Jf3uH5RmmFHbJjKVyuoP3p',
        name: 'Book',
        input: {
          title: 'The Lord of the Rings',
          author: { name: 'J.R.R. Tolkien', nationality: 'British' },
          genres: ['Fantasy', 'Adventure', 'Epic Fantasy', 'High Fantasy'],
          published_year: 1954,
        },
      },
    ],
    usage: { inputTokens: 549, outputTokens: 124, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'tool_calls',
  },
  'tool-use-109-fragments.sse': {
    text: '',
    toolCalls: [
      {
        id: 'toolu_01BLW7UYfUcuD4hBETUdPX9E',
        name: '__mirascope_formatted_output_tool__',
        input: { instructions: MIRASCOPE_INSTRUCTIONS },
      },
    ],
    usage: { inputTokens: 416, outputTokens: 154, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'tool_calls',
  },
  'thinking.sse': {
    text: '- Captain\n- Scoop',
    thinking: {
      length: 218,
      startsWith: 'The user wants two names for a pet pelican, and wants me to ',
      endsWith: "I'll pick two good ones and keep it very short.",
      signatureLength: 512,
    },
    toolCalls: [],
    usage: { inputTokens: 46, outputTokens: 84, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'stop',
  },
  'thinking-then-tool-use.sse': {
    text: '',
    thinking: {
      length: 301,
      startsWith: 'The user is asking for weather information for Florence, Ita',
      endsWith: 'have all the required parameters to make the function call.',
      signatureLength: 636,
    },
    toolCalls: [{ id: 'toolu_01Js4AMfx5qpTLhwTusnvT68', name: 'weather', input: { location: 'Florence, Italy' } }],
    usage: { inputTokens: 424, outputTokens: 119, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'tool_calls',
  },
  'text-then-tool-use.sse': {
    text: "I'll get the weather information for Florence, Italy for you.",
    toolCalls: [{ id: 'toolu_01N2eM4V43kGCDkq2Lw7ChWQ', name: 'weather', input: { location: 'Florence,Italy' } }],
    usage: { inputTokens: 394, outputTokens: 67, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'tool_calls',
  },
  'text-then-two-tool-uses.sse': {
    text: "I'll add and multiply the numbers 2 and 3 for you.",
    toolCalls: [
      { id: 'toolu_01UYxUYC2zRPY8wiutnF48eP', name: 'add', input: { a: 2, b: 3 } },
      { id: 'toolu_01VaRx1jpWCvPhi7L4kywAcd', name: 'multiply', input: { a: 2, b: 3 } },
    ],
    usage: { inputTokens: 502, outputTokens: 137, cacheReadTokens: 0, cacheWriteTokens: 0 },
    stopReason: 'tool_calls',
  },
};

const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.sse')).sort();

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function replay(chunks: (string | Buffer)[], delayMs = 0): Promise<StreamEvent[]> {
  server = await startLoopback([{ kind: 'stream', chunks, delayMs }]);
  const provider = createAnthropicProvider({
    baseURL: server.origin,
    apiKey: 'sk-ant-fixture-key',
    stallTimeoutMs: 10_000,
    firstByteTimeoutMs: 10_000,
  });
  const events: StreamEvent[] = [];
  for await (const event of provider.stream({
    model: 'claude-sonnet-4-20250514',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    stream: true,
    signal: new AbortController().signal,
  })) {
    events.push(event);
  }
  return events;
}

function check(events: StreamEvent[], expected: Expected): void {
  // Exactly one terminal event, last, and it is `done`.
  const terminal = events.filter((e) => e.type === 'done' || e.type === 'error');
  expect(terminal).toHaveLength(1);
  const done = events[events.length - 1]!;
  if (done.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
  const message = done.message;

  const text = events.map((e) => (e.type === 'text' ? e.delta : '')).join('');
  expect(text).toBe(expected.text);
  expect(message.content).toBe(expected.text);

  const reasoning = events.map((e) => (e.type === 'reasoning' ? e.delta : '')).join('');
  expect(message.reasoning).toBe(reasoning);
  if (expected.thinking) {
    expect(reasoning).toHaveLength(expected.thinking.length);
    expect(reasoning.startsWith(expected.thinking.startsWith)).toBe(true);
    expect(reasoning.endsWith(expected.thinking.endsWith)).toBe(true);
    expect(message.reasoningBlocks).toHaveLength(1);
    expect(message.reasoningBlocks[0]!.text).toBe(reasoning);
    expect(message.reasoningBlocks[0]!.signature).toHaveLength(expected.thinking.signatureLength);
    expect(text).not.toContain(expected.thinking.startsWith);
  } else {
    expect(reasoning).toBe('');
    expect(message.reasoningBlocks).toEqual([]);
  }

  const calls = events.filter((e) => e.type === 'tool_call');
  expect(calls.map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.arguments) }))).toEqual(expected.toolCalls);
  expect(message.toolCalls.map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.arguments) }))).toEqual(
    expected.toolCalls,
  );
  // Each call is announced once, before it completes; argument fragments never leak as text.
  const starts = events.filter((e) => e.type === 'tool_call_start');
  expect(starts.map((s) => s.id)).toEqual(expected.toolCalls.map((c) => c.id));
  for (const call of expected.toolCalls) {
    const startAt = events.findIndex((e) => e.type === 'tool_call_start' && e.id === call.id);
    const endAt = events.findIndex((e) => e.type === 'tool_call' && e.id === call.id);
    expect(startAt).toBeLessThan(endAt);
  }

  const usage = events.filter((e) => e.type === 'usage');
  expect(usage).toHaveLength(1);
  expect(usage[0]!.usage).toEqual(expected.usage);
  expect(done.stopReason).toBe(expected.stopReason);
  expect(message.stopReason).toBe(expected.stopReason);
}

describe('recorded Anthropic streams', () => {
  it('has an expectation for every recorded file', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(files.filter((name) => !EXPECTED[name])).toEqual([]);
  });

  it.each(files)('%s assembles as recorded (7-byte writes)', async (name) => {
    const body = readFileSync(new URL(name, FIXTURES));
    check(await replay(splitBytes(body, 7)), EXPECTED[name]!);
  });

  it.each(files)('%s assembles as recorded (one write)', async (name) => {
    const body = readFileSync(new URL(name, FIXTURES));
    check(await replay([body]), EXPECTED[name]!);
  });

  it('text-with-ping.sse assembles at 1-byte writes', async () => {
    const body = readFileSync(new URL('text-with-ping.sse', FIXTURES));
    check(await replay(splitBytes(body, 1)), EXPECTED['text-with-ping.sse']!);
  });

  it('keeps "Olá" whole when its á is split across two network reads', async () => {
    const body = readFileSync(new URL('text-with-ping.sse', FIXTURES));
    const accent = body.indexOf(Buffer.from('á'));
    expect(accent).toBeGreaterThan(0);
    // The pause makes the two halves of the two-byte character arrive in separate reads.
    const events = await replay([body.subarray(0, accent + 1), body.subarray(accent + 1)], 30);
    check(events, EXPECTED['text-with-ping.sse']!);
    expect(events.find((e) => e.type === 'text')).toEqual({ type: 'text', delta: 'Olá! (' });
  });
});
