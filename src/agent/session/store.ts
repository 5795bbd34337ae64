// The folder of session files: creating, finding (by id or unique prefix), loading, resuming
// and listing conversations. Loading never writes; resuming appends to the same file and
// never rewrites what is there.

import fs from 'node:fs';
import path from 'node:path';
import { sanitizeForTerminal } from '../../stream/sanitize.js';
import type { ChatMessage, ProviderId, ToolResultMessage } from '../types.js';
import { newSessionId, parseSessionFileName } from './naming.js';
import { readHeader, readSessionFile, SessionError, summariseFile } from './read.js';
import type { SessionHeader } from './records.js';
import type { SessionLock } from './lock.js';
import { repairToolResults } from './repair.js';
import { Session, type SessionWriteOptions } from './session.js';

/** `<home>/sessions`, home being ResolvedConfig.home. */
export function sessionsDir(home: string): string {
  return path.join(home, 'sessions');
}

export interface NewSessionOptions extends SessionWriteOptions {
  cwd: string;
  model: string;
  provider: ProviderId;
}

export interface LoadedSession {
  id: string;
  file: string;
  header: SessionHeader;
  /** The model and provider in use when the conversation stopped (after any switch). */
  model: string;
  provider: ProviderId;
  /** Ready for `agent.load()`: damaged lines skipped, unanswered tool calls answered. */
  messages: ChatMessage[];
  /** One line each, for the caller to print (damaged lines, repaired tool calls). */
  warnings: string[];
  /** Results that answer tool calls left open by a crash; resumeSession appends them to the file. */
  repairs: ToolResultMessage[];
}

export interface ResumedSession extends LoadedSession {
  /** Appends to the same file; pass `session.recorder` as the agent's onMessage. */
  session: Session;
}

export interface SessionSummary {
  id: string;
  file: string;
  startedAt: string;
  /** Last use: the last write (file modification time), ISO. */
  updatedAt: string;
  cwd: string;
  model: string;
  provider: ProviderId;
  /** The first user message on one line, cut to FIRST_PROMPT_LENGTH characters. */
  firstPrompt: string;
  messageCount: number;
}

export const FIRST_PROMPT_LENGTH = 80;
const DEFAULT_LIST_LIMIT = 20;
const MAX_CANDIDATES_SHOWN = 8;

export class SessionStore {
  constructor(
    readonly dir: string,
    private readonly defaults: SessionWriteOptions = {},
  ) {}

  /** A new conversation. Nothing is written until its first message. */
  createSession(options: NewSessionOptions): Session {
    // An unreadable folder is reported by the first write (onError), not here: a broken
    // sessions folder must not stop a chat from starting.
    let existing = new Set<string>();
    try {
      existing = new Set(this.#files().map((f) => f.id));
    } catch {
      // ids are random enough without the check
    }
    let id = newSessionId();
    while (existing.has(id)) id = newSessionId();
    const { cwd, model, provider, ...write } = options;
    return new Session({ kind: 'new', dir: this.dir, id, cwd, model, provider }, { ...this.defaults, ...write });
  }

  /** Reads a session without writing anything. Throws SessionError for an unknown or ambiguous id. */
  loadSession(idOrPrefix: string): LoadedSession {
    return this.#load(idOrPrefix).loaded;
  }

  /**
   * Loads a session to continue it: new messages go to the end of the same file. Tool calls a
   * crash left unanswered get their "interrupted" results appended now. `lock`, taken on the
   * file beforehand (lock.ts), is held by the session until it is closed (released at once
   * when the file cannot be loaded).
   */
  resumeSession(idOrPrefix: string, options: SessionWriteOptions & { lock?: SessionLock } = {}): ResumedSession {
    const { lock, ...write } = options;
    let read: { loaded: LoadedSession; endsWithNewline: boolean; newDamage: number[] };
    try {
      read = this.#load(idOrPrefix);
    } catch (err) {
      lock?.release();
      throw err;
    }
    const { loaded, endsWithNewline, newDamage } = read;
    const session = new Session(
      { kind: 'existing', file: loaded.file, header: loaded.header, model: loaded.model, provider: loaded.provider, endsWithNewline },
      { ...this.defaults, ...write },
    );
    if (lock) session.adoptLock(lock);
    // Reported now, so not on every later resume; written with the next write (or the repairs).
    if (newDamage.length > 0) session.noteRepaired(newDamage);
    session.appendAll(loaded.repairs);
    return { ...loaded, session };
  }

  /** The session last used in `cwd` (`hermes -c`), resumed; undefined when there is none. */
  continueLatest(cwd: string, options: SessionWriteOptions = {}): ResumedSession | undefined {
    const latest = this.latestSessionFor(cwd);
    return latest ? this.resumeSession(latest.id, options) : undefined;
  }

  /**
   * Most recently used first: by the time of the file's last write (its modification time), so
   * a session continued with --resume is the one -c continues next. Reads each listed file's
   * head and scans its bytes; only message lines are counted.
   */
  listSessions(options: { limit?: number; cwd?: string } = {}): SessionSummary[] {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    const cwd = options.cwd === undefined ? undefined : path.resolve(options.cwd);
    const out: SessionSummary[] = [];
    for (const entry of this.#filesByUse()) {
      if (out.length >= limit) break;
      if (cwd !== undefined && readHeader(entry.file)?.cwd !== cwd) continue;
      const summary = this.#summary(entry.id, entry.file, entry.usedAt);
      if (summary) out.push(summary);
    }
    return out;
  }

  /** The session last used whose working folder is `cwd`. */
  latestSessionFor(cwd: string): SessionSummary | undefined {
    return this.listSessions({ limit: 1, cwd })[0];
  }

  /** The file for an id or a unique id prefix. Throws SessionError otherwise. */
  resolve(idOrPrefix: string): { id: string; file: string } {
    const prefix = idOrPrefix.trim().toLowerCase();
    if (prefix === '') throw new SessionError('no session id given');
    const files = this.#files();
    const exact = files.find((f) => f.id === prefix);
    if (exact) return exact;
    const matches = files.filter((f) => f.id.startsWith(prefix));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new SessionError(`no session matches '${idOrPrefix.trim()}'`);
    const shown = matches.slice(0, MAX_CANDIDATES_SHOWN).map((f) => `${f.id} (${f.startedAt.slice(0, 16).replace('T', ' ')})`);
    const more = matches.length > shown.length ? ` and ${matches.length - shown.length} more` : '';
    throw new SessionError(`'${idOrPrefix.trim()}' matches ${matches.length} sessions: ${shown.join(', ')}${more}; give more of the id`);
  }

  #load(idOrPrefix: string): { loaded: LoadedSession; endsWithNewline: boolean; newDamage: number[] } {
    const { id, file } = this.resolve(idOrPrefix);
    const parsed = readSessionFile(file, id);
    const repaired = repairToolResults(parsed.messages);
    const warnings = [...parsed.warnings];
    if (repaired.appended.length > 0) {
      const n = repaired.appended.length;
      warnings.push(`session ${id}: ${n === 1 ? 'a tool call' : `${n} tool calls`} in the last answer never finished; marked as interrupted`);
    }
    // Pairs broken by damage an earlier resume reported were reported with it.
    const newlyBroken = parsed.newDamage.length > 0 || !parsed.knownDamage;
    if ((repaired.inserted > 0 || repaired.dropped > 0) && newlyBroken) {
      warnings.push(
        `session ${id}: tool calls and results did not pair up after the damage; ${repaired.inserted} call(s) marked as interrupted, ${repaired.dropped} stray result(s) left out`,
      );
    }
    const loaded: LoadedSession = {
      id,
      file,
      header: parsed.header,
      model: parsed.model,
      provider: parsed.provider,
      messages: repaired.messages,
      warnings,
      repairs: repaired.appended,
    };
    return { loaded, endsWithNewline: parsed.endsWithNewline, newDamage: parsed.newDamage };
  }

  /** Session files, newest first (names sort by start time). */
  #files(): { id: string; startedAt: string; file: string }[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new SessionError(`cannot read the sessions folder ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const out: { id: string; startedAt: string; file: string }[] = [];
    for (const name of names.sort().reverse()) {
      const parsed = parseSessionFileName(name);
      if (parsed) out.push({ ...parsed, file: path.join(this.dir, name) });
    }
    return out;
  }

  /** Session files, last written first; a file that cannot be stat'ed counts from its start time. */
  #filesByUse(): { id: string; startedAt: string; file: string; usedAt: string }[] {
    const used = this.#files().map((entry) => {
      let usedAt = entry.startedAt;
      try {
        usedAt = fs.statSync(entry.file).mtime.toISOString();
      } catch {
        // Listed anyway; the start time stands in.
      }
      return { ...entry, usedAt };
    });
    // Stable: files written in the same millisecond stay newest-started first.
    return used.sort((a, b) => (a.usedAt < b.usedAt ? 1 : a.usedAt > b.usedAt ? -1 : 0));
  }

  #summary(id: string, file: string, updatedAt: string): SessionSummary | undefined {
    const summary = summariseFile(file);
    if (!summary) return undefined;
    const { header } = summary;
    return {
      id,
      file,
      startedAt: header.startedAt,
      updatedAt,
      cwd: header.cwd,
      model: header.model,
      provider: header.provider,
      firstPrompt: oneLine(summary.firstPrompt, FIRST_PROMPT_LENGTH),
      messageCount: summary.messageCount,
    };
  }
}

/** Whitespace collapsed, terminal controls removed, cut with an ellipsis. */
function oneLine(text: string, max: number): string {
  const flat = sanitizeForTerminal(text).replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
