// OpenAI Chat Completions wire bodies for loopback tests, shaped like the recorded streams in
// test/fixtures/streams/openai-chat: a role chunk with `content: ""`, one chunk per token, a
// finish chunk with an empty delta, the `choices: []` usage chunk (stream_options.include_usage),
// then `data: [DONE]`.
// The *Frames variants return one string per SSE frame, for tests that send frames one by one
// (slow streams, a stall or a drop after some frames); the *Sse variants join them.

export interface ChatTextOptions {
  model?: string;
  /** Append the `choices: []` usage chunk, as OpenAI does with stream_options.include_usage. */
  usage?: boolean;
  /** DeepSeek-style `reasoning_content` deltas sent before the text. */
  reasoning?: string[];
  /** Default 'stop'. */
  finishReason?: string;
  promptTokens?: number;
}

export interface ChatToolCallSpec {
  id: string;
  name: string;
  /** The complete argument JSON; it is sent in several fragments. */
  arguments: string;
}

export interface ChatToolCallOptions {
  /** Content deltas sent before the tool calls. */
  textBefore?: string[];
  /** How many fragments each call's arguments are split into (default 3). */
  fragments?: number;
  model?: string;
  usage?: boolean;
  promptTokens?: number;
}

export interface ChatCompletionOptions {
  model?: string;
  reasoning?: string;
  toolCalls?: ChatToolCallSpec[];
  finishReason?: string;
  promptTokens?: number;
  completionTokens?: number;
}

const DEFAULT_MODEL = 'gpt-4o-2024-08-06';
const ID = 'chatcmpl-HermesLoopbackTest0000000001';
const CREATED = 1727346168;
const FINGERPRINT = 'fp_5050236cbd';

/** One data-only SSE frame. */
export function chatFrame(payload: unknown): string {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

export const DONE_FRAME = 'data: [DONE]\n\n';

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null = null, withUsageField = false): string {
  return chatFrame({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(withUsageField ? { usage: null } : {}),
  });
}

function usageObject(promptTokens: number, completionTokens: number, reasoningTokens = 0): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function usageChunk(model: string, promptTokens: number, completionTokens: number, reasoningTokens: number): string {
  return chatFrame({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    system_fingerprint: FINGERPRINT,
    choices: [],
    usage: usageObject(promptTokens, completionTokens, reasoningTokens),
  });
}

/** The frames of a text answer, [DONE] included. */
export function chatTextFrames(tokens: string[], options: ChatTextOptions = {}): string[] {
  const model = options.model ?? DEFAULT_MODEL;
  const usage = options.usage ?? false;
  const reasoning = options.reasoning ?? [];
  const frames = [chunk(model, { role: 'assistant', content: '', refusal: null }, null, usage)];
  for (const r of reasoning) frames.push(chunk(model, { content: null, reasoning_content: r }, null, usage));
  for (const token of tokens) frames.push(chunk(model, { content: token }, null, usage));
  frames.push(chunk(model, {}, options.finishReason ?? 'stop', usage));
  if (usage) frames.push(usageChunk(model, options.promptTokens ?? 12, tokens.length + reasoning.length, reasoning.length));
  frames.push(DONE_FRAME);
  return frames;
}

/** A complete, realistic Chat Completions SSE body streaming `tokens` as content deltas. */
export function chatTextSse(tokens: string[], options?: ChatTextOptions): string {
  return chatTextFrames(tokens, options).join('');
}

/** Splits text into `n` pieces by code point (never inside a surrogate pair). */
export function fragment(text: string, n: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / Math.max(1, n)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** The frames of an answer that calls tools (optionally after some text), [DONE] included. */
export function chatToolCallFrames(calls: ChatToolCallSpec[], options: ChatToolCallOptions = {}): string[] {
  const model = options.model ?? DEFAULT_MODEL;
  const usage = options.usage ?? false;
  const frames = [chunk(model, { role: 'assistant', content: options.textBefore ? '' : null, refusal: null }, null, usage)];
  for (const text of options.textBefore ?? []) frames.push(chunk(model, { content: text }, null, usage));
  let pieces = 0;
  calls.forEach((call, index) => {
    frames.push(
      chunk(model, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null, usage),
    );
    for (const piece of fragment(call.arguments, options.fragments ?? 3)) {
      frames.push(chunk(model, { tool_calls: [{ index, function: { arguments: piece } }] }, null, usage));
      pieces++;
    }
  });
  frames.push(chunk(model, {}, 'tool_calls', usage));
  if (usage) frames.push(usageChunk(model, options.promptTokens ?? 40, (options.textBefore?.length ?? 0) + pieces + calls.length, 0));
  frames.push(DONE_FRAME);
  return frames;
}

/** A complete, realistic Chat Completions SSE body that calls the given tools. */
export function chatToolCallSse(calls: ChatToolCallSpec[], options?: ChatToolCallOptions): string {
  return chatToolCallFrames(calls, options).join('');
}

/** A non-streaming ChatCompletion object (the JSON body of a `stream: false` answer). */
export function chatCompletionJson(text: string, options: ChatCompletionOptions = {}): Record<string, unknown> {
  const toolCalls = options.toolCalls ?? [];
  const promptTokens = options.promptTokens ?? 12;
  const completionTokens = options.completionTokens ?? Math.max(1, Math.ceil(text.length / 4));
  const message: Record<string, unknown> = { role: 'assistant', content: text, refusal: null, annotations: [] };
  if (options.reasoning !== undefined) message.reasoning_content = options.reasoning;
  if (toolCalls.length > 0) {
    message.content = text === '' ? null : text;
    message.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: ID,
    object: 'chat.completion',
    created: CREATED,
    model: options.model ?? DEFAULT_MODEL,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: options.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    usage: usageObject(promptTokens, completionTokens),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
}
