// The session file format: one JSON record per line. The header comes first; then one record
// per message as it entered the history; a model or provider switch adds a meta record; a
// compaction adds the view it made (the messages after it continue that view, nothing earlier
// is removed); damage that was reported once is noted in a repaired record.
// Every string is redacted on the way out, so a key the user pasted never reaches the disk.

import { redactSecrets } from '../../stream/redact.js';
import type { AssistantMessage, ChatMessage, ProviderId, ToolCall } from '../types.js';

export const SESSION_VERSION = 1;

export interface SessionHeader {
  type: 'session';
  version: number;
  id: string;
  /** ISO time of the first write. */
  startedAt: string;
  /** Absolute working folder the conversation started in. */
  cwd: string;
  model: string;
  provider: ProviderId;
}

export interface MessageRecord {
  type: 'message';
  at: string;
  message: ChatMessage;
}

export interface MetaRecord {
  type: 'meta';
  at: string;
  model: string;
  provider: ProviderId;
}

/**
 * A council turn: every member's answer, the reviews and the outcome. Stored between the user's
 * message and the synthesis, which alone continues the conversation; readers that do not know
 * this record skip it.
 */
export interface CouncilRecord {
  type: 'council';
  at: string;
  council: unknown;
}


/** The conversation was compacted: from here on it continues from `messages`, not from what came before. */
export interface CompactionRecord {
  type: 'compaction';
  at: string;
  /** The summary that replaced the older part, when one did (else only tool output was shortened). */
  summary?: string;
  /** How many messages of the view before it the compacted view replaces. */
  replaces: number;
  /** The compacted view: summary message, shortened tool results, the recent part verbatim. */
  messages: ChatMessage[];
}

/** Damaged lines (1-based; 0: a missing header) that were reported when the session was continued: not reported again. */
export interface RepairedRecord {
  type: 'repaired';
  at: string;
  lines: number[];
}

export type SessionRecord = SessionHeader | MessageRecord | MetaRecord | CouncilRecord | CompactionRecord | RepairedRecord;

/** The byte prefix of every message line (`type` is always serialised first). */
export const MESSAGE_LINE_PREFIX = '{"type":"message"';

/** One complete line, newline included, with every string value redacted. */
export function encodeRecord(record: SessionRecord, secrets: readonly string[]): string {
  return `${JSON.stringify(record, (_key, value: unknown) => (typeof value === 'string' ? redactSecrets(value, secrets) : value))}\n`;
}

export type DecodedLine =
  | { ok: true; record: SessionRecord }
  /** Not valid JSON (a torn or damaged line). */
  | { ok: false; reason: 'json' }
  /** Valid JSON but not a record this version understands the shape of. */
  | { ok: false; reason: 'shape' }
  /** A record type from a later version: ignored without a warning. */
  | { ok: false; reason: 'unknown' };

export function decodeLine(line: string): DecodedLine {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'json' };
  }
  if (!isObject(data) || typeof data.type !== 'string') return { ok: false, reason: 'shape' };
  switch (data.type) {
    case 'session':
      if (typeof data.id !== 'string' || typeof data.startedAt !== 'string' || typeof data.cwd !== 'string' || typeof data.model !== 'string' || typeof data.provider !== 'string') {
        return { ok: false, reason: 'shape' };
      }
      return {
        ok: true,
        record: {
          type: 'session',
          version: typeof data.version === 'number' ? data.version : SESSION_VERSION,
          id: data.id,
          startedAt: data.startedAt,
          cwd: data.cwd,
          model: data.model,
          provider: data.provider as ProviderId,
        },
      };
    case 'message': {
      const message = toChatMessage(data.message);
      if (!message) return { ok: false, reason: 'shape' };
      return { ok: true, record: { type: 'message', at: typeof data.at === 'string' ? data.at : '', message } };
    }
    case 'meta':
      if (typeof data.model !== 'string' || typeof data.provider !== 'string') return { ok: false, reason: 'shape' };
      return { ok: true, record: { type: 'meta', at: typeof data.at === 'string' ? data.at : '', model: data.model, provider: data.provider as ProviderId } };
    case 'compaction': {
      if (!Array.isArray(data.messages) || typeof data.replaces !== 'number') return { ok: false, reason: 'shape' };
      const messages = data.messages.map(toChatMessage);
      if (!messages.every((m): m is ChatMessage => m !== undefined)) return { ok: false, reason: 'shape' };
      const summary = typeof data.summary === 'string' ? { summary: data.summary } : {};
      return { ok: true, record: { type: 'compaction', at: typeof data.at === 'string' ? data.at : '', ...summary, replaces: data.replaces, messages } };
    }
    case 'repaired':
      if (!Array.isArray(data.lines) || !data.lines.every((n) => Number.isInteger(n))) return { ok: false, reason: 'shape' };
      return { ok: true, record: { type: 'repaired', at: typeof data.at === 'string' ? data.at : '', lines: data.lines as number[] } };
    default:
      return { ok: false, reason: 'unknown' };
  }
}

/** Checks a stored message and fills in the optional-looking fields the agent relies on. */
function toChatMessage(value: unknown): ChatMessage | undefined {
  if (!isObject(value) || typeof value.content !== 'string') return undefined;
  switch (value.role) {
    case 'user':
      return { role: 'user', content: value.content };
    case 'tool':
      if (typeof value.toolCallId !== 'string' || typeof value.name !== 'string') return undefined;
      return {
        role: 'tool',
        toolCallId: value.toolCallId,
        name: value.name,
        content: value.content,
        ...(typeof value.isError === 'boolean' ? { isError: value.isError } : {}),
      };
    case 'assistant': {
      const toolCalls = value.toolCalls ?? [];
      const blocks = value.reasoningBlocks ?? [];
      if (!Array.isArray(toolCalls) || !toolCalls.every(isToolCall)) return undefined;
      if (!Array.isArray(blocks) || !blocks.every((b) => isObject(b) && typeof b.text === 'string')) return undefined;
      // Spread first: fields a later version adds (stopReason, refusal, ...) survive a load.
      const message: AssistantMessage = {
        ...(value as Partial<AssistantMessage>),
        role: 'assistant',
        content: value.content,
        reasoning: typeof value.reasoning === 'string' ? value.reasoning : '',
        reasoningBlocks: blocks as AssistantMessage['reasoningBlocks'],
        toolCalls: toolCalls as ToolCall[],
      };
      return message;
    }
    default:
      return undefined;
  }
}

function isToolCall(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && typeof value.name === 'string' && typeof value.arguments === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
