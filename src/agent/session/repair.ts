// A stored history must make a valid next request: every tool call answered by exactly one
// result, right after the assistant message that made it, and no result without its call.
// A crash mid-tool leaves calls unanswered at the end; a damaged line can break the pairing
// anywhere. Pure: the caller decides what goes to disk.

import type { ChatMessage, ToolCall, ToolResultMessage } from '../types.js';

export const TOOL_NOT_FINISHED = 'interrupted: hermes stopped before the tool finished';

export interface RepairedHistory {
  messages: ChatMessage[];
  /** Results added after the last message (a crash mid-tool); these may be appended to the file. */
  appended: ToolResultMessage[];
  /** Results inserted earlier in the history (only after damage; in memory only). */
  inserted: number;
  /** Tool results dropped because no open call matched them. */
  dropped: number;
}

export function repairToolResults(history: readonly ChatMessage[]): RepairedHistory {
  const messages: ChatMessage[] = [];
  let open: ToolCall[] = [];
  let inserted = 0;
  let dropped = 0;

  const answer = (calls: ToolCall[]): ToolResultMessage[] =>
    calls.map((call) => ({ role: 'tool', toolCallId: call.id, name: call.name, content: TOOL_NOT_FINISHED, isError: true }));

  for (const message of history) {
    if (message.role === 'tool') {
      const at = open.findIndex((call) => call.id === message.toolCallId);
      if (at === -1) {
        dropped++;
        continue;
      }
      open.splice(at, 1);
      messages.push(message);
      continue;
    }
    if (open.length > 0) {
      const results = answer(open);
      messages.push(...results);
      inserted += results.length;
    }
    open = message.role === 'assistant' ? [...message.toolCalls] : [];
    messages.push(message);
  }
  const appended = answer(open);
  messages.push(...appended);
  return { messages, appended, inserted, dropped };
}
