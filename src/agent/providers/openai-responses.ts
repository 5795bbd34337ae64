// The OpenAI Responses API (/v1/responses) as a source of StreamEvents. Stateless on purpose
// (store: false): every request carries the whole history, so nothing lives on the server that
// an interrupted or retried turn could leave inconsistent.

import OpenAI from 'openai';
import type {
  FunctionTool,
  Response as ApiResponse,
  ResponseCreateParamsBase,
  ResponseInputItem,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses.js';
import type { SseMessage } from '../../stream/sse-decode.js';
import {
  emptyAssistantMessage,
  type AssistantMessage,
  type ChatMessage,
  type Provider,
  type ProviderConnection,
  type ProviderError,
  type ProviderRequest,
  type StopReason,
  type StreamEvent,
  type Usage,
} from '../types.js';
import { classifyError, withoutKey } from './errors.js';
import { createOpenAIClient, isOfficialOpenAI, splitCachedInput } from './openai-shared.js';
import { responsesOptionParams } from './request-options.js';
import { sseBatches } from './sse-body.js';
import { createTransport, type TransportState } from './transport.js';

// Models that produce reasoning and accept `reasoning.summary`; sending it to others is a 400.
// gpt-5-chat-* is a non-reasoning model despite the prefix.
const REASONING_MODEL = /^(?:[\w.-]+\/)?(?:o[134](?:-|$)|gpt-5(?![\w.-]*-chat))/i;

export function createOpenAIResponsesProvider(connection: ProviderConnection): Provider {
  return {
    id: 'openai-responses',
    stream: (request) => streamResponse(connection, request),
  };
}

export function isReasoningModel(model: string): boolean {
  return REASONING_MODEL.test(model);
}

function buildRequest(request: ProviderRequest): ResponseCreateParamsBase {
  const body: ResponseCreateParamsBase = {
    model: request.model,
    input: toInput(request.messages),
    store: false,
  };
  if (request.system !== undefined && request.system !== '') body.instructions = request.system;
  if (request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): FunctionTool => ({
        type: 'function',
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters,
        strict: false,
      }),
    );
  }
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  if (isReasoningModel(request.model)) body.reasoning = { summary: 'auto' };
  return Object.assign(body, responsesOptionParams(request));
}

function toInput(messages: ChatMessage[]): ResponseInputItem[] {
  const input: ResponseInputItem[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      input.push({ role: 'user', content: message.content });
    } else if (message.role === 'assistant') {
      if (message.content !== '') input.push({ role: 'assistant', content: message.content });
      for (const call of message.toolCalls) {
        input.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
      }
    } else {
      input.push({ type: 'function_call_output', call_id: message.toolCallId, output: message.content });
    }
  }
  return input;
}

interface PendingCall {
  id: string;
  name: string;
  /** Argument fragments, joined once when the call is complete. */
  fragments: string[];
  emitted: boolean;
}

/** What one turn has assembled so far; shared by the streaming and the one-response paths. */
class Turn {
  readonly message: AssistantMessage = emptyAssistantMessage();
  /** Function calls by output item id (the fragments' key); call ids come from the item. */
  readonly calls = new Map<string, PendingCall>();
  finished = false;
  private reasoningItem: string | undefined;
  private reasoningPart = -1;

  constructor(
    private readonly state: TransportState,
    private readonly signal: AbortSignal,
    private readonly apiKey: string | undefined,
  ) {}

  /** Separate reasoning parts with a blank line, so two summaries do not run together. */
  reasoningDelta(itemId: string, part: number, delta: string): string {
    if (itemId !== this.reasoningItem || part !== this.reasoningPart) {
      this.reasoningItem = itemId;
      this.reasoningPart = part;
      if (this.message.reasoning !== '') delta = '\n\n' + delta;
    }
    this.message.reasoning += delta;
    return delta;
  }

  callStarted(itemId: string, id: string, name: string): PendingCall {
    const call: PendingCall = { id, name, fragments: [], emitted: false };
    this.calls.set(itemId, call);
    return call;
  }

  /** The complete call; `fullArguments` (from a done event) wins over the joined fragments. */
  callDone(call: PendingCall, fullArguments: string | undefined): StreamEvent {
    call.emitted = true;
    const args = typeof fullArguments === 'string' && fullArguments !== '' ? fullArguments : call.fragments.join('');
    call.fragments.length = 0;
    this.message.toolCalls.push({ id: call.id, name: call.name, arguments: args });
    return { type: 'tool_call', id: call.id, name: call.name, arguments: args };
  }

  done(stopReason: StopReason): StreamEvent {
    this.finished = true;
    this.message.stopReason = stopReason;
    return { type: 'done', stopReason, message: this.message };
  }

  fail(err: unknown): StreamEvent {
    this.finished = true;
    const error = this.classify(err);
    if (error.kind === 'aborted') this.message.interrupted = true;
    else if (this.message.content !== '') this.message.error = error.message;
    return { type: 'error', error, message: this.message };
  }

  /** An error the server reported inside the stream (`error` event, response.failed). */
  failReported(body: { code?: unknown; message?: unknown; type?: unknown } | null | undefined): StreamEvent {
    const reported = body && typeof body.message === 'string' ? body : { code: 'failed', message: 'the response failed' };
    // Only the body goes in: the classifier must not read network words out of server prose.
    return this.fail({ error: reported, code: reported.code });
  }

  /** The iterator ended without response.completed: an abort, a watchdog, or a cut stream. */
  failUnfinished(): StreamEvent {
    if (this.signal.aborted || this.state.tripped) return this.fail(undefined);
    this.finished = true;
    const error: ProviderError = { kind: 'network', message: 'the stream ended before the answer was complete', retryable: true };
    if (this.message.content !== '') this.message.error = error.message;
    return { type: 'error', error, message: this.message };
  }

  private classify(err: unknown): ProviderError {
    // The SDK throws an in-stream `{"error": {...}}` event as an APIError without a status;
    // hand the classifier only its body, as for the events we see ourselves.
    let subject = err;
    if (err instanceof OpenAI.APIError && err.status === undefined && err.error !== undefined && err.error !== null) {
      subject = { error: err.error };
    }
    const error = classifyError(subject, this.state, this.signal);
    // A spent quota comes back as 429 or as a stream error; waiting will not refill it.
    const code = (err as { code?: unknown } | undefined)?.code ?? (err as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (code === 'insufficient_quota') {
      error.retryable = false;
      delete error.retryAfterMs;
    }
    return withoutKey(error, this.apiKey);
  }
}

async function* streamResponse(connection: ProviderConnection, request: ProviderRequest): AsyncGenerator<StreamEvent> {
  const transport = createTransport(connection);
  const { signal } = request;
  const turn = new Turn(transport.state, signal, connection.apiKey);
  const message = turn.message;
  try {
    const client = createOpenAIClient(connection, transport);
    const body = buildRequest(request);
    if (request.cache?.key && isOfficialOpenAI(connection)) body.prompt_cache_key = request.cache.key;

    if (!request.stream) {
      const response = await client.responses.create({ ...body, stream: false }, { signal });
      for (const event of completeResponseEvents(response, turn)) yield event;
      return;
    }

    // The SDK sends the request; the body's events are read with our SSE decoder (sse-body.ts).
    const response = await client.responses.create({ ...body, stream: true }, { signal }).asResponse();
    const sawDone = { done: false };
    for await (const batch of sseBatches(transport.bodyChunks(response))) {
      for (const event of responseEvents(batch, response.headers, sawDone)) {
        if (carriesAnswer(event)) transport.progress();
        switch (event.type) {
          case 'response.output_text.delta': {
            const delta = event.delta;
            if (delta) {
              message.content += delta;
              yield { type: 'text', delta };
            }
            break;
          }
          case 'response.reasoning_summary_text.delta':
            if (event.delta) yield { type: 'reasoning', delta: turn.reasoningDelta(event.item_id, event.summary_index, event.delta) };
            break;
          case 'response.reasoning_text.delta':
            if (event.delta) yield { type: 'reasoning', delta: turn.reasoningDelta(event.item_id, event.content_index, event.delta) };
            break;
          case 'response.function_call_arguments.delta': {
            const call = turn.calls.get(event.item_id);
            if (call && !call.emitted && event.delta) call.fragments.push(event.delta);
            break;
          }
          case 'response.output_item.added': {
            const item = event.item;
            if (item.type === 'function_call') {
              turn.callStarted(item.id ?? item.call_id, item.call_id, item.name);
              yield { type: 'tool_call_start', id: item.call_id, name: item.name };
            }
            break;
          }
          case 'response.function_call_arguments.done': {
            const call = turn.calls.get(event.item_id);
            if (call && !call.emitted) yield turn.callDone(call, event.arguments);
            break;
          }
          case 'response.output_item.done': {
            const item = event.item;
            if (item.type !== 'function_call') break;
            let call = turn.calls.get(item.id ?? item.call_id);
            if (!call) {
              // A server that skipped output_item.added: the item itself is complete.
              call = turn.callStarted(item.id ?? item.call_id, item.call_id, item.name);
              yield { type: 'tool_call_start', id: item.call_id, name: item.name };
            }
            if (!call.emitted) yield turn.callDone(call, item.arguments);
            break;
          }
          case 'response.refusal.delta': {
            const delta = event.delta;
            if (delta) {
              message.refusal = (message.refusal ?? '') + delta;
              message.content += delta;
              yield { type: 'text', delta };
            }
            break;
          }
          case 'response.completed':
          case 'response.incomplete':
          case 'response.failed':
            for (const end of endEvents(event.response, turn)) yield end;
            return;
          case 'error':
            yield turn.failReported(event);
            return;
        }
      }
    }

    const json = transport.state.jsonInsteadOfStream;
    if (json !== undefined) {
      for (const event of completeResponseEvents(parseResponse(json), turn)) yield event;
      return;
    }
    // Completeness comes from response.completed, never from the body ending (a server that
    // closes the connection early, or sends [DONE] first).
    yield turn.failUnfinished();
  } catch (err) {
    if (!turn.finished) yield turn.fail(err);
  } finally {
    transport.dispose();
  }
}

/**
 * The events of one network read, as the SDK's stream yields them: nothing after `[DONE]`; a
 * frame whose JSON holds `error` thrown as the SDK's APIError (so classification sees what it
 * saw before); a frame that is not JSON thrown.
 */
function* responseEvents(messages: readonly SseMessage[], headers: Headers, state: { done: boolean }): Generator<ResponseStreamEvent> {
  for (const sse of messages) {
    if (state.done) return;
    if (sse.data.startsWith('[DONE]')) {
      state.done = true;
      return;
    }
    const data = JSON.parse(sse.data) as ResponseStreamEvent & { error?: unknown };
    if (data && data.error) throw new OpenAI.APIError(undefined, data.error as object, undefined, headers);
    yield data;
  }
}

/** Some of the answer (a non-empty delta, a new output item), not an empty or bookkeeping event. */
function carriesAnswer(event: ResponseStreamEvent): boolean {
  if (event.type === 'response.output_item.added') return true;
  return event.type.endsWith('.delta') && !!(event as { delta?: unknown }).delta;
}

function parseResponse(json: string): ApiResponse {
  const parsed = JSON.parse(json) as ApiResponse;
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.output)) {
    throw new Error('the server answered with JSON that is not a response');
  }
  return parsed;
}

/** A complete Response (non-streaming, or JSON where a stream was asked for) as events. */
function completeResponseEvents(response: ApiResponse, turn: Turn): StreamEvent[] {
  const events: StreamEvent[] = [];
  const message = turn.message;
  let text = '';
  let refusal = '';
  let reasoning = '';
  const calls: StreamEvent[] = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) {
        if (part.type === 'output_text') text += part.text ?? '';
        else if (part.type === 'refusal') refusal += part.refusal ?? '';
      }
    } else if (item.type === 'reasoning') {
      const parts = [...(item.summary ?? []), ...(item.content ?? [])];
      for (const part of parts) {
        if (!part.text) continue;
        reasoning += (reasoning === '' ? '' : '\n\n') + part.text;
      }
    } else if (item.type === 'function_call') {
      const call = turn.callStarted(item.id ?? item.call_id, item.call_id, item.name);
      calls.push({ type: 'tool_call_start', id: item.call_id, name: item.name }, turn.callDone(call, item.arguments));
    }
  }
  if (reasoning !== '') {
    message.reasoning = reasoning;
    events.push({ type: 'reasoning', delta: reasoning });
  }
  const visible = text + refusal;
  if (visible !== '') {
    message.content = visible;
    if (refusal !== '') message.refusal = refusal;
    events.push({ type: 'text', delta: visible });
  }
  events.push(...calls);
  events.push(...endEvents(response, turn));
  return events;
}

/** Usage and the one terminal event, from the final state of a response. */
function endEvents(response: ApiResponse, turn: Turn): StreamEvent[] {
  const events: StreamEvent[] = [];
  if (typeof response.model === 'string' && response.model !== '') turn.message.model = response.model;
  if (response.usage) events.push({ type: 'usage', usage: toUsage(response.usage) });
  if (response.status === 'failed') {
    events.push(turn.failReported(response.error));
  } else if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    events.push(turn.done(reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content_filter' : 'other'));
  } else {
    const message = turn.message;
    events.push(turn.done(message.toolCalls.length > 0 ? 'tool_calls' : message.refusal ? 'refusal' : 'stop'));
  }
  return events;
}

function toUsage(raw: ResponseUsage): Usage {
  const usage: Usage = { inputTokens: raw.input_tokens ?? 0, outputTokens: raw.output_tokens ?? 0 };
  const reasoning = raw.output_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoningTokens = reasoning;
  return splitCachedInput(usage, raw.input_tokens_details?.cached_tokens, raw.input_tokens_details?.cache_write_tokens);
}
