// A Chat Completions server on loopback with a real context window: it counts each request's
// tokens (four characters a token, as hermes estimates), refuses a request over its window with
// the error a given server family sends, checks that every tool result answers a tool call of
// the message before it (as OpenAI does), and reports the count it made as usage.

import { startLoopback, type LoopbackServer, type RecordedRequest, type Step } from './loopback.js';
import { chatTextSse, chatToolCallSse } from './wire/openai-chat.js';

export type OverflowShape = 'openai' | 'llama.cpp' | 'anthropic';

export interface ContextServer extends LoopbackServer {
  /** The counted size of every request that was answered or refused. */
  counted: { tokens: number; refused: boolean; summary: boolean; request: RecordedRequest }[];
}

export interface ContextServerOptions {
  window: number;
  shape?: OverflowShape;
  /** The answer to one ordinary request (not a summary request, not over the window). */
  answer(request: RecordedRequest): Step;
}

export function requestTokens(json: any): number {
  let chars = 0;
  for (const message of json.messages ?? []) {
    if (typeof message.content === 'string') chars += message.content.length;
    for (const call of message.tool_calls ?? []) chars += call.function.name.length + call.function.arguments.length;
  }
  chars += JSON.stringify(json.tools ?? []).length;
  return Math.ceil(chars / 4);
}

export function isSummaryRequest(json: any): boolean {
  return typeof json?.messages?.[0]?.content === 'string' && json.messages[0].content.startsWith('You compact conversations');
}

function pairingError(json: any): string | undefined {
  const open = new Set<string>();
  for (const message of json.messages ?? []) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) open.add(call.id);
    if (message.role === 'tool' && !open.delete(message.tool_call_id)) {
      return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
    }
    if (message.role === 'user' && open.size > 0) return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.";
  }
  return undefined;
}

function overflow(shape: OverflowShape, tokens: number, window: number): Step {
  switch (shape) {
    case 'openai':
      return {
        kind: 'json',
        status: 400,
        body: {
          error: {
            message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`,
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      };
    case 'llama.cpp':
      return {
        kind: 'json',
        status: 400,
        body: { error: { code: 400, message: `the request exceeds the available context size, try increasing it (${tokens} > ${window})`, type: 'exceed_context_size_error', n_prompt_tokens: tokens, n_ctx: window } },
      };
    case 'anthropic':
      return { kind: 'json', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: `prompt is too long: ${tokens} tokens > ${window} maximum` } } };
  }
}

export async function startContextServer(options: ContextServerOptions): Promise<ContextServer> {
  const counted: ContextServer['counted'] = [];
  const server = await startLoopback((_n, request) => {
    const json = request.json;
    const tokens = requestTokens(json);
    const summary = isSummaryRequest(json);
    const refused = tokens > options.window;
    counted.push({ tokens, refused, summary, request });
    const badPairs = pairingError(json);
    if (badPairs) return { kind: 'json', status: 400, body: { error: { message: badPairs, type: 'invalid_request_error', code: null } } };
    if (refused) return overflow(options.shape ?? 'openai', tokens, options.window);
    if (summary) return { kind: 'stream', chunks: [chatTextSse(['## Goal\n', '- read the documents one by one\n'], { usage: true, promptTokens: tokens })] };
    const step = options.answer(request);
    // The usage a server reports is its own count of the prompt.
    if (step.kind === 'stream') step.chunks = step.chunks.map((c) => (typeof c === 'string' ? c.replace(/"prompt_tokens":\d+/g, `"prompt_tokens":${tokens}`) : c));
    return step;
  });
  return Object.assign(server, { counted });
}

export { chatTextSse, chatToolCallSse };
