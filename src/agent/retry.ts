// When and how long to wait before sending a failed request again.

import type { ProviderError } from './types.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A server asking us to wait longer than this is treated as a failure, not a pause. */
const LONGEST_ADVISED_WAIT_MS = 60_000;

/**
 * The delay before the next attempt, or undefined when the error must not be retried.
 * `visibleOutput`: once anything was shown, a retry would print it twice (DESIGN rule 3).
 */
function retryDelay(error: ProviderError, attempt: number, visibleOutput: boolean, policy: RetryPolicy): number | undefined {
  if (!error.retryable || visibleOutput || attempt >= policy.maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > LONGEST_ADVISED_WAIT_MS ? undefined : error.retryAfterMs;
  }
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  // Full jitter on the upper half keeps several clients from retrying in lockstep.
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.min(policy.maxDelayMs, Math.round(jittered));
}

/** The longest pause between attempts that a request's time limit allows for. */
export const RETRY_PAUSE_ALLOWANCE_MS = LONGEST_ADVISED_WAIT_MS;

/**
 * The retries of one model request, all its attempts together. A server that answers nothing
 * (headers, then silence or keepalives) costs the first-byte limit per attempt, so such a
 * timeout is waited for once more at most, and no attempt starts once the first-byte limit plus
 * the pause allowance has passed: until the first visible delta, a request takes at most
 * 2 × the first-byte limit + RETRY_PAUSE_ALLOWANCE_MS (README, next to HERMES_STALL_TIMEOUT).
 */
export class RequestRetries {
  private readonly startedAt: number;
  private firstByteTimeouts = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly firstByteTimeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  /** The delay before attempt `attempt + 1`, or undefined when the request must end here. */
  delay(error: ProviderError, attempt: number, visibleOutput: boolean): number | undefined {
    if (error.firstByteTimeout && ++this.firstByteTimeouts > 1) return undefined;
    const delay = retryDelay(error, attempt, visibleOutput, this.policy);
    if (delay === undefined) return undefined;
    const startsAt = this.now() - this.startedAt + delay;
    return startsAt > this.firstByteTimeoutMs + RETRY_PAUSE_ALLOWANCE_MS ? undefined : delay;
  }
}

/** Resolves after ms, or false at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
