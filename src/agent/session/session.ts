// One conversation's file, written append-only. Each write is one call carrying complete
// lines, followed by an fsync: a SIGKILL or power loss leaves at most a torn last line, which
// loading skips. The file appears with the first message, so a chat that never sent
// anything leaves nothing behind.

import fs from 'node:fs';
import path from 'node:path';
import type { ChatMessage, ProviderId } from '../types.js';
import { encodeRecord, SESSION_VERSION, type SessionHeader, type SessionRecord } from './records.js';
import { makeDirs } from '../make-dirs.js';
import { sessionFileName } from './naming.js';

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

  constructor(origin: SessionOrigin, options: SessionWriteOptions = {}) {
    this.#secrets = [...(options.secrets ?? [])];
    this.#onError = options.onError;
    this.#fsync = options.fsync ?? true;
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

  /** Pass as the agent's `onMessage`: stores every message as it enters the history. */
  readonly recorder = (message: ChatMessage): void => {
    this.append(message);
  };

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

  /** Appends several messages in one write (the repair of a crashed tool call). */
  appendAll(messages: readonly ChatMessage[]): boolean {
    if (messages.length === 0) return true;
    const at = new Date().toISOString();
    return this.#write(messages.map((message) => ({ type: 'message', at, message })));
  }

  #write(records: SessionRecord[]): boolean {
    let flag = 'a';
    let header: SessionHeader | undefined;
    if (this.#pendingHeader) {
      const now = new Date();
      header = { ...this.#pendingHeader, startedAt: now.toISOString() };
      this.#file = path.join(this.#dir, sessionFileName(now, this.id));
      flag = 'wx'; // a new file only: never append to (or truncate) someone else's
      records = [header, ...records];
    }
    const text = (this.#needsNewline ? '\n' : '') + records.map((record) => encodeRecord(record, this.#secrets)).join('');
    try {
      if (header) makeDirs(this.#dir);
      // 0600: a conversation can hold anything the user or a tool put in it.
      const fd = fs.openSync(this.#file, flag, 0o600);
      if (header) {
        // The file now exists; whatever happens next, later writes append to it.
        this.#header = header;
        this.#pendingHeader = undefined;
      }
      try {
        writeAll(fd, Buffer.from(text, 'utf8'));
        if (this.#fsync) fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      // Part of the text may have reached the file: start the next write on a fresh line.
      if (this.#header) this.#needsNewline = true;
      const code = (err as NodeJS.ErrnoException).code;
      const message = `could not save the conversation to ${this.#file}: ${code ?? (err as Error).message}`;
      const first = this.error === undefined;
      this.error = message;
      if (first) this.#onError?.(message);
      return false;
    }
    this.#needsNewline = false;
    this.error = undefined;
    return true;
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done);
}
