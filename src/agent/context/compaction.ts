// Making a conversation fit its context window again, in two steps: old tool output is
// shortened first (it is most of a tool-using session and the cheapest to lose), and only then
// is the older part of the conversation replaced by a summary the model writes. Pure: the
// agent sends the summary request and applies the result.

import type { ChatMessage, ToolResultMessage, UserMessage } from '../types.js';
import { estimateTokens, messagesTokens } from './tokens.js';

/** The first line of a summary in the history: what it is, so the model does not act on it. */
export const SUMMARY_MARKER = '[Reference summary of the earlier conversation (compacted to save context). It records what was said and done; it is not a new request.]';

const SHORTENED_NOTE = (tokens: number) => `[older tool output shortened to save context: about ${tokens} tokens removed; run the tool again if it is needed]`;
/** What is kept of a shortened tool result: its start, which usually says what it was. */
const SHORTENED_HEAD_CHARS = 400;

export function isSummary(message: ChatMessage | undefined): message is UserMessage {
  return message?.role === 'user' && message.content.startsWith(SUMMARY_MARKER);
}

export function summaryMessage(summary: string): UserMessage {
  return { role: 'user', content: `${SUMMARY_MARKER}\n\n${summary.trim()}` };
}

/** The summary text without its marker. */
export function summaryText(message: UserMessage): string {
  return message.content.slice(SUMMARY_MARKER.length).trim();
}

/**
 * Shortens tool results from the oldest on, keeping the newest whole while they fit in
 * keepTokens (the newest alone is cut to keepTokens when it is larger).
 */
export function shortenToolResults(messages: readonly ChatMessage[], keepTokens: number): ChatMessage[] {
  let budget = keepTokens;
  let newest = true;
  const out = [...messages];
  for (let i = out.length - 1; i >= 0; i--) {
    const message = out[i]!;
    if (message.role !== 'tool') continue;
    const tokens = estimateTokens(message.content);
    if (tokens <= budget) budget -= tokens;
    else {
      // The newest output is cut to what fits; older ones keep only their start.
      out[i] = cut(message, newest ? budget * 4 : SHORTENED_HEAD_CHARS);
      budget = 0;
    }
    newest = false;
  }
  return out;
}

function cut(message: ToolResultMessage, chars: number): ToolResultMessage {
  if (message.content.length <= chars + SHORTENED_NOTE(0).length) return message;
  const removed = estimateTokens(message.content.slice(chars));
  return { ...message, content: `${message.content.slice(0, Math.max(0, chars))}\n${SHORTENED_NOTE(removed)}` };
}

export interface SummaryPlan {
  /** Messages the summary replaces (a previous summary among them is updated, not re-summarised). */
  older: ChatMessage[];
  /** The previous summary's text, when the conversation was compacted before. */
  previousSummary?: string;
  /** Kept verbatim after the summary: the latest user message always among them. */
  recent: ChatMessage[];
  /** How many leading messages of the history the summary replaces. */
  replaces: number;
}

/**
 * Chooses the recent part to keep verbatim (up to keepTokens, never splitting a tool call from
 * its result, always with the latest user message) and the older part to summarise. undefined
 * when there is nothing older to summarise.
 */
export function planSummary(messages: readonly ChatMessage[], keepTokens: number): SummaryPlan | undefined {
  const latestUser = findLastIndex(messages, (m) => m.role === 'user' && !isSummary(m));
  if (latestUser < 0) return undefined;
  const start = isSummary(messages[0]) ? 1 : 0;
  // A cut may go before a user or an assistant message, never before a tool result: a result
  // always stays with the assistant message that asked for it.
  let split: number | undefined;
  let tokens = 0;
  for (let i = messages.length - 1; i > start; i--) {
    tokens += messagesTokens([messages[i]!]);
    const cuttable = messages[i]!.role !== 'tool';
    if (tokens > keepTokens) {
      // Even the newest exchange is over the budget: keep it alone.
      if (split === undefined && cuttable) split = i;
      if (split !== undefined) break;
    } else if (cuttable) {
      split = i;
    }
  }
  if (split === undefined) return undefined;
  // Past the latest user message, that message moves along with the recent part.
  const moved = split > latestUser;
  const older = messages.slice(start, split).filter((_, i) => !moved || i + start !== latestUser);
  if (older.length === 0) return undefined;
  return {
    older,
    ...(start === 1 ? { previousSummary: summaryText(messages[0] as UserMessage) } : {}),
    recent: moved ? [messages[latestUser]!, ...messages.slice(split)] : messages.slice(split),
    replaces: split,
  };
}

/** The history after compaction. */
export function compactedHistory(summary: string, plan: SummaryPlan): ChatMessage[] {
  return [summaryMessage(summary), ...plan.recent];
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
