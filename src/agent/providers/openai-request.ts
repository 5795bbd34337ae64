// Chat Completions requests: the history in the wire shape, the parameters, and recognising
// what a server refused (stream_options, or streaming itself).

import { isContextOverflow } from '../context/overflow.js';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ProviderConnection, ProviderRequest } from '../types.js';
import { serverMessage } from './errors.js';
import { isOfficialOpenAI } from './openai-shared.js';
import { chatOptionParams } from './request-options.js';

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
  prompt_cache_key?: string;
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
  // Other OpenAI-compatible servers may reject a field they do not know.
  if (request.cache?.key && isOfficialOpenAI(connection)) params.prompt_cache_key = request.cache.key;
  return Object.assign(params, chatOptionParams(request));
}

export function streamingParams(
  request: ProviderRequest,
  connection: ProviderConnection,
  withOptions: boolean,
): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = { ...commonParams(request, connection), stream: true };
  if (withOptions) params.stream_options = { include_usage: true };
  return params;
}

export function plainParams(request: ProviderRequest, connection: ProviderConnection): ChatCompletionCreateParamsNonStreaming {
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
export function streamOptionsBlame(err: unknown): 'certain' | 'maybe' | undefined {
  const status = statusOf(err);
  if (status !== 400 && status !== 422 && status !== 501) return undefined;
  if (mentionsStreamOptions(err)) return 'certain';
  // Too long for the context window: the agent compacts; the same request again cannot help.
  if (isContextOverflow({ kind: 'bad_request', message: messageOf(err), status })) return undefined;
  if (status === 501 || MENTIONS_STREAMING.test(messageOf(err))) return undefined;
  return 'maybe';
}

export function rejectsStreaming(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== 400 && status !== 422 && status !== 501) return false;
  return MENTIONS_STREAMING.test(messageOf(err));
}
