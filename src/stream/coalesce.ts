// Rendering every token makes per-token cost grow with the UI; frames at a fixed rate keep it
// flat. The timer starts with the first delta after idle and later deltas join that frame
// rather than pushing it back, so a fast stream still paints at the interval.

export interface CoalescerOptions {
  intervalMs: number;
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

  function onTimer(): void {
    scheduled = false;
    handle = undefined;
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
      if (!scheduled) {
        scheduled = true;
        handle = schedule(onTimer, options.intervalMs);
      }
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
