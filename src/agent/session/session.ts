// One conversation's file, written append-only. Each write is one call carrying complete
// lines, followed by an fsync: a SIGKILL or power loss leaves at most a torn last line, which
// loading skips. The file appears with the first message, so a chat that never sent
// anything leaves nothing behind; it appears whole: header and first lines are written to a
// temporary file that is renamed into place, so a full disk never leaves a file without a
// header (or an empty one). Records a failed write did not get onto the disk are kept and go
// out with the next write, so a disk that fills and frees again loses nothing.

import path from 'node:path';
import { makeDirs } from '../make-dirs.js';
import type { Compaction } from '../context/compactor.js';
import type { ChatMessage, ProviderId } from '../types.js';
import { sessionFileName } from './naming.js';
import { encodeRecord, SESSION_VERSION, type SessionHeader, type SessionRecord } from './records.js';
import { tryLock, type SessionLock } from './lock.js';
import { nodeFs, type SessionFs } from './session-fs.js';

export interface SessionWriteOptions {
  /** Strings that must never reach the file (API keys); well-known key shapes are redacted too. */
  secrets?: readonly string[];
  /**
   * Told (with a one-line message) when a write fails after the previous one succeeded, so a
   * full disk is reported once, not per message. Writing never throws.
   */
  onError?: (message: string) => void;
  /** false: skip the fsync after each write (tests of many sessions). Default true. */
  fsync?: boolean;
  /** Where the writes go (tests inject failures); default node:fs. */
  fs?: SessionFs;
}

/** How a Session starts: a new conversation, or an existing file being continued. */
export type SessionOrigin =
  | { kind: 'new'; dir: string; id: string; cwd: string; model: string; provider: ProviderId }
  | { kind: 'existing'; file: string; header: SessionHeader; model: string; provider: ProviderId; endsWithNewline: boolean };

export class Session {
  readonly id: string;
  /** The last write error, cleared by the next successful write. */
  error: string | undefined;

  #dir: string;
  #file: string;
  #header: SessionHeader | undefined;
  #pendingHeader: Omit<SessionHeader, 'startedAt'> | undefined;
  #model: string;
  #provider: ProviderId;
  #needsNewline: boolean;
  readonly #secrets: readonly string[];
  readonly #onError: ((message: string) => void) | undefined;
  readonly #fsync: boolean;
  readonly #fs: SessionFs;
  /** Records whose write failed before all their bytes were written: sent again first. */
  #unwritten: SessionRecord[] = [];
  /** This process is the file's one writer (see lock.ts). */
  #lock: SessionLock | undefined;

  constructor(origin: SessionOrigin, options: SessionWriteOptions = {}) {
    this.#secrets = [...(options.secrets ?? [])];
    this.#onError = options.onError;
    this.#fsync = options.fsync ?? true;
    this.#fs = options.fs ?? nodeFs;
    if (origin.kind === 'new') {
      this.id = origin.id;
      this.#dir = origin.dir;
      this.#pendingHeader = { type: 'session', version: SESSION_VERSION, id: origin.id, cwd: path.resolve(origin.cwd), model: origin.model, provider: origin.provider };
      // Provisional: the real start time (and so the name) is fixed by the first write.
      this.#file = path.join(origin.dir, sessionFileName(new Date(), origin.id));
      this.#needsNewline = false;
    } else {
      this.id = origin.header.id;
      this.#dir = path.dirname(origin.file);
      this.#header = origin.header;
      this.#file = origin.file;
      this.#needsNewline = !origin.endsWithNewline;
    }
    this.#model = origin.model;
    this.#provider = origin.provider;
  }

  /** Where the conversation is stored; before the first message, a provisional name (the start time is fixed by the first write). */
  get file(): string {
    return this.#file;
  }

  /** The header as written, or undefined while nothing has been stored. */
  get header(): SessionHeader | undefined {
    return this.#header;
  }

  /** true once the file exists (the first message was written). */
  get stored(): boolean {
    return this.#header !== undefined;
  }

  get model(): string {
    return this.#model;
  }

  get provider(): ProviderId {
    return this.#provider;
  }

  /** Holds `lock` (taken on this session's file) until close(). */
  adoptLock(lock: SessionLock): void {
    this.#lock?.release();
    this.#lock = lock;
  }

  /** Done with this file (the chat moved to another one): another process may continue it now. */
  close(): void {
    this.#lock?.release();
    this.#lock = undefined;
  }

  /** Pass as the agent's `onMessage`: stores every message as it enters the history. */
  readonly recorder = (message: ChatMessage): void => {
    this.append(message);
  };

  /** Pass as the agent's `onCompaction`: the compacted view, which a resume continues from. */
  readonly compactionRecorder = (compaction: Compaction): void => {
    this.appendCompaction(compaction);
  };

  appendCompaction(compaction: Pick<Compaction, 'history' | 'summary' | 'replaces'>): boolean {
    const summary = compaction.summary === undefined ? {} : { summary: compaction.summary };
    return this.#write([{ type: 'compaction', at: new Date().toISOString(), ...summary, replaces: compaction.replaces, messages: compaction.history }]);
  }

  /** Damaged lines just reported: noted in the file with the next write, so a later resume is quiet about them. */
  noteRepaired(lines: readonly number[]): void {
    this.#unwritten.push({ type: 'repaired', at: new Date().toISOString(), lines: [...lines] });
  }

  /** Writes one message record. Returns false when the write failed (see `error`). */
  append(message: ChatMessage): boolean {
    return this.#write([{ type: 'message', at: new Date().toISOString(), message }]);
  }

  /** Records a /model or /provider switch; nothing is written when neither changed. */
  switchModel(model: string, provider: ProviderId): boolean {
    if (model === this.#model && provider === this.#provider) return true;
    this.#model = model;
    this.#provider = provider;
    if (this.#pendingHeader) {
      this.#pendingHeader = { ...this.#pendingHeader, model, provider };
      return true;
    }
    return this.#write([{ type: 'meta', at: new Date().toISOString(), model, provider }]);
  }

  /** A council turn in one write: the question, the council's record, then the synthesis (if any). */
  appendCouncil(question: ChatMessage, council: unknown, synthesis: ChatMessage | undefined): boolean {
    const at = new Date().toISOString();
    return this.#write([
      { type: 'message', at, message: question },
      { type: 'council', at, council },
      ...(synthesis ? [{ type: 'message' as const, at, message: synthesis }] : []),
    ]);
  }

  /** Appends several messages in one write (the repair of a crashed tool call). */
  appendAll(messages: readonly ChatMessage[]): boolean {
    if (messages.length === 0) return true;
    const at = new Date().toISOString();
    return this.#write(messages.map((message) => ({ type: 'message', at, message })));
  }

  #write(fresh: SessionRecord[]): boolean {
    const records = [...this.#unwritten, ...fresh];
    // Until all their bytes are in the file (#create and #append clear it then).
    this.#unwritten = records;
    try {
      if (this.#pendingHeader) this.#create(records);
      else this.#append(records);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message = `could not save the conversation to ${this.#file}: ${code ?? (err as Error).message}`;
      const first = this.error === undefined;
      this.error = message;
      if (first) this.#onError?.(message);
      return false;
    }
    this.error = undefined;
    return true;
  }

  /** The first write: header and records into a temporary file, renamed into place once whole. */
  #create(records: SessionRecord[]): void {
    const now = new Date();
    const header: SessionHeader = { ...this.#pendingHeader!, startedAt: now.toISOString() };
    const file = path.join(this.#dir, sessionFileName(now, this.id));
    this.#file = file;
    makeDirs(this.#dir);
    // The name is not a session file's (see naming.ts), so nothing ever lists or loads it.
    const temporary = path.join(this.#dir, `.${path.basename(file)}.${process.pid}.tmp`);
    // 0600: a conversation can hold anything the user or a tool put in it.
    const fd = this.#fs.openSync(temporary, 'wx', 0o600);
    try {
      try {
        this.#writeAll(fd, [header, ...records]);
        this.#sync(fd);
      } finally {
        this.#fs.closeSync(fd);
      }
      // Locked before it appears, so that no `hermes -c` elsewhere can start writing to it too.
      this.#lock = lockQuietly(file);
      this.#fs.renameSync(temporary, file);
      this.#unwritten = [];
    } catch (err) {
      this.close();
      try {
        this.#fs.unlinkSync(temporary);
      } catch {
        // the error that matters is the one above
      }
      throw err;
    }
    this.#header = header;
    this.#pendingHeader = undefined;
    this.#needsNewline = false;
  }

  #append(records: SessionRecord[]): void {
    const fd = this.#fs.openSync(this.#file, 'a', 0o600);
    try {
      const prefix = this.#needsNewline ? '\n' : '';
      // Part of the text may reach the file: the next write starts on a fresh line.
      this.#needsNewline = true;
      this.#writeAll(fd, records, prefix);
      this.#needsNewline = false;
      // Written, even should the fsync fail: sending them again would store them twice.
      this.#unwritten = [];
      this.#sync(fd);
    } finally {
      this.#fs.closeSync(fd);
    }
  }

  /** Complete lines in one write (as many calls as the kernel needs); throws when not all of it was written. */
  #writeAll(fd: number, records: SessionRecord[], prefix = ''): void {
    const data = Buffer.from(prefix + records.map((record) => encodeRecord(record, this.#secrets)).join(''), 'utf8');
    for (let done = 0; done < data.length; ) done += this.#fs.writeSync(fd, data, done, data.length - done);
  }

  #sync(fd: number): void {
    if (this.#fsync) this.#fs.fsyncSync(fd);
  }
}

/** The lock, when it can be had; a session is still written without one (a read-only lock folder…). */
function lockQuietly(file: string): SessionLock | undefined {
  try {
    const attempt = tryLock(file);
    return 'lock' in attempt ? attempt.lock : undefined;
  } catch {
    return undefined;
  }
}
