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
export function retryDelay(error: ProviderError, attempt: number, visibleOutput: boolean, policy: RetryPolicy): number | undefined {
  if (!error.retryable || visibleOutput || attempt >= policy.maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > LONGEST_ADVISED_WAIT_MS ? undefined : error.retryAfterMs;
  }
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  // Full jitter on the upper half keeps several clients from retrying in lockstep.
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.min(policy.maxDelayMs, Math.round(jittered));
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
