// A request the model's context window cannot hold, as each server words it. Recognised before
// any other handling of a 400: repeating it without stream_options or streaming cannot help.

import type { ProviderError, Usage } from '../types.js';

const OVERFLOW_PATTERNS: readonly RegExp[] = [
  /context_length_exceeded/i, // OpenAI's error code
  /maximum context length/i, // OpenAI, vLLM: "This model's maximum context length is 8192 tokens"
  /prompt is too long/i, // Anthropic: "prompt is too long: 215000 tokens > 200000 maximum"
  /exceeds? the (available )?context (size|window|length)/i, // llama.cpp, LM Studio
  /context window (is )?(full|exceeded)/i,
  /input (is )?too long/i, // Responses API, Bedrock
  /too many (input )?tokens/i,
  /reduce the length of the (messages|prompt)/i,
  /requested \d+ tokens.*context/i, // Groq, OpenRouter
];

export function isContextOverflow(error: Pick<ProviderError, 'kind' | 'message' | 'status'>): boolean {
  if (error.kind !== 'bad_request' && error.kind !== 'stream_error' && error.status !== 413) return false;
  return OVERFLOW_PATTERNS.some((pattern) => pattern.test(error.message));
}

const WINDOW_PATTERNS: readonly RegExp[] = [
  /maximum context length is (\d+)/i, // OpenAI, vLLM
  /> ?(\d+) maximum/i, // Anthropic
  /context (?:size|window|length)(?: of this model)? (?:is |of )?\(?(\d{3,})/i,
  /n_ctx\D{0,3}(\d+)/i, // llama.cpp's fields, when a message carries them
  /\(\d+ > (\d+)\)/, // "(15121 > 12000)"
];

/** The window an overflow error names, when it names one. */
export function windowFromOverflow(message: string): number | undefined {
  for (const pattern of WINDOW_PATTERNS) {
    const tokens = Number(pattern.exec(message)?.[1]);
    if (Number.isInteger(tokens) && tokens > 0) return tokens;
  }
  return undefined;
}

/**
 * An answer that stopped at `length` with the prompt and the answer together taking the whole
 * window ran out of context, not of its output budget (cached input counts too).
 */
export function fillsWindow(usage: Usage | undefined, window: number | undefined): boolean {
  if (!usage || !window || window <= 0) return false;
  const used = usage.inputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0) + usage.outputTokens;
  return used >= window;
}
