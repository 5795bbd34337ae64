import { describe, expect, it } from 'vitest';
import { createCoalescer } from '../../src/stream/coalesce.js';

/** A manual clock: timers fire only when the test advances time. */
function fakeScheduler() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    schedule: (fn: () => void, ms: number): unknown => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    cancel: (handle: unknown): void => {
      timers.delete(handle as number);
    },
    advance(ms: number): void {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    get pending(): number {
      return timers.size;
    },
  };
}

describe('createCoalescer', () => {
  it('joins deltas into one flush per interval', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 16, ...clock });
    c.push('Hel');
    c.push('lo');
    expect(out).toEqual([]);
    clock.advance(15);
    c.push(', wor');
    expect(out).toEqual([]);
    clock.advance(1);
    expect(out).toEqual(['Hello, wor']);
    c.push('ld');
    clock.advance(16);
    expect(out).toEqual(['Hello, wor', 'ld']);
  });

  it('is not pushed back by a steady stream of deltas (no debounce)', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 10, ...clock });
    for (let i = 0; i < 100; i++) {
      c.push('x');
      clock.advance(1);
    }
    // one frame per 10 ms of streaming, each carrying the 10 deltas of its frame
    expect(out.length).toBe(10);
    expect(out.every((f) => f === 'x'.repeat(10))).toBe(true);
  });

  it('does not schedule anything while idle', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 10, ...clock });
    c.push('a');
    clock.advance(10);
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(out).toEqual(['a']);
    c.push('');
    expect(clock.pending).toBe(0);
  });

  it('flushNow emits pending text at once and cancels the timer', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 10, ...clock });
    c.push('a');
    c.push('b');
    c.flushNow();
    expect(out).toEqual(['ab']);
    expect(clock.pending).toBe(0);
    c.flushNow();
    expect(out).toEqual(['ab']);
    c.push('c');
    clock.advance(10);
    expect(out).toEqual(['ab', 'c']);
  });

  it('dispose drops pending text and ignores later deltas', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 10, ...clock });
    c.push('late');
    c.dispose();
    expect(clock.pending).toBe(0);
    c.push('later');
    c.flushNow();
    clock.advance(100);
    expect(out).toEqual([]);
  });

  it('keeps text pushed from inside the flush callback for the next frame', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer(
      (t) => {
        out.push(t);
        if (t === 'a') c.push('b');
      },
      { intervalMs: 10, ...clock },
    );
    c.push('a');
    clock.advance(10);
    clock.advance(10);
    expect(out).toEqual(['a', 'b']);
  });

  it('with leading, emits the first delta after idle at once, then one frame per interval', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 10, leading: true, ...clock });
    c.push('a');
    // the first token is not held for a frame
    expect(out).toEqual(['a']);
    // the next ones wait until an interval has passed since that emission
    clock.advance(3);
    c.push('b');
    clock.advance(3);
    c.push('c');
    expect(out).toEqual(['a']);
    clock.advance(4);
    expect(out).toEqual(['a', 'bc']);
    // still streaming: a delta right after that frame does not jump the queue
    clock.advance(1);
    c.push('d');
    expect(out).toEqual(['a', 'bc']);
    clock.advance(9);
    expect(out).toEqual(['a', 'bc', 'd']);
    // a quiet interval ends the stream's frames; nothing stays scheduled while idle
    clock.advance(10);
    expect(clock.pending).toBe(0);
    // after idle, the next delta is again shown at once
    clock.advance(500);
    c.push('e');
    expect(out).toEqual(['a', 'bc', 'd', 'e']);
  });

  it('with leading, holds text pushed from inside the flush for the next frame', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer(
      (t) => {
        out.push(t);
        if (t === 'a' || t === 'b') c.push(t === 'a' ? 'b' : 'c');
      },
      { intervalMs: 10, leading: true, ...clock },
    );
    c.push('a');
    expect(out).toEqual(['a']);
    clock.advance(10);
    expect(out).toEqual(['a', 'b']);
    clock.advance(10);
    expect(out).toEqual(['a', 'b', 'c']);
  });

  it('with leading, dispose stops the frame timer and flushNow ends the frame', () => {
    const clock = fakeScheduler();
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 10, leading: true, ...clock });
    c.push('a');
    c.push('b');
    c.flushNow();
    expect(out).toEqual(['a', 'b']);
    expect(clock.pending).toBe(0);
    c.push('c');
    expect(out).toEqual(['a', 'b', 'c']);
    c.push('d');
    c.dispose();
    expect(clock.pending).toBe(0);
    clock.advance(100);
    expect(out).toEqual(['a', 'b', 'c']);
  });

  it('uses real timers by default', async () => {
    const out: string[] = [];
    const c = createCoalescer((t) => out.push(t), { intervalMs: 1 });
    c.push('a');
    c.push('b');
    expect(out).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(out).toEqual(['ab']);
    c.push('never');
    c.dispose();
  });
});
