// Rendering every token makes per-token cost grow with the UI; frames at a fixed rate keep it
// flat. The timer starts with the first delta after idle and later deltas join that frame
// rather than pushing it back, so a fast stream still paints at the interval. With `leading`,
// the first delta after idle is emitted at once (the first token should not wait a frame) and
// the timer then holds later deltas until the interval has passed since that emission.

export interface CoalescerOptions {
  intervalMs: number;
  /** Emit the first delta after idle at once instead of at the end of its frame. */
  leading?: boolean;
  schedule?: (fn: () => void, ms: number) => unknown;
  cancel?: (handle: unknown) => void;
}

export interface Coalescer {
  push(delta: string): void;
  /** Emit pending text now (e.g. before a tool runs or the turn ends). */
  flushNow(): void;
  /** Cancel the timer and drop pending text; later pushes are ignored. */
  dispose(): void;
}

const defaultSchedule = (fn: () => void, ms: number): unknown => setTimeout(fn, ms);
const defaultCancel = (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>);

export function createCoalescer(flush: (text: string) => void, options: CoalescerOptions): Coalescer {
  const schedule = options.schedule ?? defaultSchedule;
  const cancel = options.cancel ?? defaultCancel;
  let chunks: string[] = [];
  let handle: unknown;
  let scheduled = false;
  let disposed = false;

  function emit(): void {
    if (chunks.length === 0) return;
    const text = chunks.length === 1 ? (chunks[0] ?? '') : chunks.join('');
    chunks = [];
    flush(text);
  }

  function startTimer(): void {
    scheduled = true;
    handle = schedule(onTimer, options.intervalMs);
  }

  function onTimer(): void {
    scheduled = false;
    handle = undefined;
    if (chunks.length === 0) return; // a quiet frame: idle again
    // Leading: this frame's text goes out now, so the next may not go out before an interval
    // (armed first, so text pushed from inside the flush waits for it too).
    if (options.leading === true) startTimer();
    emit();
  }

  function stopTimer(): void {
    if (!scheduled) return;
    scheduled = false;
    cancel(handle);
    handle = undefined;
  }

  return {
    push(delta) {
      if (disposed || delta === '') return;
      chunks.push(delta);
      if (scheduled) return;
      startTimer();
      if (options.leading === true) emit();
    },
    flushNow() {
      stopTimer();
      emit();
    },
    dispose() {
      stopTimer();
      chunks = [];
      disposed = true;
    },
  };
}
