// A platform call made within a chat's flood budget: it waits for the budget, and a 429 pauses
// the whole chat for the time the platform asked, then the call is tried again.

import { RateLimitedError, type ChatBudget } from './chat-transport.js';

/** At most this many 429s for one call; then the error goes to the caller. */
const MAX_STRIKES = 5;

export async function withinBudget<T>(budget: ChatBudget, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let strike = 1; ; strike++) {
    await budget.take(signal);
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof RateLimitedError) || strike >= MAX_STRIKES) throw err;
      budget.pause(err.retryAfterMs);
    }
  }
}
