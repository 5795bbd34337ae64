// A fetch wrapper every adapter hands to its SDK. It owns what the SDKs do not do for us:
// the first-byte and stall watchdogs, and noticing a server that answers a streaming
// request with one complete JSON body. One transport per request: nothing leaks between them.

export type WatchdogTrip = 'first_byte' | 'stall';

export interface TransportState {
  /** Set when a watchdog aborted the request. */
  tripped?: WatchdogTrip;
  /** The body of a streaming request that came back as plain JSON (read in full). */
  jsonInsteadOfStream?: string;
  /** True once any byte of a response body arrived. */
  receivedBody: boolean;
}

export interface Transport {
  fetch: typeof fetch;
  state: TransportState;
  /** Stop the timers; call when the request is over, however it ended. */
  dispose(): void;
}

export interface TransportOptions {
  stallTimeoutMs: number;
  firstByteTimeoutMs: number;
}

export function createTransport(options: TransportOptions): Transport {
  const state: TransportState = { receivedBody: false };
  const timers = new Set<NodeJS.Timeout>();

  const watch = (ms: number, isIdle: () => number | undefined, onTrip: () => void): void => {
    // One timer re-armed lazily instead of reset on every chunk: per-chunk work stays a
    // timestamp store, which matters at thousands of chunks a second.
    const arm = (delay: number): void => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const remaining = isIdle();
        if (remaining === undefined) return;
        if (remaining <= 0) onTrip();
        else arm(remaining);
      }, delay);
      timer.unref();
      timers.add(timer);
    };
    arm(ms);
  };

  const wrappedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const watchdog = new AbortController();
    const signal = init?.signal ? AbortSignal.any([init.signal, watchdog.signal]) : watchdog.signal;
    const wantsStream = typeof init?.body === 'string' && /"stream"\s*:\s*true/.test(init.body);

    let phase: 'waiting' | 'body' | 'over' = 'waiting';
    let lastByteAt = performance.now();
    const trip = (kind: WatchdogTrip): void => {
      if (phase === 'over') return;
      state.tripped = kind;
      watchdog.abort(new Error(kind === 'stall' ? 'stream stalled' : 'no response'));
    };

    watch(
      options.firstByteTimeoutMs,
      () => (phase === 'waiting' ? 0 : undefined),
      () => trip('first_byte'),
    );

    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (err) {
      phase = 'over';
      throw err;
    }

    const contentType = response.headers.get('content-type') ?? '';
    if (wantsStream && response.ok && contentType.includes('application/json')) {
      // Read the whole answer now and give the SDK an empty stream; the adapter turns the
      // JSON into one delta. No second request is needed: the server already answered.
      const text = await response.text();
      phase = 'over';
      state.jsonInsteadOfStream = text;
      state.receivedBody = true;
      return new Response('', { status: response.status, headers: { 'content-type': 'text/event-stream' } });
    }

    if (!response.body) {
      phase = 'over';
      return response;
    }

    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            phase = 'over';
            controller.close();
            return;
          }
          if (phase === 'waiting') {
            phase = 'body';
            state.receivedBody = true;
            watch(
              options.stallTimeoutMs,
              () => (phase === 'body' ? options.stallTimeoutMs - (performance.now() - lastByteAt) : undefined),
              () => trip('stall'),
            );
          }
          lastByteAt = performance.now();
          controller.enqueue(value);
        } catch (err) {
          phase = 'over';
          controller.error(err);
        }
      },
      cancel(reason) {
        phase = 'over';
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  return {
    fetch: wrappedFetch as typeof fetch,
    state,
    dispose() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
