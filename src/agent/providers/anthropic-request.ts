// Anthropic Messages requests: the parameters and the history in the Messages wire shape.

import type { ContentBlockParam, MessageCreateParamsBase, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantMessage, ChatMessage, ProviderRequest } from '../types.js';
import { parseToolArguments } from '../tools.js';
import { withCacheBreakpoints } from './anthropic-cache.js';
import { anthropicOptionParams } from './request-options.js';

const DEFAULT_MAX_TOKENS = 8192;

export function buildParams(request: ProviderRequest): MessageCreateParamsBase {
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
  Object.assign(params, anthropicOptionParams(request));
  return request.cache ? withCacheBreakpoints(params, request.cache.ttl) : params;
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
