// Flood control for one chat, kept on our side so Telegram never has to say 429: at most
// `perSecond` calls in any second (every chat) and `perMinute` in any minute (groups), and
// nothing at all while a retry_after window runs. Sliding windows, counted as Telegram does.

import type { ChatBudget as ChatBudgetContract } from './chat-transport.js';
import { sleep, systemClock, type Clock } from './clock.js';

export interface ChatBudgetOptions {
  /** Calls in any 1,000 ms (default 1). */
  perSecond?: number;
  /** Calls in any 60,000 ms (default: no per-minute limit). */
  perMinute?: number;
  clock?: Clock;
}

/** Telegram's documented pace: about one message per second per chat, 20 per minute in groups. */
export const PRIVATE_CHAT_LIMITS = { perSecond: 1 } as const;
export const GROUP_CHAT_LIMITS = { perSecond: 1, perMinute: 20 } as const;

export class ChatBudget implements ChatBudgetContract {
  private readonly windows: { ms: number; limit: number }[];
  private readonly clock: Clock;
  private readonly calls: number[] = [];
  private pausedUntil = 0;

  constructor(options: ChatBudgetOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.windows = [{ ms: 1000, limit: options.perSecond ?? 1 }];
    if (options.perMinute !== undefined) this.windows.push({ ms: 60_000, limit: options.perMinute });
    for (const w of this.windows) if (!(w.limit >= 1)) throw new RangeError('a chat budget needs at least 1 call per window');
  }

  /** A budget with Telegram's pace for this kind of chat, with any overrides. */
  static forChat(kind: 'private' | 'group', overrides: ChatBudgetOptions = {}): ChatBudget {
    return new ChatBudget({ ...(kind === 'private' ? PRIVATE_CHAT_LIMITS : GROUP_CHAT_LIMITS), ...overrides });
  }

  tryTake(): boolean {
    if (this.waitMs() > 0) return false;
    this.count();
    return true;
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait <= 0) return this.count();
      await sleep(this.clock, wait, signal);
    }
  }

  pause(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + retryAfterMs);
  }

  isPaused(): boolean {
    return this.clock.now() < this.pausedUntil;
  }

  /** How long until a call may be made (0: now). */
  waitMs(): number {
    const now = this.clock.now();
    let wait = this.pausedUntil - now;
    for (const { ms, limit } of this.windows) {
      const recent = this.calls.filter((t) => t > now - ms);
      if (recent.length >= limit) wait = Math.max(wait, recent[recent.length - limit]! + ms - now);
    }
    return Math.max(0, wait);
  }

  private count(): void {
    this.calls.push(this.clock.now());
    const longest = Math.max(...this.windows.map((w) => w.limit));
    if (this.calls.length > longest) this.calls.splice(0, this.calls.length - longest);
  }
}
