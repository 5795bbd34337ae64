// Turns the conversation a client sends (Chat Completions `messages`, Responses `input`) into
// what the agent takes: a system prompt, earlier turns as history, and the prompt to run.
// The request body is untrusted: every field is checked, and anything we cannot honour is a
// 400 naming the field rather than something silently dropped.

import type { AssistantMessage, ChatMessage, ToolCall } from '../agent/types.js';
import { badRequest } from './errors.js';
import { isRecord } from './fields.js';

export interface Conversation {
  /** System and developer messages, in order. */
  system: string[];
  /** Everything before the last user message (all of it when the conversation ends with tool results). */
  history: ChatMessage[];
  /** The last user message: what the agent runs. Undefined when the conversation ends with
   *  the results of client tool calls: the agent goes on from them. */
  prompt?: string;
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

export function assistantMessage(content: string, toolCalls: ToolCall[] = []): AssistantMessage {
  return { role: 'assistant', content, reasoning: '', reasoningBlocks: [], toolCalls };
}

/** A tool call as a client sends it back: Chat's {id, function: {name, arguments}} or a
 *  Responses function_call item {call_id, name, arguments}. */
export function clientToolCall(id: unknown, name: unknown, args: unknown, param: string): ToolCall {
  if (typeof id !== 'string' || id === '') throw badRequest(`${param}: the call's id is required`, param);
  if (typeof name !== 'string' || name === '') throw badRequest(`${param}: the call's name is required`, param);
  if (typeof args !== 'string') throw badRequest(`${param}: the call's arguments must be a JSON string`, param);
  return { id, name, arguments: args };
}

/** A tool's result; its name is filled in by linkToolResults. */
export function toolResult(callId: unknown, content: unknown, param: string, fields: { id: string; content: string }): ChatMessage {
  if (typeof callId !== 'string' || callId === '') throw badRequest(`${param}.${fields.id} is required`, `${param}.${fields.id}`);
  return { role: 'tool', toolCallId: callId, name: '', content: contentText(content, `${param}.${fields.content}`) };
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
    case 'assistant': {
      // Calls of the client's own tools, as hermes returned them.
      const calls = value.tool_calls;
      if (calls !== undefined && calls !== null && !Array.isArray(calls)) throw badRequest(`${param}.tool_calls must be an array`, `${param}.tool_calls`);
      const toolCalls = (calls ?? []).map((call: unknown, i) => {
        const where = `${param}.tool_calls[${i}]`;
        const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
        return clientToolCall(isRecord(call) ? call.id : undefined, fn.name, fn.arguments, where);
      });
      return assistantMessage(contentText(value.content, `${param}.content`, true), toolCalls);
    }
    case 'tool':
      return toolResult(value.tool_call_id, value.content, param, { id: 'tool_call_id', content: 'content' });
    case 'function':
      throw badRequest(`${param}: 'function' messages (the deprecated functions API) are not supported; use tools`, `${param}.role`);
    default:
      throw badRequest(`${param}.role must be one of system, developer, user, assistant, tool`, `${param}.role`);
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
  const last = rest.at(-1);
  if (last?.role === 'tool') return { system, history: rest };
  if (!last || last.role !== 'user') throw badRequest(`${param} must end with a user message (or the results of tool calls)`, param);
  rest.pop();
  return { system, history: rest, prompt: last.content };
}

/**
 * Gives every tool result the name of the call it answers, and refuses a result that answers
 * no call made earlier in the conversation (the provider would refuse it less clearly).
 */
export function linkToolResults(history: ChatMessage[], param: string): void {
  const names = new Map<string, string>();
  history.forEach((message, i) => {
    if (message.role === 'assistant') for (const call of message.toolCalls) names.set(call.id, call.name);
    else if (message.role === 'tool') {
      const name = names.get(message.toolCallId);
      if (name === undefined) throw badRequest(`${param}: the tool result for '${message.toolCallId}' answers no tool call before it`, param);
      history[i] = { ...message, name };
    }
  });
}

/** The system prompt the agent gets: the configured one first, then the request's parts. */
export function joinSystem(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((part): part is string => part !== undefined && part.trim() !== '');
  return present.length > 0 ? present.join('\n\n') : undefined;
}
