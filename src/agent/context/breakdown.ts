// What fills the context window, for /context: the system prompt, the project instructions
// inside it, the tool definitions, the conversation's messages and tool results, and what is
// left. Estimated per part; the total follows the server's own count when there is one.

import type { ChatMessage, ToolDefinition } from '../types.js';
import { estimateTokens, messageTokens, toolDefinitionTokens } from './tokens.js';

export interface ContextBreakdown {
  system: number;
  instructions: number;
  tools: number;
  messages: number;
  toolResults: number;
  /** The request's size: the server's count plus what was added since, or the sum of the parts. */
  used: number;
  window: number;
  free: number;
}

export interface BreakdownInput {
  /** The whole system prompt, instructions included. */
  system?: string;
  /** The instructions part of it. */
  instructions?: string;
  tools: readonly ToolDefinition[];
  history: readonly ChatMessage[];
  window: number;
  /** The compactor's estimate of the next request, when it has the server's count. */
  used?: number;
}

export function contextBreakdown(input: BreakdownInput): ContextBreakdown {
  const instructions = estimateTokens(input.instructions ?? '');
  const system = Math.max(0, estimateTokens(input.system ?? '') - instructions);
  const tools = toolDefinitionTokens(input.tools);
  let messages = 0;
  let toolResults = 0;
  for (const message of input.history) {
    if (message.role === 'tool') toolResults += messageTokens(message);
    else messages += messageTokens(message);
  }
  const used = input.used ?? system + instructions + tools + messages + toolResults;
  return { system, instructions, tools, messages, toolResults, used, window: input.window, free: Math.max(0, input.window - used) };
}

/** The /context table, one row a part, aligned. */
export function formatBreakdown(breakdown: ContextBreakdown): string[] {
  const rows: [string, number][] = [
    ['system prompt', breakdown.system],
    ['project instructions', breakdown.instructions],
    ['tool definitions', breakdown.tools],
    ['messages', breakdown.messages],
    ['tool results', breakdown.toolResults],
    ['free', breakdown.free],
  ];
  const share = (tokens: number) => `${Math.round((tokens / Math.max(1, breakdown.window)) * 100)}%`.padStart(4);
  const lines = rows.map(([label, tokens]) => `${label.padEnd(21)}${tokens.toLocaleString('en-US').padStart(9)} ${share(tokens)}`);
  lines.push(`${'in use'.padEnd(21)}${breakdown.used.toLocaleString('en-US').padStart(9)} of ${breakdown.window.toLocaleString('en-US')} tokens`);
  return lines;
}
