// Streams one answer into one chat through any ChatTransport: "typing…" until the first words,
// then one message edited in place (or a native draft) at most every editInterval with a cursor,
// and a final delivery without it. Flood control comes first (interim calls are skipped when the
// budget says no, a 429 pauses the chat), and the "already sent" rule last: the record of what
// each message shows decides every call, so the final text reaches the chat exactly once.

import { FenceTracker, type FenceOpening } from '../stream/markdown-split.js';
import {
  DraftUnavailableError,
  MessageGoneError,
  RateLimitedError,
  type ChatBudget,
  type ChatTransport,
  type MessageRef,
} from './chat-transport.js';
import { systemClock, type Clock } from './clock.js';

export interface StreamConsumerOptions {
  transport: ChatTransport;
  budget: ChatBudget;
  clock?: Clock;
  /** 'draft': native drafts while streaming, then one send (falls back to edits on any error). */
  mode?: 'edit' | 'draft';
  /** Least time between interim edits (default 1,000 ms). */
  editIntervalMs?: number;
  /** Least time between drafts (default 200 ms: 5 per second). */
  draftIntervalMs?: number;
  /** Shown after the text while it streams (default " ▉"). */
  cursor?: string;
  /** The first message goes out once this many characters have arrived (default 20)… */
  firstMessageChars?: number;
  /** …or this long after the first token, whichever comes first (default 1,000 ms). */
  firstMessageMs?: number;
  /** "typing…" is renewed this often until the first message (default 4,000 ms). */
  typingIntervalMs?: number;
  /** 429s in one answer after which interim edits stop (default 3). */
  maxStrikes?: number;
  /** Interim failures that are not flood control (logged by the caller; streaming goes on). */
  onError?: (err: unknown) => void;
}

/** A message the consumer sent and the markdown it ended with. */
export interface DeliveredMessage {
  ref: MessageRef;
  text: string;
}

interface LiveMessage {
  ref: MessageRef;
  /** The prefix of the answer text this message shows. */
  body: string;
  /** Exactly what it shows (body, with the cursor while streaming). */
  shown: string;
}

/** Tries per final call before it gives up (each waits out the retry_after it was given). */
const FINAL_ATTEMPTS = 10;
/** How soon an interim update is tried again when the budget had no room for it. */
const BUDGET_RETRY_MS = 250;

export class StreamConsumer {
  private readonly o: Required<Omit<StreamConsumerOptions, 'clock' | 'onError' | 'mode'>>;
  private readonly clock: Clock;
  private readonly onError: (err: unknown) => void;
  /** Answer text not yet sealed into a finished message. */
  private body = '';
  private live: LiveMessage | undefined;
  private readonly sealed: DeliveredMessage[] = [];
  private drafting: boolean;
  private draftShown: string | undefined;
  private editing = true;
  private strikes = 0;
  private firstTokenAt: number | undefined;
  private lastCallAt = -Infinity;
  private notBefore = 0;
  private busy: Promise<void> | undefined;
  private timer: unknown;
  /** An interim update is already scheduled (it looks at the text when it fires). */
  private timerPending = false;
  private typingTimer: unknown;
  private closed = false;
  private finishing: Promise<DeliveredMessage[]> | undefined;

  constructor(options: StreamConsumerOptions) {
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError ?? (() => {});
    this.drafting = options.mode === 'draft' && options.transport.draft !== undefined;
    this.o = {
      transport: options.transport,
      budget: options.budget,
      editIntervalMs: options.editIntervalMs ?? 1000,
      draftIntervalMs: options.draftIntervalMs ?? 200,
      cursor: options.cursor ?? ' ▉',
      firstMessageChars: options.firstMessageChars ?? 20,
      firstMessageMs: options.firstMessageMs ?? 1000,
      typingIntervalMs: options.typingIntervalMs ?? 4000,
      maxStrikes: options.maxStrikes ?? 3,
    };
    this.typing();
  }

  /** 429s seen in this answer. */
  get rateLimitStrikes(): number {
    return this.strikes;
  }

  /** The messages sent so far and what each shows (after finish(): their final texts). */
  get delivered(): DeliveredMessage[] {
    return this.live ? [...this.sealed, { ref: this.live.ref, text: this.live.shown }] : [...this.sealed];
  }

  /** More visible answer text. */
  push(delta: string): void {
    if (this.closed || this.finishing || delta === '') return;
    this.body += delta;
    this.firstTokenAt ??= this.clock.now();
    // Once streaming, a pending update will see this text: no need to measure it per token.
    if (!(this.started && this.timerPending)) this.schedule();
  }

  /**
   * Delivers the whole answer (plus an optional note, e.g. that it was stopped) exactly once,
   * waiting out any retry_after, and resolves with every message it sent.
   */
  finish(options: { note?: string; signal?: AbortSignal } = {}): Promise<DeliveredMessage[]> {
    this.finishing ??= this.deliverFinal(options.note, options.signal);
    return this.finishing;
  }

  /** Ends the timers (typing, the next interim update); no further interim calls are made. */
  stop(): void {
    this.closed = true;
    this.clearTimers();
  }

  // ---- while streaming ----------------------------------------------------------------------

  private get started(): boolean {
    return this.live !== undefined || this.sealed.length > 0 || this.draftShown !== undefined;
  }

  private typing(): void {
    if (this.closed || this.finishing || this.started) return;
    if (!this.o.budget.isPaused?.()) {
      this.o.transport.typing().catch((err: unknown) => this.interimFailure(err));
    }
    this.typingTimer = this.clock.setTimeout(() => this.typing(), this.o.typingIntervalMs);
  }

  /** When the next interim update is due, or undefined when none is. */
  private nextDue(): number | undefined {
    if (!this.editing || this.firstTokenAt === undefined || this.body.trim() === '') return undefined;
    let due: number;
    if (!this.started) {
      const enough = this.body.trim().length >= this.o.firstMessageChars;
      due = enough ? this.clock.now() : this.firstTokenAt + this.o.firstMessageMs;
    } else if (this.drafting) {
      if (this.body === this.draftShown) return undefined;
      due = this.lastCallAt + this.o.draftIntervalMs;
    } else {
      if (this.display() === this.live?.shown) return undefined;
      due = this.lastCallAt + this.o.editIntervalMs;
    }
    return Math.max(due, this.notBefore);
  }

  private schedule(): void {
    if (this.closed || this.finishing || this.busy) return;
    this.clock.clearTimeout(this.timer);
    this.timerPending = false;
    const due = this.nextDue();
    if (due === undefined) return;
    this.timerPending = true;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, due - this.clock.now()));
  }

  private tick(): void {
    this.timerPending = false;
    if (this.closed || this.finishing || this.busy) return;
    const due = this.nextDue();
    if (due === undefined) return;
    if (due > this.clock.now()) return this.schedule();
    this.busy = (this.drafting ? this.interimDraft() : this.interimEdit())
      .catch((err: unknown) => this.interimFailure(err))
      .finally(() => {
        this.busy = undefined;
        this.schedule();
      });
  }

  private display(): string {
    const withCursor = this.body + this.o.cursor;
    return this.o.transport.splitHead(withCursor) ? this.body : withCursor;
  }

  private async interimEdit(): Promise<void> {
    const { transport, budget } = this.o;
    if (budget.isPaused?.() || !budget.tryTake()) {
      this.notBefore = this.clock.now() + BUDGET_RETRY_MS;
      return;
    }
    const snapshot = this.body;
    this.lastCallAt = this.clock.now();
    const split = transport.splitHead(snapshot);
    if (split) {
      // The message is full: finalise it with its head, the rest starts the next one.
      const live = this.live;
      if (live && split.head !== live.shown) await this.callOrGone(live, () => transport.edit(live.ref, split.head));
      if (this.live !== live) return; // it was gone: its rest is already in body
      const ref = live?.ref ?? (await transport.send(split.head));
      this.live = undefined;
      this.sealed.push({ ref, text: split.head });
      this.body = split.rest + this.body.slice(snapshot.length);
      return;
    }
    const shown = this.display();
    const live = this.live;
    if (!live) {
      const ref = await transport.send(shown);
      this.live = { ref, body: snapshot, shown };
      this.clock.clearTimeout(this.typingTimer);
    } else if (shown !== live.shown) {
      await this.callOrGone(live, () => transport.edit(live.ref, shown));
      if (this.live === live) Object.assign(live, { body: snapshot, shown });
    }
  }

  private async interimDraft(): Promise<void> {
    const { transport, budget } = this.o;
    const split = transport.splitHead(this.body);
    if (split) {
      // A draft holds one message: send the full head for good and draft the rest.
      if (budget.isPaused?.() || !budget.tryTake()) {
        this.notBefore = this.clock.now() + BUDGET_RETRY_MS;
        return;
      }
      const snapshot = this.body;
      this.lastCallAt = this.clock.now();
      const ref = await transport.send(split.head);
      this.sealed.push({ ref, text: split.head });
      this.body = split.rest + this.body.slice(snapshot.length);
      this.draftShown = undefined;
      return;
    }
    if (budget.isPaused?.()) {
      this.notBefore = this.clock.now() + BUDGET_RETRY_MS;
      return;
    }
    const text = this.body;
    this.lastCallAt = this.clock.now();
    try {
      await transport.draft!(text);
      this.draftShown = text;
      this.clock.clearTimeout(this.typingTimer);
    } catch (err) {
      // Any draft failure: edits from here on; drafts are not messages, so nothing repeats.
      this.drafting = false;
      this.draftShown = undefined;
      if (!(err instanceof DraftUnavailableError)) this.interimFailure(err);
    }
  }

  private interimFailure(err: unknown): void {
    if (err instanceof RateLimitedError) return this.rateLimited(err);
    this.onError(err);
  }

  private rateLimited(err: RateLimitedError): void {
    this.o.budget.pause(err.retryAfterMs);
    this.notBefore = Math.max(this.notBefore, this.clock.now() + err.retryAfterMs);
    if (++this.strikes >= this.o.maxStrikes) this.editing = false;
  }

  /** Runs an edit of the live message; if it is gone, seals it as it is and queues its rest. */
  private async callOrGone(live: LiveMessage, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (!(err instanceof MessageGoneError)) throw err;
      this.sealed.push({ ref: live.ref, text: live.shown });
      this.body = continuation(live.body, this.body);
      this.live = undefined;
    }
  }

  private clearTimers(): void {
    this.clock.clearTimeout(this.timer);
    this.clock.clearTimeout(this.typingTimer);
  }

  // ---- the final delivery -------------------------------------------------------------------

  private async deliverFinal(note: string | undefined, signal: AbortSignal | undefined): Promise<DeliveredMessage[]> {
    this.clearTimers();
    await this.busy;
    if (note) this.body = this.body.trim() === '' ? note : `${closeOpenFence(this.body)}\n\n${note}`;
    const { transport } = this.o;
    // One final edit even after interim edits stopped for 429s: the message gets as much as fits
    // (at a clean cut, without the cursor) and the rest goes in new messages.
    if (this.live) {
      const current = this.live;
      const split = transport.splitHead(this.body);
      const head = split?.head ?? this.body;
      if (head !== current.shown) await this.finalCall(signal, () => this.callOrGone(current, () => transport.edit(current.ref, head)));
      if (this.live === current) {
        this.sealed.push({ ref: current.ref, text: head });
        this.body = split?.rest ?? '';
        this.live = undefined;
      }
    }
    while (this.body.trim() !== '') {
      const split = transport.splitHead(this.body);
      const part = split?.head ?? this.body;
      const ref = await this.finalCall(signal, () => transport.send(part));
      this.sealed.push({ ref, text: part });
      this.body = split?.rest ?? '';
    }
    this.closed = true;
    return [...this.sealed];
  }

  /** A call that must happen: waits for the budget, and out every retry_after it is given. */
  private async finalCall<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.o.budget.take(signal);
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof RateLimitedError) || attempt >= FINAL_ATTEMPTS) throw err;
        this.rateLimited(err);
      }
    }
  }
}

/** The part of `body` a message showing `shown` (a prefix of it) does not, its code block reopened. */
export function continuation(shown: string, body: string): string {
  const rest = body.slice(shown.length);
  const open = openFenceAtEnd(shown);
  return open && rest !== '' ? `${' '.repeat(open.indent)}${open.fence}${open.info}\n${rest}` : rest;
}

function closeOpenFence(markdown: string): string {
  const open = openFenceAtEnd(markdown);
  return open ? `${markdown}\n${' '.repeat(open.indent)}${open.fence}` : markdown;
}

function openFenceAtEnd(markdown: string): FenceOpening | undefined {
  const fences = new FenceTracker();
  let open: FenceOpening | undefined;
  for (const line of markdown.split('\n')) {
    const state = fences.feed(line);
    if (state.opening) open = state.opening;
    if (!state.inFence) open = undefined;
  }
  return open;
}
