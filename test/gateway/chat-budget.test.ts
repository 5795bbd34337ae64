// The per-chat budget: sliding windows per second and per minute, and retry_after pauses.

import { describe, expect, it } from 'vitest';
import { ChatBudget } from '../../src/gateway/chat-budget.js';
import { FakeClock, settle } from '../support/fake-clock.js';

describe('ChatBudget', () => {
  it('private chats: about one call per second; tryTake never waits', async () => {
    const clock = new FakeClock();
    const budget = ChatBudget.forChat('private', { clock });
    expect(budget.tryTake()).toBe(true);
    expect(budget.tryTake()).toBe(false);
    await clock.advance(999);
    expect(budget.tryTake()).toBe(false);
    await clock.advance(1);
    expect(budget.tryTake()).toBe(true);
  });

  it('groups: 20 calls in any minute as well', async () => {
    const clock = new FakeClock();
    const budget = ChatBudget.forChat('group', { clock });
    const taken: number[] = [];
    for (let i = 0; i < 25; i++) {
      if (budget.tryTake()) taken.push(clock.now());
      await clock.advance(1000);
    }
    expect(taken).toHaveLength(20);
    await clock.advance(35_000); // the first call (t=0) leaves the window at t=60,000
    expect(clock.now()).toBe(60_000);
    expect(budget.tryTake()).toBe(true);
    expect(budget.tryTake()).toBe(false);
  });

  it('take() waits for the next free slot and counts it', async () => {
    const clock = new FakeClock();
    const budget = new ChatBudget({ perSecond: 2, clock });
    await budget.take();
    await budget.take();
    let third = false;
    void budget.take().then(() => (third = true));
    await clock.advance(999);
    expect(third).toBe(false);
    await clock.advance(1);
    expect(third).toBe(true);
    expect(budget.tryTake()).toBe(true); // the two calls at t=0 have left the window
    expect(budget.tryTake()).toBe(false);
  });

  it('pause(retryAfter) blocks every call until it has passed; take() waits it out', async () => {
    const clock = new FakeClock();
    const budget = new ChatBudget({ perSecond: 30, clock });
    budget.pause(5000);
    expect(budget.isPaused()).toBe(true);
    expect(budget.tryTake()).toBe(false);
    let took = -1;
    void budget.take().then(() => (took = clock.now()));
    await clock.advance(4999);
    expect(took).toBe(-1);
    expect(budget.tryTake()).toBe(false);
    await clock.advance(1);
    expect(took).toBe(5000);
    expect(budget.isPaused()).toBe(false);
    // A shorter pause never shortens a longer one.
    budget.pause(3000);
    budget.pause(1000);
    await clock.advance(2000);
    expect(budget.tryTake()).toBe(false);
  });

  it('take() ends when its signal aborts', async () => {
    const clock = new FakeClock();
    const budget = new ChatBudget({ clock });
    budget.pause(60_000);
    const controller = new AbortController();
    const waiting = budget.take(controller.signal).catch((e: unknown) => e);
    await settle();
    controller.abort(new Error('stopped'));
    expect(await waiting).toEqual(new Error('stopped'));
    expect(clock.pending).toBe(0);
  });

  it('refuses a budget of zero calls', () => {
    expect(() => new ChatBudget({ perSecond: 0 })).toThrow(RangeError);
  });
});
