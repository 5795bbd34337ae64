// Adding up what requests cost, and estimating it where the server did not say.

import { estimateTokens } from './context/tokens.js';
import type { AssistantMessage, Usage } from './types.js';

/** What an interrupted request cost when the server said nothing: its prompt and what arrived. */
export function interruptedUsage(promptTokens: number, shown: AssistantMessage): Usage {
  const calls = shown.toolCalls.reduce((sum, call) => sum + estimateTokens(call.name) + estimateTokens(call.arguments), 0);
  return { inputTokens: promptTokens, outputTokens: estimateTokens(shown.content) + estimateTokens(shown.reasoning) + calls, estimated: true };
}

export function addUsage(total: Usage, usage: Usage): void {
  if (usage.estimated) total.estimated = true;
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  if (usage.reasoningTokens !== undefined) total.reasoningTokens = (total.reasoningTokens ?? 0) + usage.reasoningTokens;
  if (usage.cacheReadTokens !== undefined) total.cacheReadTokens = (total.cacheReadTokens ?? 0) + usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) total.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + usage.cacheWriteTokens;
}
