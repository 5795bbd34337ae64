// The normalised shapes every layer above the provider adapters speaks (see DESIGN.md).
// Nothing here knows a wire format.

import type { ThinkTagSetting } from '../stream/think-tags.js';

export type ProviderId = 'openai' | 'anthropic' | 'openai-responses';

/**
 * Tokens of one request (or a sum of them). Input is split as Anthropic bills it: inputTokens
 * is what was neither read from nor written to the prompt cache, so a request's whole input is
 * inputTokens + cacheReadTokens + cacheWriteTokens (OpenAI's prompt_tokens, which include the
 * cached ones, are split to match).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Some of it is hermes' estimate (an interrupted answer the server sent no usage for). */
  estimated?: boolean;
}

/** The whole input of a request: uncached, read from the cache and written to it. */
export function totalInputTokens(usage: Usage): number {
  return usage.inputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

/** Why the model stopped, normalised across vendors. */
export type StopReason =
  | 'stop' // natural end of the answer
  | 'tool_calls' // the model wants tools run
  | 'length' // hit the output token limit
  | 'refusal'
  | 'content_filter'
  | 'other';

export interface ToolCall {
  id: string;
  name: string;
  /** The complete argument JSON as the model produced it (joined once, at the end). */
  arguments: string;
}

/** A thinking block kept verbatim so it can be replayed to the provider that produced it. */
export interface ReasoningBlock {
  text: string;
  /** Anthropic's signature_delta; required to send a thinking block back. */
  signature?: string;
  /** Anthropic redacted_thinking payload. */
  redactedData?: string;
}

export interface UserMessage {
  role: 'user';
  content: string;
}

export interface AssistantMessage {
  role: 'assistant';
  /** Visible answer text (never contains reasoning or tool-call arguments). */
  content: string;
  reasoning: string;
  reasoningBlocks: ReasoningBlock[];
  toolCalls: ToolCall[];
  stopReason?: StopReason;
  /** Set when the turn was cut short by the user; content holds what had arrived. */
  interrupted?: boolean;
  /** Set when the stream failed after visible output; content holds what had arrived. */
  error?: string;
  /** Model refusal text (OpenAI `delta.refusal`), shown to the user as the answer. */
  refusal?: string;
  /** The model the server says answered, when it says (it may differ from the name sent). */
  model?: string;
}

export interface ToolResultMessage {
  role: 'tool';
  toolCallId: string;
  name: string;
  content: string;
  isError?: boolean;
}

export type ChatMessage = UserMessage | AssistantMessage | ToolResultMessage;

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** What an adapter yields. Argument fragments never leave the adapter. */
export type StreamEvent =
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  | { type: 'tool_call_start'; id: string; name: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'usage'; usage: Usage }
  /** The stream's own end marker was seen; `message` is the assembled answer. */
  | { type: 'done'; stopReason: StopReason; message: AssistantMessage }
  | { type: 'error'; error: ProviderError; message: AssistantMessage };

export type ErrorKind =
  | 'auth' // 401/403: a key problem, never retried
  | 'rate_limit' // 429
  | 'server' // 5xx, overloaded
  | 'network' // connection refused/reset, dropped mid-stream
  | 'stall' // no bytes for too long
  | 'bad_request' // 4xx other than the above
  | 'stream_error' // the provider reported an error inside the stream
  | 'aborted'; // the user interrupted

export interface ProviderError {
  kind: ErrorKind;
  message: string;
  retryable: boolean;
  status?: number;
  /** Server-advised wait (retry-after), in milliseconds. */
  retryAfterMs?: number;
  /** The server refused a streaming request: the agent repeats it once with stream: false. */
  streamingRejected?: boolean;
  /** Nothing of the answer arrived within the first-byte limit: the agent waits once more at most. */
  firstByteTimeout?: boolean;
}

/** Which tool the model must call: any it likes, none, some tool, or this one. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema?: Record<string, unknown>; strict?: boolean; description?: string };

/**
 * Sampling and output settings a caller may set per request (hermes serve passes its clients'
 * on). Each adapter maps them to its wire API; the ones an API lacks are listed by
 * unsupportedOptions() (providers/request-options.ts) so the caller can refuse them up front.
 */
export interface RequestOptions {
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** An end-user id for the provider's abuse monitoring. */
  user?: string;
  responseFormat?: ResponseFormat;
  /** Applies when tools are offered. */
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
}

export interface ProviderRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  /** false: ask for one complete response instead of a stream (--no-stream, or a fallback). */
  stream: boolean;
  maxOutputTokens?: number;
  /** Prompt caching: the session's key (OpenAI's own API only) and Anthropic's cache lifetime. */
  cache?: PromptCache;
  options?: RequestOptions;
  signal: AbortSignal;
}

export interface PromptCache {
  /** Sent as prompt_cache_key to OpenAI's own API (never to compatible servers). */
  key?: string;
  /** Anthropic cache_control ttl (config cache.ttl). */
  ttl?: '5m' | '1h';
}

export interface ProviderConnection {
  baseURL?: string;
  apiKey?: string;
  /** Abort the response when no byte arrives for this long once it has begun. */
  stallTimeoutMs: number;
  /** Abort when nothing of the answer has arrived for this long (keepalives do not count). */
  firstByteTimeoutMs: number;
  /** How `<think>` tags in the content are read (src/stream/think-tags.ts); default 'auto'. */
  thinkTags?: ThinkTagSetting;
}

/** One wire API. Built fresh for each request, so an aborted request never poisons the next. */
export interface Provider {
  readonly id: ProviderId;
  stream(request: ProviderRequest): AsyncIterable<StreamEvent>;
}

export function emptyAssistantMessage(): AssistantMessage {
  return { role: 'assistant', content: '', reasoning: '', reasoningBlocks: [], toolCalls: [] };
}
