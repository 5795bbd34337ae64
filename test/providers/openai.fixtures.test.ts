// Every recorded Chat Completions stream, replayed byte for byte over real HTTP through the
// real SDK and the adapter, must assemble to what SOURCES.md says a correct client gets.

import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../src/agent/providers/openai.js';
import type { AssistantMessage, ProviderError, StopReason, StreamEvent, Usage } from '../../src/agent/types.js';
import { splitBytes, startLoopback, type LoopbackServer } from '../support/loopback.js';

const DIR = new URL('../fixtures/streams/openai-chat/', import.meta.url);

interface Expected {
  text: string;
  /** Exact, or (when SOURCES.md gives only its start) its length in characters and its start. */
  reasoning: string | { chars: number; startsWith: string };
  calls: { id: string; name: string; arguments: string }[];
  usage?: Partial<Usage>;
  stopReason?: StopReason;
  refusal?: string;
  error?: Pick<ProviderError, 'kind' | 'message'>;
}

// Values copied from test/fixtures/streams/SOURCES.md (openai-chat sections).
const EXPECTED: Record<string, Expected> = {
  'text-with-usage.sse': {
    text: "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.",
    reasoning: '',
    calls: [],
    usage: { inputTokens: 14, outputTokens: 30, reasoningTokens: 0 },
    stopReason: 'stop',
  },
  'text-with-usage-gpt41nano.chunks.jsonl': {
    // SOURCES.md gives the first 60 of 1724 characters; the length is checked below.
    text: '**Holiday Name:** Harmony Day\n\n**Date:** Celebrated annually',
    reasoning: '',
    calls: [],
    usage: { inputTokens: 16, outputTokens: 300, reasoningTokens: 0, cacheReadTokens: 0 },
    stopReason: 'stop',
  },
  'single-tool-call-fragmented.sse': {
    text: '',
    reasoning: '',
    calls: [{ id: 'call_c91SqDXlYFuETYv8mUHzz6pp', name: 'GetWeatherArgs', arguments: '{"city":"Edinburgh","country":"UK","units":"c"}' }],
    usage: { inputTokens: 76, outputTokens: 24, reasoningTokens: 0 },
    stopReason: 'tool_calls',
  },
  'parallel-tool-calls.sse': {
    text: '',
    reasoning: '',
    calls: [
      { id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}' },
      { id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
    ],
    usage: { inputTokens: 149, outputTokens: 60, reasoningTokens: 0 },
    stopReason: 'tool_calls',
  },
  'text-then-tool-call.sse': {
    text: "I'll get the current weather information for Florence, Italy for you.",
    reasoning: '',
    calls: [{ id: 'toolu_01YE6sgGyYMPQGoV1qg3qzZS', name: 'weather', arguments: '{"location": "Florence,Italy"}' }],
    usage: { inputTokens: 394, outputTokens: 68, reasoningTokens: 0 },
    stopReason: 'tool_calls',
  },
  'text-then-tool-call-groq-kimi.sse': {
    text: "I'll check the weather in Florence, Italy for you.",
    reasoning: '',
    calls: [{ id: 'functions.weather:0', name: 'weather', arguments: '{"location":"Florence,Italy"}' }],
    usage: { inputTokens: 93, outputTokens: 32 },
    stopReason: 'tool_calls',
  },
  'reasoning-content-deepseek.sse': {
    text: 'Hello there! 😊 How can I help you today?',
    reasoning: { chars: 882, startsWith: 'Hmm, the user just said "Hello". It\'s a simple greeting but ' },
    calls: [],
    usage: { inputTokens: 6, outputTokens: 212, reasoningTokens: 198 },
    stopReason: 'stop',
  },
  'reasoning-openrouter.sse': {
    text: '2 + 2 = 4',
    reasoning: 'This is a simple arithmetic question. 2+2 equals 4.',
    calls: [],
    usage: { inputTokens: 43, outputTokens: 36, reasoningTokens: 13 },
    stopReason: 'stop',
  },
  'refusal.sse': {
    // The refusal is shown as the answer, so it is the visible text too.
    text: "I'm sorry, I can't assist with that request.",
    refusal: "I'm sorry, I can't assist with that request.",
    reasoning: '',
    calls: [],
    usage: { inputTokens: 79, outputTokens: 11, reasoningTokens: 0 },
    stopReason: 'refusal',
  },
  'error-event-mid-stream-groq.sse': {
    text: 'maybe',
    reasoning: { chars: 361, startsWith: 'The user says: "dont make a tool call, just return the strin' },
    calls: [],
    error: { kind: 'stream_error', message: 'Tool choice is required, but model did not call a tool' },
  },
  'error-chunk-openrouter.sse': {
    text: '',
    reasoning: 'We need to respond to a greeting. The user',
    calls: [],
    error: { kind: 'stream_error', message: 'Token limit reached' },
  },
};

/** The exact response body: .sse as recorded; .chunks.jsonl framed as `data:` lines, no [DONE]. */
function wireBody(file: string): Buffer {
  const raw = readFileSync(new URL(file, DIR));
  if (file.endsWith('.sse')) return raw;
  const lines = raw.toString('utf8').split('\n').filter((line) => line !== '');
  return Buffer.from(lines.map((line) => `data: ${line}\n\n`).join(''));
}

/** Argument fragments as they appear on the wire, to prove none of them leaks into text. */
function argumentFragments(body: Buffer): string[] {
  const fragments: string[] = [];
  for (const line of body.toString('utf8').split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { tool_calls?: { function?: { arguments?: string } }[] } }[] };
    for (const call of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
      const args = call.function?.arguments;
      // Fragments such as "ation" would also match ordinary words; JSON syntax never appears in these texts.
      if (args && /[{}"]/.test(args)) fragments.push(args);
    }
  }
  return fragments;
}

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function replay(body: Buffer, writeSize: number): Promise<StreamEvent[]> {
  server = await startLoopback([{ kind: 'stream', chunks: splitBytes(body, writeSize) }]);
  const provider = createOpenAIProvider({
    baseURL: server.baseURL,
    apiKey: 'sk-fixture-test-key',
    stallTimeoutMs: 10_000,
    firstByteTimeoutMs: 10_000,
  });
  const events: StreamEvent[] = [];
  for await (const event of provider.stream({
    model: 'gpt-test',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [],
    stream: true,
    signal: new AbortController().signal,
  })) {
    events.push(event);
  }
  return events;
}

function check(file: string, events: StreamEvent[], expected: Expected): void {
  // Exactly one terminal event, and it is the last one.
  const terminal = events.filter((e) => e.type === 'done' || e.type === 'error');
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  const last = terminal[0] as Extract<StreamEvent, { type: 'done' | 'error' }>;
  const message: AssistantMessage = last.message;

  const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
  const reasoning = events.flatMap((e) => (e.type === 'reasoning' ? [e.delta] : [])).join('');
  if (file.endsWith('.jsonl')) {
    expect(Array.from(text)).toHaveLength(1724);
    expect(text.startsWith(expected.text)).toBe(true);
  } else {
    expect(text).toBe(expected.text);
  }
  expect(message.content).toBe(text);

  if (typeof expected.reasoning === 'string') {
    expect(reasoning).toBe(expected.reasoning);
  } else {
    expect(Array.from(reasoning)).toHaveLength(expected.reasoning.chars);
    expect(reasoning.startsWith(expected.reasoning.startsWith)).toBe(true);
  }
  expect(message.reasoning).toBe(reasoning);
  if (expected.refusal !== undefined) expect(message.refusal).toBe(expected.refusal);

  for (const fragment of argumentFragments(wireBody(file))) {
    for (const e of events) if (e.type === 'text') expect(e.delta).not.toContain(fragment);
  }

  if (expected.error) {
    expect(last.type).toBe('error');
    const error = (last as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error.kind).toBe(expected.error.kind);
    expect(error.message).toContain(expected.error.message);
    expect(events.some((e) => e.type === 'tool_call' || e.type === 'usage')).toBe(false);
    return;
  }

  expect(last.type).toBe('done');
  const calls = events.flatMap((e) => (e.type === 'tool_call' ? [{ id: e.id, name: e.name, arguments: e.arguments }] : []));
  expect(calls).toEqual(expected.calls);
  for (const call of calls) expect(() => JSON.parse(call.arguments)).not.toThrow();
  expect(message.toolCalls).toEqual(expected.calls);
  // One start per call, announced before the call is complete.
  const starts = events.flatMap((e, i) => (e.type === 'tool_call_start' ? [{ id: e.id, name: e.name, at: i }] : []));
  expect(starts.map(({ id, name }) => ({ id, name }))).toEqual(expected.calls.map(({ id, name }) => ({ id, name })));
  for (const start of starts) {
    expect(start.at).toBeLessThan(events.findIndex((e) => e.type === 'tool_call' && e.id === start.id));
  }

  const usage = events.filter((e) => e.type === 'usage');
  expect(usage).toHaveLength(1);
  expect(events.indexOf(usage[0]!)).toBe(events.length - 2);
  expect((usage[0] as Extract<StreamEvent, { type: 'usage' }>).usage).toMatchObject(expected.usage!);
  expect((last as Extract<StreamEvent, { type: 'done' }>).stopReason).toBe(expected.stopReason);
  expect(message.stopReason).toBe(expected.stopReason);
}

describe('OpenAI Chat Completions adapter: recorded streams', () => {
  const files = readdirSync(DIR).sort();

  it('has expectations for every recorded file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`assembles ${file} (small writes)`, async () => {
      check(file, await replay(wireBody(file), 7), EXPECTED[file]!);
    });
  }

  it('assembles multi-byte characters split across 1-byte writes whole (DeepSeek, with an emoji)', async () => {
    const file = 'reasoning-content-deepseek.sse';
    check(file, await replay(wireBody(file), 1), EXPECTED[file]!);
  });
});
