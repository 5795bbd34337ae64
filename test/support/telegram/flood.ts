// Telegram's flood control for one chat, as the fake plays it: a sliding window of calls per
// second (every chat) and per minute (groups), and once exceeded, a retry_after window in which
// every call to the chat is refused. Off unless a test sets limits.

export interface FloodLimits {
  /** Message calls (send, edit) per second in any chat. */
  perSecond?: number;
  /** Message calls per minute in groups and supergroups. */
  perMinuteInGroups?: number;
  /** sendMessageDraft calls per second (counted apart from messages). */
  draftsPerSecond?: number;
  /** Seconds announced in retry_after when a limit is exceeded (default 1). */
  retryAfter?: number;
}

export class ChatFlood {
  private messageCalls: number[] = [];
  private draftCalls: number[] = [];
  /** performance.now() until which every call to this chat gets a 429. */
  blockedUntil = 0;

  /** Seconds to announce (still blocked, or just exceeded), or undefined when the call may go. */
  check(now: number, limits: FloodLimits, kind: 'message' | 'draft' | 'other', group: boolean): number | undefined {
    if (now < this.blockedUntil) return Math.max(1, Math.ceil((this.blockedUntil - now) / 1000));
    if (kind === 'other') return undefined;
    const calls = kind === 'draft' ? this.draftCalls : this.messageCalls;
    const exceeded =
      kind === 'draft'
        ? over(calls, now, 1000, limits.draftsPerSecond)
        : over(calls, now, 1000, limits.perSecond) || (group && over(calls, now, 60_000, limits.perMinuteInGroups));
    if (exceeded) {
      const seconds = limits.retryAfter ?? 1;
      this.blockedUntil = now + seconds * 1000;
      return seconds;
    }
    calls.push(now);
    return undefined;
  }
}

function over(calls: number[], now: number, windowMs: number, limit: number | undefined): boolean {
  if (limit === undefined) return false;
  return calls.filter((t) => t > now - windowMs).length >= limit;
}
