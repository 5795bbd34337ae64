// Anthropic Messages API adapter: turns the raw event stream into StreamEvents. The SDK sends
// the request; the body's events are read with our SSE decoder (sse-body.ts), as the SDK's
// low-level stream would yield them but without its per-event buffer copies, and not through
// the MessageStream helper, which rebuilds the whole message on every event. The accumulation
// here is the minimum the normalised stream needs: per event a switch, an append, one yield.

import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
  RawMessageStreamEvent,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type {
  AssistantMessage,
  ChatMessage,
  Provider,
  ProviderConnection,
  ProviderError,
  ProviderRequest,
  ReasoningBlock,
  StopReason,
  StreamEvent,
  ToolCall,
  Usage,
} from '../types.js';
import { emptyAssistantMessage } from '../types.js';
import type { SseMessage } from '../../stream/sse-decode.js';
import { parseToolArguments } from '../tools.js';
import { classifyError, withoutKey } from './errors.js';
import { anthropicOptionParams } from './request-options.js';
import { sseBatches } from './sse-body.js';
import { createTransport, SDK_TIMEOUT_MS, type TransportState } from './transport.js';

const DEFAULT_MAX_TOKENS = 8192;
// A custom base URL (a proxy, a local server) may need no key, but the SDK refuses to send a
// request without one.
const PLACEHOLDER_KEY = 'hermes-no-key';
// In-stream `event: error` types worth repeating the request for (before any visible output).
const RETRYABLE_STREAM_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);
const ENDED_EARLY = 'the stream ended before the answer was complete';

export function createAnthropicProvider(connection: ProviderConnection): Provider {
  return {
    id: 'anthropic',
    stream: (request) => streamAnthropic(connection, request),
  };
}

async function* streamAnthropic(connection: ProviderConnection, request: ProviderRequest): AsyncGenerator<StreamEvent> {
  const transport = createTransport(connection);
  const message = emptyAssistantMessage();
  const fail = (err: unknown): StreamEvent => ({
    type: 'error',
    error: providerError(err, transport.state, request.signal, connection.apiKey),
    message,
  });

  try {
    // A fresh client per request: an aborted request never leaves state behind for the next.
    const client = new Anthropic({
      apiKey: connection.apiKey || (connection.baseURL ? PLACEHOLDER_KEY : undefined),
      baseURL: connection.baseURL,
      fetch: transport.fetch,
      maxRetries: 0, // the agent decides about retries (only before the first visible delta)
      timeout: SDK_TIMEOUT_MS,
      logLevel: 'off', // errors reach the user once, through our error event
    });
    const params = buildParams(request);

    if (!request.stream) {
      let response: Message;
      try {
        response = await client.messages.create({ ...params, stream: false }, { signal: request.signal });
      } catch (err) {
        yield fail(err);
        return;
      }
      yield* completeMessageEvents(response, message);
      return;
    }

    let finished = false;
    try {
      const response = await client.messages.create({ ...params, stream: true }, { signal: request.signal }).asResponse();
      const acc = new StreamAccumulator(message);
      for await (const batch of sseBatches(transport.bodyChunks(response))) {
        for (const event of streamEvents(batch, response.headers)) {
          if (finished) continue; // drain to the end so the connection can be reused
          switch (event.type) {
            case 'content_block_delta': {
              const delta = event.delta;
              if (delta.type === 'text_delta') {
                if (delta.text) {
                  message.content += delta.text;
                  yield { type: 'text', delta: delta.text };
                }
              } else {
                const out = acc.delta(event.index, delta);
                if (out) yield out;
              }
              break;
            }
            case 'content_block_start': {
              const out = acc.start(event);
              if (out) yield out;
              break;
            }
            case 'content_block_stop': {
              const out = acc.stop(event.index);
              if (out) yield out;
              break;
            }
            case 'message_start':
              acc.messageStart(event.message);
              break;
            case 'message_delta':
              acc.messageDelta(event);
              break;
            case 'message_stop': {
              // The stream's own end marker: only this makes the answer complete (rule 9).
              finished = true;
              const stopReason = mapStopReason(acc.stopReason);
              message.stopReason = stopReason;
              yield { type: 'usage', usage: acc.usage() };
              yield { type: 'done', stopReason, message };
              break;
            }
          }
        }
      }
    } catch (err) {
      // After message_stop the answer is whole; a late failure while draining changes nothing.
      if (!finished) yield fail(err);
      return;
    }
    if (finished) return;

    if (transport.state.jsonInsteadOfStream !== undefined && !request.signal.aborted) {
      yield* jsonAnswerEvents(transport.state.jsonInsteadOfStream, message, transport.state, request.signal, connection.apiKey);
      return;
    }
    // The body ended without message_stop: an abort or a dropped connection (rule 9).
    yield { type: 'error', error: endedEarly(transport.state, request.signal), message };
  } catch (err) {
    yield fail(err);
  } finally {
    transport.dispose();
  }
}

/**
 * The events of one network read, as the SDK's stream yields them: pings and nameless messages
 * skipped, `event: error` thrown as the SDK's APIError (so classification sees what it saw
 * before), a frame that is not JSON thrown.
 */
function* streamEvents(messages: readonly SseMessage[], headers: Headers): Generator<RawMessageStreamEvent> {
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
class StreamAccumulator {
  private readonly blocks: BlockState[] = [];
  private inputTokens = 0;
  private outputTokens = 0;
  private cacheReadTokens: number | undefined;
  private cacheWriteTokens: number | undefined;
  stopReason: string | null = null;

  constructor(private readonly message: AssistantMessage) {}

  messageStart(start: Message): void {
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
function* completeMessageEvents(response: Message, message: AssistantMessage): Generator<StreamEvent> {
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

/** The server answered `stream: true` with one JSON body (rule 4): emit it as one delta. */
function* jsonAnswerEvents(
  body: string,
  message: AssistantMessage,
  state: TransportState,
  signal: AbortSignal,
  apiKey: string | undefined,
): Generator<StreamEvent> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const record = parsed as { type?: unknown; content?: unknown; error?: unknown } | undefined;
  if (record && Array.isArray(record.content)) {
    yield* completeMessageEvents(record as Message, message);
    return;
  }
  if (record && record.type === 'error') {
    // Same shape as an in-stream `event: error`, which the SDK turns into an APIError.
    yield { type: 'error', error: providerError({ error: record }, state, signal, apiKey), message };
    return;
  }
  yield {
    type: 'error',
    error: { kind: 'bad_request', message: 'the server answered with JSON that is not a message', retryable: false },
    message,
  };
}

function endedEarly(state: TransportState, signal: AbortSignal): ProviderError {
  const error = classifyError(new Error(ENDED_EARLY), state, signal);
  if (error.kind === 'aborted' || error.kind === 'stall') return error;
  return { kind: 'network', message: ENDED_EARLY, retryable: true };
}

/** classifyError, plus what only this wire knows: the in-stream error types, and key redaction. */
function providerError(err: unknown, state: TransportState, signal: AbortSignal, apiKey: string | undefined): ProviderError {
  let error = classifyError(err, state, signal);
  const streamType = inStreamErrorType(err);
  if (streamType !== undefined && error.kind !== 'aborted' && error.kind !== 'stall') {
    // `event: error` carries no HTTP status; its type says whether a repeat can help.
    const body = (err as { error: { error?: { message?: unknown } } }).error;
    const text = typeof body.error?.message === 'string' && body.error.message ? body.error.message : streamType;
    error = { kind: 'stream_error', message: text, retryable: RETRYABLE_STREAM_ERRORS.has(streamType) };
  }
  return withoutKey(error, apiKey);
}

/** The `error.type` of an in-stream error event ({"type":"error","error":{"type":...}}), if it is one. */
function inStreamErrorType(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; error?: unknown };
  if (e.status !== undefined || !e.error || typeof e.error !== 'object') return undefined;
  const body = e.error as { type?: unknown; error?: { type?: unknown } };
  if (body.type !== 'error' || !body.error || typeof body.error.type !== 'string') return undefined;
  return body.error.type;
}

function mapStopReason(reason: string | null | undefined): StopReason {
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

function buildParams(request: ProviderRequest): MessageCreateParamsBase {
  const params: MessageCreateParamsBase = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(request.messages),
  };
  if (request.system) params.system = request.system;
  if (request.tools.length > 0) {
    params.tools = request.tools.map(
      (tool): Tool => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.parameters as Tool.InputSchema,
      }),
    );
  }
  return Object.assign(params, anthropicOptionParams(request));
}

/** History in the Messages wire shape. Consecutive user-role turns are merged into one. */
export function toAnthropicMessages(history: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  const pushUser = (blocks: ContentBlockParam[] | string): void => {
    const last = out[out.length - 1];
    if (last?.role !== 'user') {
      out.push({ role: 'user', content: blocks });
      return;
    }
    const merged = typeof last.content === 'string' ? [textBlock(last.content)] : last.content;
    if (typeof blocks === 'string') merged.push(textBlock(blocks));
    else merged.push(...blocks);
    last.content = merged;
  };

  for (const entry of history) {
    switch (entry.role) {
      case 'user':
        pushUser(entry.content);
        break;
      case 'tool':
        pushUser([
          {
            type: 'tool_result',
            tool_use_id: entry.toolCallId,
            content: entry.content,
            ...(entry.isError ? { is_error: true } : {}),
          },
        ]);
        break;
      case 'assistant': {
        const content = assistantBlocks(entry);
        if (content) out.push({ role: 'assistant', content });
        break;
      }
    }
  }
  return out;
}

function textBlock(text: string): ContentBlockParam {
  return { type: 'text', text };
}

/** An assistant turn's blocks, or undefined when there is nothing the API would accept. */
function assistantBlocks(message: AssistantMessage): ContentBlockParam[] | undefined {
  // An interrupted turn with no text and no tool call has nothing to replay: empty text blocks
  // are rejected, and thinking alone is not a valid turn.
  if (!message.content && message.toolCalls.length === 0) return undefined;
  const blocks: ContentBlockParam[] = [];
  for (const reasoning of message.reasoningBlocks) {
    if (reasoning.redactedData !== undefined) blocks.push({ type: 'redacted_thinking', data: reasoning.redactedData });
    else if (reasoning.signature) blocks.push({ type: 'thinking', thinking: reasoning.text, signature: reasoning.signature });
  }
  if (message.content) blocks.push(textBlock(message.content));
  for (const call of message.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseToolArguments(call.arguments) ?? {} });
  }
  return blocks;
}
