// Anthropic Messages wire bodies for loopback tests, shaped like the recorded streams in
// test/fixtures/streams/anthropic: `event:` lines, a ping after the first block start,
// cumulative usage in message_delta, message_stop as the end marker.
// The *Frames variants return one string per SSE event, for tests that send events one by one
// (slow streams, a stall after some events); the *Sse variants join them into one body.

export interface AnthropicTextOptions {
  model?: string;
  /** Thinking deltas sent as a thinking block (with a signature) before the text. */
  thinking?: string[];
  /** The thinking block's signature (default: a fixed 64-character string). */
  signature?: string;
  inputTokens?: number;
  stopReason?: string;
}

export interface AnthropicToolCallSpec {
  id: string;
  name: string;
  /** The complete input JSON; it is sent in several input_json_delta fragments. */
  arguments: string;
}

export interface AnthropicToolUseOptions {
  /** Text deltas sent as a text block before the tool_use blocks. */
  textBefore?: string[];
  model?: string;
  inputTokens?: number;
}

const DEFAULT_MODEL = 'claude-sonnet-4-20250514';
export const DEFAULT_SIGNATURE = 'EqQBCkYIBxgCKkB' + 'x'.repeat(49);

/** One SSE frame: `event: <type>` and its JSON data. */
export function anthropicFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function messageStart(model: string, inputTokens: number): string {
  return anthropicFrame('message_start', {
    type: 'message_start',
    message: {
      model,
      id: 'msg_01HermesLoopbackTest0001',
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 1,
        service_tier: 'standard',
      },
    },
  });
}

const PING = 'event: ping\ndata: {"type": "ping"}\n\n';

function blockStart(index: number, block: unknown): string {
  return anthropicFrame('content_block_start', { type: 'content_block_start', index, content_block: block });
}

function blockDelta(index: number, delta: unknown): string {
  return anthropicFrame('content_block_delta', { type: 'content_block_delta', index, delta });
}

function blockStop(index: number): string {
  return anthropicFrame('content_block_stop', { type: 'content_block_stop', index });
}

function messageEnd(stopReason: string, inputTokens: number, outputTokens: number): string[] {
  return [
    anthropicFrame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens },
    }),
    anthropicFrame('message_stop', { type: 'message_stop' }),
  ];
}

export function anthropicTextFrames(tokens: string[], options: AnthropicTextOptions = {}): string[] {
  const inputTokens = options.inputTokens ?? 12;
  const frames = [messageStart(options.model ?? DEFAULT_MODEL, inputTokens)];
  let index = 0;
  if (options.thinking) {
    frames.push(blockStart(index, { type: 'thinking', thinking: '', signature: '' }), PING);
    for (const thinking of options.thinking) frames.push(blockDelta(index, { type: 'thinking_delta', thinking }));
    frames.push(blockDelta(index, { type: 'signature_delta', signature: options.signature ?? DEFAULT_SIGNATURE }));
    frames.push(blockStop(index));
    index++;
  }
  frames.push(blockStart(index, { type: 'text', text: '' }));
  if (!options.thinking) frames.push(PING);
  for (const text of tokens) frames.push(blockDelta(index, { type: 'text_delta', text }));
  frames.push(blockStop(index));
  const outputTokens = tokens.length + (options.thinking?.length ?? 0) + 1;
  frames.push(...messageEnd(options.stopReason ?? 'end_turn', inputTokens, outputTokens));
  return frames;
}

/** A complete text answer (optionally after a thinking block), ending with message_stop. */
export function anthropicTextSse(tokens: string[], options: AnthropicTextOptions = {}): string {
  return anthropicTextFrames(tokens, options).join('');
}

/** Splits input JSON the way the API does: an empty first fragment, then short pieces. */
function fragments(json: string): string[] {
  const out = [''];
  for (let i = 0; i < json.length; i += 7) out.push(json.slice(i, i + 7));
  return out;
}

export function anthropicToolUseFrames(calls: AnthropicToolCallSpec[], options: AnthropicToolUseOptions = {}): string[] {
  const inputTokens = options.inputTokens ?? 40;
  const frames = [messageStart(options.model ?? DEFAULT_MODEL, inputTokens)];
  let index = 0;
  let outputTokens = 1;
  if (options.textBefore) {
    frames.push(blockStart(index, { type: 'text', text: '' }), PING);
    for (const text of options.textBefore) frames.push(blockDelta(index, { type: 'text_delta', text }));
    frames.push(blockStop(index));
    outputTokens += options.textBefore.length;
    index++;
  }
  for (const call of calls) {
    frames.push(blockStart(index, { type: 'tool_use', id: call.id, name: call.name, input: {} }));
    if (index === 0) frames.push(PING);
    for (const partial_json of fragments(call.arguments)) {
      frames.push(blockDelta(index, { type: 'input_json_delta', partial_json }));
      outputTokens++;
    }
    frames.push(blockStop(index));
    index++;
  }
  frames.push(...messageEnd('tool_use', inputTokens, outputTokens));
  return frames;
}

/** A complete tool_use answer (optionally after a text block), stop_reason tool_use. */
export function anthropicToolUseSse(calls: AnthropicToolCallSpec[], options: AnthropicToolUseOptions = {}): string {
  return anthropicToolUseFrames(calls, options).join('');
}

/** An in-stream error frame, e.g. anthropicErrorEvent('overloaded_error', 'Overloaded'). */
export function anthropicErrorEvent(type: string, message: string): string {
  return anthropicFrame('error', { type: 'error', error: { type, message } });
}

/** The JSON body of an HTTP error response ({type: 'error', error: {type, message}}). */
export function anthropicErrorBody(type: string, message: string): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type, message } };
}

/** A complete non-streaming Message object (pass it as a loopback `json` step body). */
export function anthropicMessageJson(
  text: string,
  options: { model?: string; inputTokens?: number; outputTokens?: number; stopReason?: string } = {},
): Record<string, unknown> {
  return {
    id: 'msg_01HermesLoopbackJson0001',
    type: 'message',
    role: 'assistant',
    model: options.model ?? DEFAULT_MODEL,
    content: [{ type: 'text', text }],
    stop_reason: options.stopReason ?? 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: options.inputTokens ?? 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: options.outputTokens ?? 7,
      service_tier: 'standard',
    },
  };
}
