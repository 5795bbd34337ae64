// What both wire formats need from a run: the answer text exactly as it was streamed, and how
// the run ended in OpenAI's terms.

import type { RunResult } from '../agent/events.js';
import { totalInputTokens, type Usage } from '../agent/types.js';

/**
 * The visible answer of a run that may span several model requests (text, tool round, more
 * text). Each request's text is a segment; a new segment starts on a new paragraph, so the
 * text after a tool round does not glue onto the sentence before it. `text` is exactly the
 * concatenation of the deltas returned by push() (a non-streamed answer says what a streamed
 * one would have shown).
 */
export class AnswerText {
  private readonly parts: string[] = [];
  private breakPending = false;

  /** The delta to send for a text event ('' when there is nothing to send). */
  push(delta: string): string {
    if (delta === '') return '';
    let out = delta;
    if (this.breakPending) {
      this.breakPending = false;
      const tail = this.tail();
      out = (tail.endsWith('\n\n') ? '' : tail.endsWith('\n') ? '\n' : '\n\n') + delta;
    }
    this.parts.push(out);
    return out;
  }

  /** One model request's message is complete; later text belongs to the next one. */
  endSegment(): void {
    if (this.parts.length > 0) this.breakPending = true;
  }

  get text(): string {
    return this.parts.join('');
  }

  /** The last two characters sent. */
  private tail(): string {
    let tail = '';
    for (let i = this.parts.length - 1; i >= 0 && tail.length < 2; i--) tail = this.parts[i]! + tail;
    return tail.slice(-2);
  }
}

export type ChatFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/** finish_reason of a completed run (hermes' own tool calls never reach the client: they ran
 *  inside; calls of the client's tools end the run with 'tool_calls'). */
export function finishReason(result: RunResult): ChatFinishReason {
  if (result.pendingToolCalls?.length) return 'tool_calls';
  if (result.status === 'max_turns') return 'length';
  if (result.stopReason === 'length') return 'length';
  if (result.stopReason === 'content_filter') return 'content_filter';
  return 'stop';
}

export function chatUsage(usage: Usage): Record<string, unknown> {
  return {
    prompt_tokens: totalInputTokens(usage),
    completion_tokens: usage.outputTokens,
    total_tokens: totalInputTokens(usage) + usage.outputTokens,
    ...(usage.cacheReadTokens !== undefined ? { prompt_tokens_details: { cached_tokens: usage.cacheReadTokens } } : {}),
    ...(usage.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {}),
  };
}

export function responsesUsage(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: totalInputTokens(usage),
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: totalInputTokens(usage) + usage.outputTokens,
  };
}
