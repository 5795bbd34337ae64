// The TUI's side of sessions: which conversation file the chat is writing to now. The Agent is
// built once with `recorder` as its onMessage; /clear and /resume swap the session behind it.
// A write failure is reported through the sink the App installs (before that, it waits).
// With --no-session nothing is ever written: /resume then only reads.

import type { Compaction } from '../agent/context/compactor.js';
import { tryLock } from '../agent/session/lock.js';
import { openSession, type OpenedSession, type SessionChoice } from '../agent/session/open.js';
import { SessionError } from '../agent/session/read.js';
import type { SessionHeader } from '../agent/session/records.js';
import type { Session } from '../agent/session/session.js';
import { SessionStore, sessionsDir, type SessionSummary } from '../agent/session/store.js';
import type { ChatMessage, ProviderId } from '../agent/types.js';

export interface ChatSessionsOptions {
  home: string;
  cwd: string;
  secrets: readonly string[];
}

export interface ResumedConversation {
  id: string;
  startedAt: string;
  /** The folder the conversation was started in. */
  cwd: string;
  messages: ChatMessage[];
  /** Damaged lines skipped, tool calls repaired: one line each. */
  warnings: string[];
}

export class ChatSessions {
  readonly store: SessionStore;
  readonly #options: ChatSessionsOptions;
  #current: Session | undefined;
  #enabled = true;
  #sink: ((message: string) => void) | undefined;
  #unreported: string[] = [];

  constructor(options: ChatSessionsOptions) {
    this.#options = options;
    this.store = new SessionStore(sessionsDir(options.home), { secrets: options.secrets, onError: (message) => this.#report(message) });
  }

  /** false after --no-session: nothing is stored. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** The conversation being written, if any. */
  get current(): Session | undefined {
    return this.#current;
  }

  /** The session the flags ask for. Throws SessionError for an unknown or ambiguous --resume id. */
  async open(choice: SessionChoice, model: string, provider: ProviderId): Promise<OpenedSession> {
    this.#enabled = choice.mode !== 'none';
    const opened = await openSession({
      choice,
      home: this.#options.home,
      cwd: this.#options.cwd,
      model,
      provider,
      secrets: this.#options.secrets,
      onError: (message) => this.#report(message),
    });
    this.#current = opened.session;
    return opened;
  }

  /** Pass as the agent's onMessage: every message goes to whichever session is current. */
  readonly recorder = (message: ChatMessage): void => {
    this.#current?.append(message);
  };

  /** Pass as the agent's onCompaction: a resume continues from the compacted view. */
  readonly compactionRecorder = (compaction: Compaction): void => {
    this.#current?.appendCompaction(compaction);
  };

  /** /model, /provider: recorded in the file so a resume knows what was used. */
  switchModel(model: string, provider: ProviderId): void {
    this.#current?.switchModel(model, provider);
  }

  /** /clear: the next message starts a new file. */
  startNew(model: string, provider: ProviderId): void {
    if (!this.#enabled) return;
    this.#current?.close();
    this.#current = this.store.createSession({ cwd: this.#options.cwd, model, provider });
  }

  /** Newest first. */
  list(limit: number): SessionSummary[] {
    return this.store.listSessions({ limit });
  }

  /**
   * /resume: loads a stored conversation; later messages are appended to its file (with
   * --no-session it is only read). Throws SessionError for an unknown or ambiguous id, and for
   * a session another hermes is writing.
   */
  resume(idOrPrefix: string, model: string, provider: ProviderId): ResumedConversation {
    if (!this.#enabled) {
      const loaded = this.store.loadSession(idOrPrefix);
      return { id: loaded.id, startedAt: loaded.header.startedAt, cwd: this.#startedIn(loaded.header), messages: loaded.messages, warnings: loaded.warnings };
    }
    const { id, file } = this.store.resolve(idOrPrefix);
    // Not waited for: the person asking sees at once that it is busy and can try again.
    const attempt = tryLock(file);
    if ('holder' in attempt) {
      throw new SessionError(`session ${id} is in use by another hermes${attempt.holder > 0 ? ` (pid ${attempt.holder})` : ''}; try again once it is done`);
    }
    const resumed = this.store.resumeSession(id, { lock: attempt.lock });
    // The chat goes on with the model in use now, as `hermes --resume` does.
    resumed.session.switchModel(model, provider);
    this.#current?.close();
    this.#current = resumed.session;
    return { id: resumed.id, startedAt: resumed.header.startedAt, cwd: this.#startedIn(resumed.header), messages: resumed.messages, warnings: resumed.warnings };
  }

  /** Where write failures are shown; failures before this was set are passed on now. */
  onError(sink: ((message: string) => void) | undefined): void {
    this.#sink = sink;
    if (!sink) return;
    for (const message of this.#unreported.splice(0)) sink(message);
  }

  /** A file whose header was lost does not know its folder (''): nothing to point out then. */
  #startedIn(header: SessionHeader): string {
    return header.cwd === '' ? this.#options.cwd : header.cwd;
  }

  #report(message: string): void {
    if (this.#sink) this.#sink(message);
    else this.#unreported.push(message);
  }
}
