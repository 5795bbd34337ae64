// Chat Completions assembly: chunks in, StreamEvents out (DESIGN.md rules 1, 2, 8). One code
// path for streamed chunks and for complete ChatCompletions (fed through as a single chunk).

import { APIError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { ThinkTagSplitter, type ThinkPart, type ThinkTagStart } from '../../stream/think-tags.js';
import type { AssistantMessage, ProviderError, StopReason, StreamEvent, Usage } from '../types.js';
import { emptyAssistantMessage } from '../types.js';
import { classifyError, withoutKey } from './errors.js';
import { splitCachedInput } from './openai-shared.js';
import type { TransportState } from './transport.js';

// ---------------------------------------------------------------------------------------------
// The wire shapes we read. Wider than the SDK's types: compatible servers add reasoning fields,
// Groq's x_groq.usage and error objects, and omit things the SDK marks required. The data is
// untrusted, so every field is optional and checked before use.

export interface WireToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export interface WireDelta {
  content?: string | null;
  reasoning_content?: string | null; // DeepSeek
  reasoning?: string | null; // OpenRouter, Groq, Ollama
  refusal?: string | null;
  tool_calls?: WireToolCallDelta[] | null;
}

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface WireChunk {
  /** The model that answered (a local server names the file it loaded, whatever was asked). */
  model?: unknown;
  choices?: { delta?: WireDelta | null; finish_reason?: string | null }[];
  usage?: WireUsage | null;
  x_groq?: { usage?: WireUsage | null } | null;
  error?: unknown;
}

/** A 200 answer that carries an error instead of choices (some proxies do this). */
export function completionFailure(body: unknown, headers?: Headers): Error | undefined {
  if (body === null || typeof body !== 'object') return malformedFrame();
  const record = body as { choices?: unknown; error?: unknown };
  if (Array.isArray(record.choices) || !record.error) return undefined;
  return new APIError(undefined, record.error as object, undefined, headers);
}

export function malformedFrame(): Error {
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

export function endedEarly(): Error {
  return new ConnectionClosedError('the stream ended before the answer was complete');
}

interface PendingCall {
  index: number;
  id: string;
  name: string;
  /** Argument fragments, joined once at the end. */
  parts: string[];
  started: boolean;
}

export class ChatAssembler {
  readonly message: AssistantMessage = emptyAssistantMessage();
  /** Events produced by the last chunk(); the caller drains and truncates it (no per-chunk array). */
  readonly out: StreamEvent[] = [];
  /** A finish_reason was seen. */
  complete = false;
  private finishReason: string | undefined;
  private usage: WireUsage | undefined;
  private readonly splitter: ThinkTagSplitter;
  private readonly calls: PendingCall[] = [];
  private readonly slots: (PendingCall | undefined)[] = [];

  /**
   * @param apiKey never allowed into an error message, even when a server echoes it.
   * @param thinkTags how `<think>` tags in the content are read (think-tags.ts).
   */
  constructor(
    private readonly apiKey: string | undefined,
    thinkTags: ThinkTagStart = 'text',
  ) {
    this.splitter = new ThinkTagSplitter(thinkTags);
  }

  /** Takes one chunk; true when it carried some of the answer (not an empty or keepalive delta). */
  chunk(chunk: WireChunk): boolean {
    if (chunk === null || typeof chunk !== 'object') return false;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.message.model = chunk.model;
    const usage = chunk.usage ?? chunk.x_groq?.usage;
    if (usage) this.usage = usage;
    const choice = chunk.choices?.[0];
    if (!choice) return false;
    const delta = choice.delta;
    let progressed = false;
    if (delta) {
      const reasoning = delta.reasoning_content || delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') {
        progressed = true;
        // Reasoning in its own field: the server parsed the tags, the content is plain text.
        this.splitter.leaveImplicit();
        this.reasoning(reasoning);
      }
      const content = delta.content;
      if (typeof content === 'string' && content !== '') {
        progressed = true;
        this.text(content);
      }
      const refusal = delta.refusal;
      if (typeof refusal === 'string' && refusal !== '') {
        progressed = true;
        this.refusal(refusal);
      }
      const toolCalls = delta.tool_calls;
      if (toolCalls && this.toolCalls(toolCalls)) progressed = true;
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.complete = true;
    }
    return progressed;
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
    for (const part of this.splitter.flush()) this.emitPart(part);
    const message = this.message;
    // An entry with neither name nor arguments (`tool_calls: [{}]`, sent by some servers next to
    // a plain answer) is no call at all: running it would cost a request for nothing.
    const calls = this.calls.filter((call) => call.name !== '' || call.parts.length > 0).sort((a, b) => a.index - b.index);
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
    for (const part of this.splitter.push(delta)) this.emitPart(part);
  }

  private reasoning(delta: string): void {
    this.message.reasoning += delta;
    this.out.push({ type: 'reasoning', delta });
  }

  private emitPart(part: ThinkPart): void {
    if (part.kind === 'reasoning') {
      this.reasoning(part.text);
      return;
    }
    const message = this.message;
    if (part.retracted && message.reasoning.endsWith(part.retracted)) {
      // It streamed as reasoning but was the answer: the message keeps it once, as the answer.
      message.reasoning = message.reasoning.slice(0, message.reasoning.length - part.retracted.length);
    }
    message.content += part.text;
    this.out.push({ type: 'text', delta: part.text });
  }

  private refusal(delta: string): void {
    // Shown as the answer: the user must see why there is none.
    this.message.refusal = (this.message.refusal ?? '') + delta;
    this.message.content += delta;
    this.out.push({ type: 'text', delta });
  }

  /** True when some delta carried an id, a name or arguments. */
  private toolCalls(deltas: WireToolCallDelta[]): boolean {
    let progressed = false;
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
      if (id !== undefined) progressed = true;
      const fn = delta.function;
      if (fn) {
        // Assigned, not concatenated: some servers repeat the name in every fragment.
        if (typeof fn.name === 'string' && fn.name !== '') {
          call.name = fn.name;
          progressed = true;
        }
        if (typeof fn.arguments === 'string' && fn.arguments !== '') {
          call.parts.push(fn.arguments);
          progressed = true;
        }
      }
      if (!call.started && call.id !== '' && call.name !== '') {
        call.started = true;
        this.out.push({ type: 'tool_call_start', id: call.id, name: call.name });
      }
    }
    return progressed;
  }

  private stopReason(): StopReason {
    if (this.message.refusal) return 'refusal';
    const hasCalls = this.message.toolCalls.length > 0;
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
  const record = completion as unknown as { choices?: unknown; usage?: WireUsage | null; model?: unknown };
  const choice = Array.isArray(record.choices)
    ? (record.choices[0] as { message?: Record<string, unknown> | null; finish_reason?: string | null } | undefined)
    : undefined;
  const message = choice?.message;
  const chunk: WireChunk = { model: record.model, usage: record.usage ?? null, choices: [] };
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
  return splitCachedInput(usage, raw.prompt_tokens_details?.cached_tokens);
}
