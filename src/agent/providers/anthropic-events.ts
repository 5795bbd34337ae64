// Anthropic Messages events in, StreamEvents out: the per-request accumulation behind the stream
// (blocks by index, usage, stop reason) and complete Messages (non-streaming answers).

import { APIError } from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { SseMessage } from '../../stream/sse-decode.js';
import type { AssistantMessage, ReasoningBlock, StopReason, StreamEvent, ToolCall, Usage } from '../types.js';

/**
 * The events of one network read, as the SDK's stream yields them: pings and nameless messages
 * skipped, `event: error` thrown as the SDK's APIError (so classification sees what it saw
 * before), a frame that is not JSON thrown.
 */
export function* streamEvents(messages: readonly SseMessage[], headers: Headers): Generator<RawMessageStreamEvent> {
  for (const sse of messages) {
    if (sse.event === undefined || sse.event === 'ping') continue;
    if (sse.event === 'error') {
      let body: unknown = sse.data;
      try {
        body = JSON.parse(sse.data);
      } catch {
        // the raw text is the error
      }
      const type = (body as { error?: { type?: string } } | null)?.error?.type;
      throw new APIError(undefined, body as object, undefined, headers, type as never);
    }
    if (!sse.data) continue;
    yield JSON.parse(sse.data) as RawMessageStreamEvent;
  }
}

type BlockState =
  | { kind: 'thinking'; block: ReasoningBlock }
  | { kind: 'tool'; id: string; name: string; parts: string[] }
  | { kind: 'other' };

const OTHER_BLOCK: BlockState = { kind: 'other' };

/** The per-request state behind the stream: blocks by index, usage, stop reason. */
export class StreamAccumulator {
  private readonly blocks: BlockState[] = [];
  private inputTokens = 0;
  private outputTokens = 0;
  private cacheReadTokens: number | undefined;
  private cacheWriteTokens: number | undefined;
  stopReason: string | null = null;

  constructor(private readonly message: AssistantMessage) {}

  messageStart(start: Message): void {
    if (typeof start.model === 'string' && start.model !== '') this.message.model = start.model;
    const usage = start.usage;
    if (!usage) return;
    this.inputTokens = usage.input_tokens ?? 0;
    this.outputTokens = usage.output_tokens ?? 0;
    this.cacheReadTokens = usage.cache_read_input_tokens ?? undefined;
    this.cacheWriteTokens = usage.cache_creation_input_tokens ?? undefined;
  }

  messageDelta(event: Extract<RawMessageStreamEvent, { type: 'message_delta' }>): void {
    if (event.delta.stop_reason) this.stopReason = event.delta.stop_reason;
    const usage = event.usage;
    if (!usage) return;
    // output_tokens here is the running total for the message, not an increment.
    if (typeof usage.output_tokens === 'number') this.outputTokens = usage.output_tokens;
    if (typeof usage.input_tokens === 'number') this.inputTokens = usage.input_tokens;
    if (typeof usage.cache_read_input_tokens === 'number') this.cacheReadTokens = usage.cache_read_input_tokens;
    if (typeof usage.cache_creation_input_tokens === 'number') this.cacheWriteTokens = usage.cache_creation_input_tokens;
  }

  usage(): Usage {
    const usage: Usage = { inputTokens: this.inputTokens, outputTokens: this.outputTokens };
    if (this.cacheReadTokens !== undefined) usage.cacheReadTokens = this.cacheReadTokens;
    if (this.cacheWriteTokens !== undefined) usage.cacheWriteTokens = this.cacheWriteTokens;
    return usage;
  }

  start(event: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>): StreamEvent | undefined {
    const block = event.content_block;
    switch (block.type) {
      case 'text':
        this.blocks[event.index] = OTHER_BLOCK;
        if (block.text) {
          this.message.content += block.text;
          return { type: 'text', delta: block.text };
        }
        return undefined;
      case 'thinking': {
        const reasoning: ReasoningBlock = { text: block.thinking ?? '' };
        if (block.signature) reasoning.signature = block.signature;
        this.message.reasoningBlocks.push(reasoning);
        this.blocks[event.index] = { kind: 'thinking', block: reasoning };
        if (reasoning.text) {
          this.message.reasoning += reasoning.text;
          return { type: 'reasoning', delta: reasoning.text };
        }
        return undefined;
      }
      case 'redacted_thinking':
        this.message.reasoningBlocks.push({ text: '', redactedData: block.data });
        this.blocks[event.index] = OTHER_BLOCK;
        return undefined;
      case 'tool_use':
        this.blocks[event.index] = { kind: 'tool', id: block.id, name: block.name, parts: [] };
        return { type: 'tool_call_start', id: block.id, name: block.name };
      default:
        // Server-side tools and their results run at Anthropic; nothing for us to do.
        this.blocks[event.index] = OTHER_BLOCK;
        return undefined;
    }
  }

  delta(index: number, delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta']): StreamEvent | undefined {
    const state = this.blocks[index];
    switch (delta.type) {
      case 'thinking_delta':
        if (!delta.thinking) return undefined;
        if (state?.kind === 'thinking') state.block.text += delta.thinking;
        this.message.reasoning += delta.thinking;
        return { type: 'reasoning', delta: delta.thinking };
      case 'signature_delta':
        // Kept verbatim: a thinking block is only accepted back with its signature.
        if (state?.kind === 'thinking') state.block.signature = (state.block.signature ?? '') + delta.signature;
        return undefined;
      case 'input_json_delta':
        // Fragments are joined once, at content_block_stop (never shown, never re-joined per delta).
        if (state?.kind === 'tool' && delta.partial_json) state.parts.push(delta.partial_json);
        return undefined;
      default:
        return undefined;
    }
  }

  stop(index: number): StreamEvent | undefined {
    const state = this.blocks[index];
    if (state?.kind !== 'tool') return undefined;
    this.blocks[index] = OTHER_BLOCK;
    const call: ToolCall = { id: state.id, name: state.name, arguments: state.parts.join('') || '{}' };
    this.message.toolCalls.push(call);
    return { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
  }
}

/** One complete Message (a non-streaming answer, or JSON sent to a streaming request) as events. */
export function* completeMessageEvents(response: Message, message: AssistantMessage): Generator<StreamEvent> {
  if (typeof response.model === 'string' && response.model !== '') message.model = response.model;
  let text = '';
  const calls: ToolCall[] = [];
  for (const block of response.content ?? []) {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'thinking': {
        const reasoning: ReasoningBlock = { text: block.thinking ?? '' };
        if (block.signature) reasoning.signature = block.signature;
        message.reasoningBlocks.push(reasoning);
        message.reasoning += reasoning.text;
        break;
      }
      case 'redacted_thinking':
        message.reasoningBlocks.push({ text: '', redactedData: block.data });
        break;
      case 'tool_use':
        calls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
        break;
    }
  }
  if (message.reasoning) yield { type: 'reasoning', delta: message.reasoning };
  if (text) {
    message.content += text;
    yield { type: 'text', delta: text };
  }
  for (const call of calls) {
    message.toolCalls.push(call);
    yield { type: 'tool_call_start', id: call.id, name: call.name };
    yield { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
  }
  const usage = response.usage;
  const normalised: Usage = { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 };
  if (typeof usage?.cache_read_input_tokens === 'number') normalised.cacheReadTokens = usage.cache_read_input_tokens;
  if (typeof usage?.cache_creation_input_tokens === 'number') normalised.cacheWriteTokens = usage.cache_creation_input_tokens;
  yield { type: 'usage', usage: normalised };
  const stopReason = mapStopReason(response.stop_reason);
  message.stopReason = stopReason;
  yield { type: 'done', stopReason, message };
}

export function mapStopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}
