// An in-memory chat behind the ChatTransport contract, for the platform-neutral gateway core:
// it keeps what each message shows, records every call with its time on the test's clock, and
// plays the platform's refusals (flood control, a deleted message, drafts not available).

import {
  DraftUnavailableError,
  MessageGoneError,
  RateLimitedError,
  type ChatTransport,
  type MessageRef,
} from '../../src/gateway/chat-transport.js';
import { renderTelegram, splitHead } from '../../src/gateway/telegram-format.js';
import type { FakeClock } from './fake-clock.js';

export interface MemoryCall {
  kind: 'send' | 'edit' | 'draft' | 'typing';
  at: number;
  text?: string;
  id?: string;
  /** An edit whose text equals what the message already showed. */
  identical?: boolean;
  /** The call was refused (the error's name). */
  refused?: string;
}

export interface MemoryMessage {
  id: string;
  text: string;
  deleted: boolean;
}

export interface MemoryChatOptions {
  maxLength?: number;
  /** Calls (send, edit) allowed per second before a 429 of retryAfterMs (off by default). */
  perSecond?: number;
  retryAfterMs?: number;
  /** false: draft() throws DraftUnavailableError (like a group chat). */
  drafts?: boolean;
}

type Failure = { kind: MemoryCall['kind']; error: () => Error };

export class MemoryChat implements ChatTransport {
  readonly maxLength: number;
  readonly calls: MemoryCall[] = [];
  readonly messages: MemoryMessage[] = [];
  draftText: string | undefined;
  private readonly failures: Failure[] = [];
  private blockedUntil = 0;
  private nextId = 1;
  private readonly options: MemoryChatOptions;

  constructor(
    private readonly clock: FakeClock,
    options: MemoryChatOptions = {},
  ) {
    this.options = options;
    this.maxLength = options.maxLength ?? 4096;
  }

  splitHead(markdown: string): { head: string; rest: string } | undefined {
    return splitHead(markdown, this.maxLength);
  }

  async send(markdown: string): Promise<MessageRef> {
    this.admit('send', markdown);
    const id = String(this.nextId++);
    this.messages.push({ id, text: markdown, deleted: false });
    this.draftText = undefined;
    this.calls.at(-1)!.id = id;
    return { id };
  }

  async edit(ref: MessageRef, markdown: string): Promise<void> {
    const m = this.messages.find((x) => x.id === ref.id);
    this.admit('edit', markdown, { id: ref.id, identical: m?.text === markdown });
    if (!m || m.deleted) throw this.refuse(new MessageGoneError('message to edit not found'));
    m.text = markdown;
  }

  async draft(markdown: string): Promise<void> {
    this.admit('draft', markdown);
    if (this.options.drafts === false) throw this.refuse(new DraftUnavailableError('TEXTDRAFT_PEER_INVALID'));
    this.draftText = markdown;
  }

  async typing(): Promise<void> {
    this.admit('typing');
  }

  /** The next call of this kind fails with this error. */
  failNext(kind: MemoryCall['kind'], error: () => Error): void {
    this.failures.push({ kind, error });
  }

  /** Someone deletes a message. */
  deleteMessage(id: string): void {
    this.messages.find((m) => m.id === id)!.deleted = true;
  }

  /** Sends and edits (the calls that take budget). */
  messageCalls(): MemoryCall[] {
    return this.calls.filter((c) => c.kind === 'send' || c.kind === 'edit');
  }

  /** What a reader sees, rendered: the live messages' texts joined. */
  renderedTranscript(): string {
    return this.messages
      .filter((m) => !m.deleted)
      .map((m) => renderTelegram(m.text).text)
      .join('');
  }

  private admit(kind: MemoryCall['kind'], text?: string, extra: Partial<MemoryCall> = {}): void {
    const at = this.clock.now();
    this.calls.push({ kind, at, ...(text !== undefined ? { text } : {}), ...extra });
    if (at < this.blockedUntil) throw this.refuse(new RateLimitedError(this.blockedUntil - at));
    const i = this.failures.findIndex((f) => f.kind === kind);
    if (i !== -1) throw this.refuse(this.failures.splice(i, 1)[0]!.error());
    const { perSecond, retryAfterMs = 2000 } = this.options;
    if (perSecond !== undefined && (kind === 'send' || kind === 'edit')) {
      const recent = this.messageCalls().filter((c) => !c.refused && c.at > at - 1000 && c !== this.calls.at(-1));
      if (recent.length >= perSecond) {
        this.blockedUntil = at + retryAfterMs;
        throw this.refuse(new RateLimitedError(retryAfterMs));
      }
    }
  }

  private refuse(err: Error): Error {
    this.calls.at(-1)!.refused = err.name;
    return err;
  }
}
