// Which session a front end starts with: a new one, the latest in this folder (-c), a given
// one (--resume), or none (--no-session). Shared by the one-shot CLI and the TUI.

import type { ChatMessage, ProviderId } from '../types.js';
import type { Session } from './session.js';
import { acquireLock } from './lock.js';
import { SessionStore, sessionsDir } from './store.js';

export type SessionChoice = { mode: 'new' } | { mode: 'continue' } | { mode: 'resume'; id: string } | { mode: 'none' };

export interface OpenSessionOptions {
  choice: SessionChoice;
  home: string;
  cwd: string;
  model: string;
  provider: ProviderId;
  secrets: readonly string[];
  /** A session write failed (disk full, permissions): tell the user once, keep chatting. */
  onError: (message: string) => void;
  /** Default LOCK_WAIT_MS. */
  lockWaitMs?: number;
}

export interface OpenedSession {
  session?: Session;
  /** The stored conversation to load into the agent (empty for a new session). */
  messages: ChatMessage[];
  /** One line each: damaged lines skipped, tool calls repaired, "no earlier session". */
  notices: string[];
  /** Set when a stored conversation is continued (-c, --resume): what to say about it. */
  resumed?: ResumedInfo;
}

export interface ResumedInfo {
  id: string;
  startedAt: string;
  /** The folder it was started in ('' when its header was lost). */
  cwd: string;
  /** Messages in the conversation continued (the compacted view, after a compaction). */
  messageCount: number;
}

/** How long a second hermes waits for the one writing the session it wants to continue. */
export const LOCK_WAIT_MS = 3000;

/**
 * Throws SessionError for an unknown or ambiguous --resume id. A session another hermes is
 * writing is waited for (LOCK_WAIT_MS); if it is still busy, a new session starts, with a notice.
 */
export async function openSession(options: OpenSessionOptions): Promise<OpenedSession> {
  const { choice } = options;
  if (choice.mode === 'none') return { messages: [], notices: [] };
  const store = new SessionStore(sessionsDir(options.home), { secrets: options.secrets, onError: options.onError });
  const fresh = (): Session => store.createSession({ cwd: options.cwd, model: options.model, provider: options.provider });

  if (choice.mode === 'new') return { session: fresh(), messages: [], notices: [] };

  const target = choice.mode === 'resume' ? store.resolve(choice.id) : store.latestSessionFor(options.cwd);
  if (!target) {
    return { session: fresh(), messages: [], notices: ['no earlier session in this folder; starting a new one'] };
  }
  // Locked before it is read: what the other hermes adds meanwhile is part of what we load.
  const attempt = await acquireLock(target.file, options.lockWaitMs ?? LOCK_WAIT_MS);
  if ('holder' in attempt) {
    const who = attempt.holder > 0 ? `another hermes (pid ${attempt.holder})` : 'another hermes';
    return { session: fresh(), messages: [], notices: [`session ${target.id} is in use by ${who}; starting a new session`] };
  }
  const resumed = store.resumeSession(target.id, { lock: attempt.lock });
  if (resumed.model !== options.model || resumed.provider !== options.provider) {
    resumed.session.switchModel(options.model, options.provider);
  }
  const info: ResumedInfo = { id: resumed.id, startedAt: resumed.header.startedAt, cwd: resumed.header.cwd, messageCount: resumed.messages.length };
  return { session: resumed.session, messages: resumed.messages, notices: resumed.warnings, resumed: info };
}

/** `hermes --resume` without an id: the front end lets the user choose, then opens that one. */
export type StartChoice = SessionChoice | { mode: 'pick' };

/** The choice the command-line flags make. */
export function sessionChoice(flags: { continue?: boolean; resume?: string; pickSession?: boolean; noSession?: boolean }): StartChoice {
  if (flags.noSession) return { mode: 'none' };
  if (flags.pickSession) return { mode: 'pick' };
  if (flags.resume !== undefined) return { mode: 'resume', id: flags.resume };
  if (flags.continue) return { mode: 'continue' };
  return { mode: 'new' };
}
