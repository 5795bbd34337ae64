// Token estimates where the server has not counted: about four characters a token, the rule
// of thumb every tokenizer of the major models lands near for English text and code.

import type { ChatMessage, ToolDefinition } from '../types.js';

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A message's share of a request, with a few tokens for its framing. */
export function messageTokens(message: ChatMessage): number {
  const framing = 4;
  switch (message.role) {
    case 'user':
      return framing + estimateTokens(message.content);
    case 'tool':
      return framing + estimateTokens(message.content);
    case 'assistant':
      return framing + estimateTokens(message.content) + message.toolCalls.reduce((sum, call) => sum + estimateTokens(call.name) + estimateTokens(call.arguments), 0);
  }
}

export function messagesTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + messageTokens(message), 0);
}

export function toolDefinitionTokens(tools: readonly ToolDefinition[]): number {
  return tools.reduce((sum, tool) => sum + estimateTokens(tool.name) + estimateTokens(tool.description) + estimateTokens(JSON.stringify(tool.parameters)), 0);
}
