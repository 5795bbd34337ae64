// Turns the conversation a client sends (Chat Completions `messages`, Responses `input`) into
// what the agent takes: a system prompt, earlier turns as history, and the prompt to run.
// The request body is untrusted: every field is checked, and anything we cannot honour is a
// 400 naming the field rather than something silently dropped.

import type { AssistantMessage, ChatMessage } from '../agent/types.js';
import { badRequest } from './errors.js';
import { isRecord } from './fields.js';

export interface Conversation {
  /** System and developer messages, in order. */
  system: string[];
  /** Everything before the last user message. */
  history: ChatMessage[];
  /** The last user message: what the agent runs. */
  prompt: string;
}

/** One message in the agent's neutral shape, before the last one is split off. */
export type Turn = { role: 'system'; content: string } | ChatMessage;

// Text parts of both APIs: chat uses 'text', Responses 'input_text' / 'output_text'.
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text']);

/** A message's content, a string or an array of text parts, as one string. */
export function contentText(content: unknown, param: string, allowNull = false): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) {
    if (allowNull) return '';
    throw badRequest(`${param} is required`, param);
  }
  if (!Array.isArray(content)) throw badRequest(`${param} must be a string or an array of text parts`, param);
  let text = '';
  content.forEach((part: unknown, i) => {
    const where = `${param}[${i}]`;
    if (!isRecord(part) || typeof part.type !== 'string') throw badRequest(`${where} must be an object with a type`, where);
    if (part.type === 'refusal' && typeof part.refusal === 'string') {
      text += part.refusal;
      return;
    }
    if (!TEXT_PARTS.has(part.type)) {
      throw badRequest(`${where}: content of type '${part.type}' is not supported; hermes takes text only`, `${where}.type`);
    }
    if (typeof part.text !== 'string') throw badRequest(`${where}.text must be a string`, `${where}.text`);
    text += part.text;
  });
  return text;
}

export function assistantMessage(content: string): AssistantMessage {
  return { role: 'assistant', content, reasoning: '', reasoningBlocks: [], toolCalls: [] };
}

/** One message object ({role, content}) of either API. */
export function parseTurn(value: unknown, param: string): Turn {
  if (!isRecord(value)) throw badRequest(`${param} must be an object`, param);
  const role = value.role;
  switch (role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: contentText(value.content, `${param}.content`) };
    case 'user':
      return { role: 'user', content: contentText(value.content, `${param}.content`) };
    case 'assistant':
      // Tool calls of earlier turns cannot come back to us: hermes never hands them out.
      if (Array.isArray(value.tool_calls) && value.tool_calls.length > 0) {
        throw badRequest(`${param}.tool_calls: hermes runs its tools itself and takes no tool calls from clients`, `${param}.tool_calls`);
      }
      return assistantMessage(contentText(value.content, `${param}.content`, true));
    case 'tool':
    case 'function':
      throw badRequest(`${param}: '${role}' messages are not supported; hermes runs its tools itself`, `${param}.role`);
    default:
      throw badRequest(`${param}.role must be one of system, developer, user, assistant`, `${param}.role`);
  }
}

/**
 * Splits turns into system prompt parts, history and the final prompt. The last turn that is
 * not a system message must be the user's: that is what the agent answers.
 */
export function splitConversation(turns: readonly Turn[], param: string): Conversation {
  const system: string[] = [];
  const rest: ChatMessage[] = [];
  for (const turn of turns) {
    if (turn.role === 'system') system.push(turn.content);
    else rest.push(turn);
  }
  const last = rest.pop();
  if (!last || last.role !== 'user') throw badRequest(`${param} must end with a user message`, param);
  return { system, history: rest, prompt: last.content };
}

/** The system prompt the agent gets: the configured one first, then the request's parts. */
export function joinSystem(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((part): part is string => part !== undefined && part.trim() !== '');
  return present.length > 0 ? present.join('\n\n') : undefined;
}
