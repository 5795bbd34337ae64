// The retries of one model request: how often, and for how long in all.

import { describe, expect, it } from 'vitest';
import { RequestRetries, RETRY_PAUSE_ALLOWANCE_MS } from '../../src/agent/retry.js';
import type { ProviderError } from '../../src/agent/types.js';

const POLICY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };
const FIRST_BYTE_MS = 600_000;
const noAnswer: ProviderError = { kind: 'stall', message: 'the server did not start answering in time', retryable: true, firstByteTimeout: true };
const overloaded: ProviderError = { kind: 'server', message: 'HTTP 503', retryable: true, status: 503 };

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RequestRetries', () => {
  it('retries a first-byte timeout once, never twice', () => {
    const time = clock();
    const retries = new RequestRetries(POLICY, FIRST_BYTE_MS, time.now);
    time.advance(FIRST_BYTE_MS);
    expect(retries.delay(noAnswer, 1, false)).toBeGreaterThan(0);
    time.advance(FIRST_BYTE_MS);
    expect(retries.delay(noAnswer, 2, false)).toBeUndefined();
  });

  it('starts no attempt past the first-byte limit plus the pause allowance, whatever the error', () => {
    const time = clock();
    const retries = new RequestRetries(POLICY, FIRST_BYTE_MS, time.now);
    time.advance(FIRST_BYTE_MS - 1_000);
    expect(retries.delay(overloaded, 1, false)).toBeGreaterThan(0);
    time.advance(RETRY_PAUSE_ALLOWANCE_MS + 2_000);
    expect(retries.delay(overloaded, 2, false)).toBeUndefined();
  });

  it('keeps the usual retries for quick failures and none after visible output', () => {
    const retries = new RequestRetries(POLICY, FIRST_BYTE_MS, clock().now);
    expect(retries.delay(overloaded, 1, false)).toBeGreaterThan(0);
    expect(retries.delay(overloaded, 2, false)).toBeGreaterThan(0);
    expect(retries.delay(overloaded, 3, false)).toBeGreaterThan(0);
    expect(retries.delay(overloaded, 4, false)).toBeUndefined();
    expect(retries.delay(overloaded, 1, true)).toBeUndefined();
  });
});
