// The OpenAI Chat Completions adapter: OpenAI itself and every OpenAI-compatible server
// (Groq, DeepSeek, OpenRouter, Vercel AI Gateway, Ollama, llama.cpp, vLLM, LM Studio…).
// It turns the wire stream into the normalised StreamEvents (DESIGN.md rules 1, 2, 4, 7, 8, 9).

import { APIError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { ThinkTagSplitter } from '../../stream/think-tags.js';
import type {
  AssistantMessage,
  Provider,
  ProviderConnection,
  ProviderError,
  ProviderRequest,
  StopReason,
  StreamEvent,
  Usage,
} from '../types.js';
import { emptyAssistantMessage } from '../types.js';
import { classifyError, serverMessage, withoutKey } from './errors.js';
import { createOpenAIClient, isOfficialOpenAI } from './openai-shared.js';
import { chatOptionParams } from './request-options.js';
import { sseBatches } from './sse-body.js';
import { createTransport, type Transport, type TransportState } from './transport.js';

// ---------------------------------------------------------------------------------------------
// The wire shapes we read. Wider than the SDK's types: compatible servers add reasoning fields,
// Groq's x_groq.usage and error objects, and omit things the SDK marks required. The data is
// untrusted, so every field is optional and checked before use.

interface WireToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

interface WireDelta {
  content?: string | null;
  reasoning_content?: string | null; // DeepSeek
  reasoning?: string | null; // OpenRouter, Groq, Ollama
  refusal?: string | null;
  tool_calls?: WireToolCallDelta[] | null;
}

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

interface WireChunk {
  choices?: { delta?: WireDelta | null; finish_reason?: string | null }[];
  usage?: WireUsage | null;
  x_groq?: { usage?: WireUsage | null } | null;
  error?: unknown;
}

// ---------------------------------------------------------------------------------------------

/** Per-session memory of what this server rejected. */
interface SessionQuirks {
  /** false once the server refused `stream_options`: leave it out for the rest of the session. */
  streamOptions: boolean;
}

export function createOpenAIProvider(connection: ProviderConnection): Provider {
  const quirks: SessionQuirks = { streamOptions: true };
  return {
    id: 'openai',
    stream: (request) => streamChat(connection, quirks, request),
  };
}

async function* streamChat(
  connection: ProviderConnection,
  quirks: SessionQuirks,
  request: ProviderRequest,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { signal } = request;
  const asm = new ChatAssembler(connection.apiKey);
  let transport: Transport | undefined;
  try {
    // ---- open the request (the only phase that may be repeated) ----
    let withOptions = request.stream && quirks.streamOptions;
    let optionsOnProbation = false;
    let response: Response | undefined;
    let completion: ChatCompletion | undefined;
    for (;;) {
      transport?.dispose();
      transport = createTransport(connection);
      try {
        const client = createOpenAIClient(connection, transport);
        if (request.stream) {
          response = await client.chat.completions
            .create(streamingParams(request, connection, withOptions), { signal })
            .asResponse();
        } else {
          completion = await client.chat.completions.create(plainParams(request, connection), { signal });
        }
        break;
      } catch (err) {
        const blame = withOptions && !signal.aborted ? streamOptionsBlame(err) : undefined;
        if (blame) {
          // Repeat once without stream_options. When the server named it, it is certainly the
          // culprit; after an unspecific 400/422 we only learn it if the repeat succeeds, so a
          // plain bad request (context too long, unknown model) costs one extra request but
          // does not cost usage reporting for the rest of the session.
          withOptions = false;
          if (blame === 'certain') quirks.streamOptions = false;
          else optionsOnProbation = true;
          continue;
        }
        const streamingRejected = request.stream && rejectsStreaming(err);
        yield asm.fail(err, transport.state, signal, streamingRejected);
        return;
      }
    }
    if (optionsOnProbation) quirks.streamOptions = false;

    if (completion) {
      const failure = completionFailure(completion);
      if (failure) yield asm.fail(failure, transport.state, signal);
      else yield* asm.completion(completion);
      return;
    }

    // ---- read the stream ----
    const state = transport.state;
    const res = response!;
    let sawDone = false;
    try {
      // Our own SSE decoder over the body, not the SDK's Stream: that one swallows `[DONE]` and
      // ends quietly on an abort, which rule 9 must not mistake for a finished answer, and its
      // decoder copies its buffer once per event (quadratic in a large network read).
      read: for await (const batch of sseBatches(transport.bodyChunks(res))) {
        for (const sse of batch) {
          const data = sse.data;
          if (data.startsWith('[DONE]')) {
            sawDone = true;
            break read;
          }
          let chunk: WireChunk;
          try {
            chunk = JSON.parse(data) as WireChunk;
          } catch {
            throw malformedFrame();
          }
          if (sse.event === 'error' || (chunk !== null && typeof chunk === 'object' && chunk.error)) {
            // An error frame (Groq's `event: error`, OpenRouter's chunk with `error`): the SDK's
            // own Stream throws exactly this, status undefined and .error set.
            const body = chunk !== null && typeof chunk === 'object' && chunk.error ? chunk.error : chunk;
            throw new APIError(undefined, body as object, undefined, res.headers);
          }
          asm.chunk(chunk);
          const out = asm.out;
          if (out.length !== 0) {
            for (let i = 0; i < out.length; i++) yield out[i]!;
            out.length = 0;
          }
        }
      }
    } catch (err) {
      // After a finish_reason the answer is whole; a connection that then drops or goes quiet
      // (before usage or [DONE]) costs nothing worth an error.
      const error = classifyError(err, state, signal);
      if (asm.complete && (error.kind === 'network' || error.kind === 'stall')) {
        yield* asm.finish();
        return;
      }
      yield asm.failWith(error);
      return;
    }

    if (!sawDone && state.jsonInsteadOfStream !== undefined) {
      // The server answered `stream: true` with one complete JSON body (rule 4).
      let body: unknown;
      try {
        body = JSON.parse(state.jsonInsteadOfStream);
      } catch {
        yield asm.fail(malformedFrame(), state, signal);
        return;
      }
      const failure = completionFailure(body, res.headers);
      if (failure) yield asm.fail(failure, state, signal);
      else yield* asm.completion(body as ChatCompletion);
      return;
    }

    if (!sawDone && !asm.complete) {
      // Rule 9: the iterator ending is not an end marker (abort, dropped connection).
      yield asm.fail(endedEarly(), state, signal);
      return;
    }
    yield* asm.finish();
  } catch (err) {
    // Nothing above should throw, but the contract is: never throw, always end with one event.
    yield asm.fail(err, transport?.state, signal);
  } finally {
    transport?.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Request building

function toWireMessages(request: ProviderRequest): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const m of request.messages) {
    switch (m.role) {
      case 'user':
        messages.push({ role: 'user', content: m.content });
        break;
      case 'assistant': {
        const content = m.content || m.refusal || '';
        if (m.toolCalls.length === 0) {
          messages.push({ role: 'assistant', content });
        } else {
          messages.push({
            role: 'assistant',
            // null rather than '': some gateways reject an empty text part next to tool calls.
            content: content || null,
            tool_calls: m.toolCalls.map((call) => ({
              id: call.id,
              type: 'function' as const,
              function: { name: call.name, arguments: call.arguments },
            })),
          });
        }
        break;
      }
      case 'tool':
        messages.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
        break;
    }
  }
  return messages;
}

interface CommonParams {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  max_tokens?: number;
  max_completion_tokens?: number;
}

function commonParams(request: ProviderRequest, connection: ProviderConnection): CommonParams {
  const params: CommonParams = { model: request.model, messages: toWireMessages(request) };
  if (request.tools.length > 0) {
    params.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  if (request.maxOutputTokens !== undefined) {
    // OpenAI's newer models reject max_tokens; many compatible servers only know max_tokens.
    if (isOfficialOpenAI(connection)) params.max_completion_tokens = request.maxOutputTokens;
    else params.max_tokens = request.maxOutputTokens;
  }
  return Object.assign(params, chatOptionParams(request));
}

function streamingParams(
  request: ProviderRequest,
  connection: ProviderConnection,
  withOptions: boolean,
): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = { ...commonParams(request, connection), stream: true };
  if (withOptions) params.stream_options = { include_usage: true };
  return params;
}

function plainParams(request: ProviderRequest, connection: ProviderConnection): ChatCompletionCreateParamsNonStreaming {
  return { ...commonParams(request, connection), stream: false };
}

// ---------------------------------------------------------------------------------------------
// Recognising what a server refused

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(err: unknown): string {
  const e = err as { error?: unknown; message?: unknown } | null;
  return serverMessage(e?.error) ?? (typeof e?.message === 'string' ? e.message : '');
}

function mentionsStreamOptions(err: unknown): boolean {
  return /stream_options|include_usage/i.test(messageOf(err));
}

const MENTIONS_STREAMING = /\bstream(ing)?\b/i;

/**
 * Whether a refused request may have been refused for its stream_options: 'certain' when the
 * server names it, 'maybe' for a 400/422 that names nothing we can use. A message about
 * streaming itself is not blamed on the options: that is a streaming rejection (rejectsStreaming).
 */
function streamOptionsBlame(err: unknown): 'certain' | 'maybe' | undefined {
  const status = statusOf(err);
  if (status !== 400 && status !== 422 && status !== 501) return undefined;
  if (mentionsStreamOptions(err)) return 'certain';
  if (status === 501 || MENTIONS_STREAMING.test(messageOf(err))) return undefined;
  return 'maybe';
}

function rejectsStreaming(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== 400 && status !== 422 && status !== 501) return false;
  return MENTIONS_STREAMING.test(messageOf(err));
}

/** A 200 answer that carries an error instead of choices (some proxies do this). */
function completionFailure(body: unknown, headers?: Headers): Error | undefined {
  if (body === null || typeof body !== 'object') return malformedFrame();
  const record = body as { choices?: unknown; error?: unknown };
  if (Array.isArray(record.choices) || !record.error) return undefined;
  return new APIError(undefined, record.error as object, undefined, headers);
}

function malformedFrame(): Error {
  // `.error` makes classifyError report it as a stream error; the frame itself (model output,
  // untrusted) is not echoed.
  return Object.assign(new Error('the server sent a malformed stream frame'), {
    error: { message: 'the server sent a malformed stream frame (not JSON)' },
  });
}

/** The connection ended cleanly but before the answer did: a retryable network failure. */
class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
}

function endedEarly(): Error {
  return new ConnectionClosedError('the stream ended before the answer was complete');
}

// ---------------------------------------------------------------------------------------------
// Assembly: chunks in, StreamEvents out. One code path for streamed chunks and for complete
// ChatCompletions (which are fed through as a single chunk).

interface PendingCall {
  index: number;
  id: string;
  name: string;
  /** Argument fragments, joined once at the end. */
  parts: string[];
  started: boolean;
}

class ChatAssembler {
  readonly message: AssistantMessage = emptyAssistantMessage();
  /** Events produced by the last chunk(); the caller drains and truncates it (no per-chunk array). */
  readonly out: StreamEvent[] = [];
  /** A finish_reason was seen. */
  complete = false;
  private finishReason: string | undefined;
  private usage: WireUsage | undefined;
  private readonly splitter = new ThinkTagSplitter();
  private readonly calls: PendingCall[] = [];
  private readonly slots: (PendingCall | undefined)[] = [];

  /** @param apiKey never allowed into an error message, even when a server echoes it. */
  constructor(private readonly apiKey: string | undefined) {}

  chunk(chunk: WireChunk): void {
    if (chunk === null || typeof chunk !== 'object') return;
    const usage = chunk.usage ?? chunk.x_groq?.usage;
    if (usage) this.usage = usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta;
    if (delta) {
      const reasoning = delta.reasoning_content || delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') this.reasoning(reasoning);
      const content = delta.content;
      if (typeof content === 'string' && content !== '') this.text(content);
      const refusal = delta.refusal;
      if (typeof refusal === 'string' && refusal !== '') this.refusal(refusal);
      const toolCalls = delta.tool_calls;
      if (toolCalls) this.toolCalls(toolCalls);
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.complete = true;
    }
  }

  /** A complete, non-streamed answer: emitted as one delta, then usage and done. */
  completion(completion: ChatCompletion): StreamEvent[] {
    this.chunk(completionAsChunk(completion));
    this.complete = true;
    const events = this.out.slice();
    this.out.length = 0;
    for (const event of this.finish()) events.push(event);
    return events;
  }

  /** The end marker was seen: release held text, the tool calls, usage and `done`. */
  finish(): StreamEvent[] {
    const events = this.out;
    for (const part of this.splitter.flush()) this.emitPart(part.kind, part.text);
    const message = this.message;
    const calls = this.calls.slice().sort((a, b) => a.index - b.index);
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i]!;
      // Some local servers send no id; the next request needs one to pair the tool result.
      if (!call.id) call.id = `call_${i}`;
      if (!call.started) events.push({ type: 'tool_call_start', id: call.id, name: call.name });
      const args = call.parts.join('');
      const toolCall = { id: call.id, name: call.name, arguments: args === '' ? '{}' : args };
      message.toolCalls.push(toolCall);
      events.push({ type: 'tool_call', ...toolCall });
    }
    if (this.usage) events.push({ type: 'usage', usage: mapUsage(this.usage) });
    const stopReason = this.stopReason();
    message.stopReason = stopReason;
    events.push({ type: 'done', stopReason, message });
    return events.splice(0);
  }

  fail(err: unknown, state: TransportState | undefined, signal: AbortSignal, streamingRejected = false): StreamEvent {
    const error = classifyError(err, state, signal);
    if (streamingRejected) error.streamingRejected = true;
    return this.failWith(error);
  }

  failWith(error: ProviderError): StreamEvent {
    // The partial answer is kept as it was shown: held-back text and unfinished tool calls
    // (whose arguments may be cut off) are not part of it.
    error = withoutKey(error, this.apiKey);
    const message = this.message;
    if (error.kind === 'aborted') message.interrupted = true;
    else message.error = error.message;
    return { type: 'error', error, message };
  }

  private text(delta: string): void {
    if (this.splitter.passthrough(delta)) {
      this.message.content += delta;
      this.out.push({ type: 'text', delta });
      return;
    }
    for (const part of this.splitter.push(delta)) this.emitPart(part.kind, part.text);
  }

  private reasoning(delta: string): void {
    this.message.reasoning += delta;
    this.out.push({ type: 'reasoning', delta });
  }

  private emitPart(kind: 'text' | 'reasoning', delta: string): void {
    if (kind === 'reasoning') {
      this.reasoning(delta);
    } else {
      this.message.content += delta;
      this.out.push({ type: 'text', delta });
    }
  }

  private refusal(delta: string): void {
    // Shown as the answer: the user must see why there is none.
    this.message.refusal = (this.message.refusal ?? '') + delta;
    this.message.content += delta;
    this.out.push({ type: 'text', delta });
  }

  private toolCalls(deltas: WireToolCallDelta[]): void {
    for (const delta of deltas) {
      if (!delta || typeof delta !== 'object') continue;
      const id = typeof delta.id === 'string' && delta.id !== '' ? delta.id : undefined;
      const index = typeof delta.index === 'number' ? delta.index : undefined;
      let call = index !== undefined ? this.slots[index] : this.calls[this.calls.length - 1];
      // A new id at an index that already holds a call is a new call (Ollama reuses index 0).
      if (!call || (id !== undefined && call.id !== '' && call.id !== id)) {
        call = { index: index ?? this.calls.length, id: id ?? '', name: '', parts: [], started: false };
        this.calls.push(call);
        if (index !== undefined) this.slots[index] = call;
      } else if (id !== undefined && call.id === '') {
        call.id = id;
      }
      const fn = delta.function;
      if (fn) {
        // Assigned, not concatenated: some servers repeat the name in every fragment.
        if (typeof fn.name === 'string' && fn.name !== '') call.name = fn.name;
        if (typeof fn.arguments === 'string' && fn.arguments !== '') call.parts.push(fn.arguments);
      }
      if (!call.started && call.id !== '' && call.name !== '') {
        call.started = true;
        this.out.push({ type: 'tool_call_start', id: call.id, name: call.name });
      }
    }
  }

  private stopReason(): StopReason {
    if (this.message.refusal) return 'refusal';
    const hasCalls = this.calls.length > 0;
    switch (this.finishReason) {
      case 'length':
        return 'length';
      case 'content_filter':
        return 'content_filter';
      case 'tool_calls':
      case 'function_call':
        return 'tool_calls';
      case 'stop':
      case undefined:
        // Some servers (Ollama) say "stop" while handing over tool calls.
        return hasCalls ? 'tool_calls' : 'stop';
      default:
        return hasCalls ? 'tool_calls' : 'other';
    }
  }
}

function completionAsChunk(completion: ChatCompletion): WireChunk {
  const record = completion as unknown as { choices?: unknown; usage?: WireUsage | null };
  const choice = Array.isArray(record.choices)
    ? (record.choices[0] as { message?: Record<string, unknown> | null; finish_reason?: string | null } | undefined)
    : undefined;
  const message = choice?.message;
  const chunk: WireChunk = { usage: record.usage ?? null, choices: [] };
  if (!message) return chunk;
  const toolCalls: WireToolCallDelta[] = [];
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call: { id?: string; function?: { name?: string; arguments?: string } }, index) => {
      if (call && typeof call === 'object' && call.function) {
        toolCalls.push({ index, id: call.id ?? null, function: call.function });
      }
    });
  }
  chunk.choices!.push({
    delta: {
      content: message.content as string | null | undefined,
      reasoning_content: message.reasoning_content as string | null | undefined,
      reasoning: message.reasoning as string | null | undefined,
      refusal: message.refusal as string | null | undefined,
      tool_calls: toolCalls,
    },
    finish_reason: choice?.finish_reason ?? null,
  });
  return chunk;
}

function mapUsage(raw: WireUsage): Usage {
  const usage: Usage = {
    inputTokens: typeof raw.prompt_tokens === 'number' ? raw.prompt_tokens : 0,
    outputTokens: typeof raw.completion_tokens === 'number' ? raw.completion_tokens : 0,
  };
  const reasoning = raw.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoningTokens = reasoning;
  const cached = raw.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') usage.cacheReadTokens = cached;
  return usage;
}
