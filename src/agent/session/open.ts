// Which session a front end starts with: a new one, the latest in this folder (-c), a given
// one (--resume), or none (--no-session). Shared by the one-shot CLI and the TUI.

import type { ChatMessage, ProviderId } from '../types.js';
import type { Session } from './session.js';
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
}

export interface OpenedSession {
  session?: Session;
  /** The stored conversation to load into the agent (empty for a new session). */
  messages: ChatMessage[];
  /** One line each: damaged lines skipped, tool calls repaired, "no earlier session". */
  notices: string[];
}

/** Throws SessionError for an unknown or ambiguous --resume id. */
export function openSession(options: OpenSessionOptions): OpenedSession {
  const { choice } = options;
  if (choice.mode === 'none') return { messages: [], notices: [] };
  const store = new SessionStore(sessionsDir(options.home), { secrets: options.secrets, onError: options.onError });
  const fresh = (): Session => store.createSession({ cwd: options.cwd, model: options.model, provider: options.provider });

  if (choice.mode === 'new') return { session: fresh(), messages: [], notices: [] };

  const resumed = choice.mode === 'resume' ? store.resumeSession(choice.id) : store.continueLatest(options.cwd);
  if (!resumed) {
    return { session: fresh(), messages: [], notices: ['no earlier session in this folder; starting a new one'] };
  }
  if (resumed.model !== options.model || resumed.provider !== options.provider) {
    resumed.session.switchModel(options.model, options.provider);
  }
  return { session: resumed.session, messages: resumed.messages, notices: resumed.warnings };
}

/** The choice the command-line flags make. */
export function sessionChoice(flags: { continue?: boolean; resume?: string; noSession?: boolean }): SessionChoice {
  if (flags.noSession) return { mode: 'none' };
  if (flags.resume !== undefined) return { mode: 'resume', id: flags.resume };
  if (flags.continue) return { mode: 'continue' };
  return { mode: 'new' };
}
