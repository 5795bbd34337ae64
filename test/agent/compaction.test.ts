import { describe, expect, it } from 'vitest';
import { compactedHistory, isSummary, planSummary, shortenToolResults, summaryMessage, SUMMARY_MARKER } from '../../src/agent/context/compaction.js';
import { compactionLimits } from '../../src/agent/context/limits.js';
import { isContextOverflow } from '../../src/agent/context/overflow.js';
import { summaryPrompt } from '../../src/agent/context/summary-request.js';
import { messagesTokens } from '../../src/agent/context/tokens.js';
import type { AssistantMessage, ChatMessage, ToolResultMessage } from '../../src/agent/types.js';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string, calls: string[] = []): AssistantMessage => ({
  role: 'assistant',
  content,
  reasoning: '',
  reasoningBlocks: [],
  toolCalls: calls.map((id) => ({ id, name: 'read_file', arguments: '{"path":"a"}' })),
});
const result = (id: string, chars: number): ToolResultMessage => ({ role: 'tool', toolCallId: id, name: 'read_file', content: `output ${id} `.padEnd(chars, 'x') });

/** A tool session: prompts, each with `calls` tool round trips of `chars` characters of output. */
function session(prompts: number, calls: number, chars: number): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let p = 0; p < prompts; p++) {
    messages.push(user(`prompt ${p}`));
    for (let c = 0; c < calls; c++) {
      const id = `call-${p}-${c}`;
      messages.push(assistant(`looking ${p}.${c}`, [id]), result(id, chars));
    }
    messages.push(assistant(`answer ${p}`));
  }
  return messages;
}

/** Every tool result follows the assistant message that called it. */
function pairsIntact(messages: readonly ChatMessage[]): boolean {
  const open = new Set<string>();
  for (const message of messages) {
    if (message.role === 'assistant') message.toolCalls.forEach((call) => open.add(call.id));
    if (message.role === 'tool' && !open.delete(message.toolCallId)) return false;
  }
  return true;
}

describe('compaction limits', () => {
  it('scale with the window', () => {
    expect(compactionLimits(200_000)).toEqual({ window: 200_000, threshold: 184_000, keepToolTokens: 40_000, keepRecentTokens: 20_000 });
    expect(compactionLimits(12_000)).toEqual({ window: 12_000, threshold: 9_000, keepToolTokens: 4_000, keepRecentTokens: 4_000 });
    expect(compactionLimits(32_000, { maxOutputTokens: 2_000 }).threshold).toBe(30_000);
    expect(compactionLimits(32_000, { thresholdFraction: 0.5 }).threshold).toBe(16_000);
  });
});

describe('shortening tool output', () => {
  it('keeps the newest whole and shortens older output, keeping its start and its call id', () => {
    const messages = session(1, 6, 20_000); // 5k tokens each
    const shortened = shortenToolResults(messages, 12_000);
    const tools = shortened.filter((m): m is ToolResultMessage => m.role === 'tool');
    expect(tools.at(-1)!.content).toBe((messages.at(-2) as ToolResultMessage).content);
    expect(tools.at(-2)!.content).toBe((messages.at(-4) as ToolResultMessage).content);
    for (const older of tools.slice(0, -2)) {
      expect(older.content.startsWith(`output ${older.toolCallId}`)).toBe(true);
      expect(older.content).toMatch(/older tool output shortened to save context/);
      expect(older.content.length).toBeLessThan(1_000);
    }
    expect(messagesTokens(shortened)).toBeLessThan(15_000);
    expect(shortened.map((m) => m.role)).toEqual(messages.map((m) => m.role));
  });

  it('cuts the newest output to the budget when it alone is larger', () => {
    const [tool] = shortenToolResults([result('a', 100_000)], 1_000) as ToolResultMessage[];
    expect(tool!.content.length).toBeLessThan(4_200);
    expect(tool!.content.startsWith('output a')).toBe(true);
  });
});

describe('choosing what a summary replaces', () => {
  it('keeps the recent part within budget, the latest user message among it, tool calls with their results', () => {
    const messages = session(10, 3, 2_000);
    const plan = planSummary(messages, 3_000)!;
    expect(messagesTokens(plan.recent)).toBeLessThanOrEqual(3_000);
    expect(plan.recent[0]!.role).not.toBe('tool');
    expect(plan.recent).toContainEqual(user('prompt 9'));
    expect(pairsIntact(plan.recent)).toBe(true);
    expect(pairsIntact(plan.older)).toBe(true);
    expect([...plan.older, ...plan.recent]).toEqual(messages);
    const history = compactedHistory('they read files', plan);
    expect(isSummary(history[0])).toBe(true);
    expect(pairsIntact(history)).toBe(true);
  });

  it('in one long tool loop, moves the latest user message in front of what it keeps', () => {
    const messages = session(1, 40, 2_000);
    const plan = planSummary(messages, 3_000)!;
    expect(plan.recent[0]).toEqual(user('prompt 0'));
    expect(plan.recent[1]!.role).toBe('assistant');
    expect(plan.older).not.toContainEqual(user('prompt 0'));
    expect(pairsIntact(plan.recent)).toBe(true);
    expect(plan.older.length + plan.recent.length).toBe(messages.length);
  });

  it('updates an earlier summary instead of summarising it again', () => {
    const messages = [summaryMessage('earlier: the user wants tabs'), ...session(6, 2, 2_000)];
    const plan = planSummary(messages, 2_000)!;
    expect(plan.previousSummary).toBe('earlier: the user wants tabs');
    expect(plan.older.some((m) => m.role === 'user' && m.content.startsWith(SUMMARY_MARKER))).toBe(false);
    const prompt = summaryPrompt(plan.older, plan.previousSummary, 'the failing test');
    expect(prompt).toContain('<previous-summary>\nearlier: the user wants tabs');
    expect(prompt).toContain('keep this in focus: the failing test');
    expect(prompt).toContain('[tool call read_file]');
  });

  it('has nothing to do for a conversation that is all recent', () => {
    expect(planSummary([user('hi'), assistant('hello')], 10_000)).toBeUndefined();
    expect(planSummary([], 10_000)).toBeUndefined();
  });
});

describe('context overflow errors', () => {
  it.each([
    ["This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", 400],
    ['context_length_exceeded', 400],
    ['prompt is too long: 215000 tokens > 200000 maximum', 400],
    ['the request exceeds the available context size, try increasing it', 400],
    ['Input is too long for requested model.', 400],
  ])('recognises %s', (message, status) => {
    expect(isContextOverflow({ kind: 'bad_request', message, status })).toBe(true);
  });

  it('does not take other errors for one', () => {
    expect(isContextOverflow({ kind: 'bad_request', message: 'Unrecognized request argument supplied: stream_options', status: 400 })).toBe(false);
    expect(isContextOverflow({ kind: 'server', message: 'prompt is too long', status: 500 })).toBe(false);
  });
});

describe('/context', () => {
  it('splits the window into system prompt, instructions, tools, messages, tool results and free', async () => {
    const { contextBreakdown, formatBreakdown } = await import('../../src/agent/context/breakdown.js');
    const breakdown = contextBreakdown({
      system: `${'s'.repeat(400)}${'i'.repeat(800)}`,
      instructions: 'i'.repeat(800),
      tools: [{ name: 'read_file', description: 'd'.repeat(100), parameters: {} }],
      history: session(1, 2, 4_000),
      window: 10_000,
    });
    expect(breakdown).toMatchObject({ system: 100, instructions: 200, toolResults: 2_008 });
    expect(breakdown.free).toBe(10_000 - breakdown.used);
    const lines = formatBreakdown(breakdown);
    expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual(['system prompt', 'project instructions', 'tool definitions', 'messages', 'tool results', 'free', 'in use']);
    expect(lines.at(-1)).toContain('of 10,000 tokens');
  });
});
