// Usage of a model request that failed mid-stream. Providers report usage at the end of a
// stream, so a stream cut short reports none, yet the client was sent (and may be billed for)
// what it received. The estimate: one output token per streamed delta (OpenAI-compatible
// servers stream about one token per chunk), and about four characters per input token.

import type { ChatMessage, Usage } from '../agent/types.js';

const CHARS_PER_TOKEN = 4;

/** Input tokens of a conversation, roughly. */
export function estimateInputTokens(system: string | undefined, history: readonly ChatMessage[]): number {
  let chars = system?.length ?? 0;
  for (const message of history) {
    chars += message.content.length;
    if (message.role === 'assistant') for (const call of message.toolCalls) chars += call.name.length + call.arguments.length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** `usage` with an unreported request's estimate added. */
export function withEstimate(usage: Usage, inputTokens: number, outputTokens: number): Usage {
  return { ...usage, inputTokens: usage.inputTokens + inputTokens, outputTokens: usage.outputTokens + outputTokens };
}
