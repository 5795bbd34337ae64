// A fetch wrapper every adapter hands to its SDK. It owns what the SDKs do not do for us:
// the first-byte and stall watchdogs, and noticing a server that answers a streaming
// request with one complete JSON body. One transport per request: nothing leaks between them.

import { nodeBodyChunks } from './node-body.js';
import { canSendNatively, nodeRequest } from './node-request.js';

export type WatchdogTrip = 'first_byte' | 'stall';

/**
 * The SDKs' own request timeout, set far out of the way: the transport's first-byte and stall
 * watchdogs own timing. It stays below setTimeout's 2^31-1 ms limit, past which Node fires at once.
 */
export const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export interface TransportState {
  /** Set when a watchdog aborted the request. */
  tripped?: WatchdogTrip;
  /** The body of a streaming request that came back as plain JSON (read in full). */
  jsonInsteadOfStream?: string;
}

export interface Transport {
  fetch: typeof fetch;
  state: TransportState;
  /**
   * The body of a response this transport's fetch returned, as raw chunks, without the web
   * stream in between (when nothing has read `response.body` yet).
   */
  bodyChunks(response: Response): AsyncIterator<Uint8Array>;
  /** Stop the timers; call when the request is over, however it ended. */
  dispose(): void;
}

export interface TransportOptions {
  stallTimeoutMs: number;
  firstByteTimeoutMs: number;
}

export function createTransport(options: TransportOptions): Transport {
  const state: TransportState = {};
  const direct = new WeakMap<Response, AsyncIterator<Uint8Array>>();
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
    // The stall clock runs only while a read is waiting: while our reader is held back (its
    // own client is not reading), the upstream is not late. The read starts the clock afresh.
    let reading = false;
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

    let response: { status: number; statusText: string; headers: Headers; chunks: AsyncIterator<Uint8Array> } | undefined;
    try {
      if (canSendNatively(input, init)) {
        const native = await nodeRequest(input as string | URL, init ?? {}, signal);
        response = { ...native, chunks: nodeBodyChunks(native.body) };
      } else {
        const fetched = await fetch(input, { ...init, signal });
        response = { status: fetched.status, statusText: fetched.statusText, headers: fetched.headers, chunks: webChunks(fetched.body) };
      }
    } catch (err) {
      phase = 'over';
      throw err;
    }
    const { chunks } = response;

    const contentType = response.headers.get('content-type') ?? '';
    const ok = response.status >= 200 && response.status < 300;
    if (wantsStream && ok && contentType.includes('application/json')) {
      // Read the whole answer now and give the SDK an empty stream; the adapter turns the
      // JSON into one delta. No second request is needed: the server already answered.
      const parts: Uint8Array[] = [];
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) parts.push(next.value);
      phase = 'over';
      state.jsonInsteadOfStream = Buffer.concat(parts).toString('utf8');
      return new Response('', { status: response.status, headers: { 'content-type': 'text/event-stream' } });
    }

    // Every chunk passes here: the watchdogs see it, at the cost of a timestamp store.
    const stamped: AsyncIterator<Uint8Array> = {
      async next() {
        let result: IteratorResult<Uint8Array>;
        lastByteAt = performance.now();
        reading = true;
        try {
          result = await chunks.next();
        } catch (err) {
          phase = 'over';
          throw err;
        } finally {
          reading = false;
        }
        if (result.done) {
          phase = 'over';
          return result;
        }
        if (phase === 'waiting') {
          phase = 'body';
          watch(
            options.stallTimeoutMs,
            () => (phase !== 'body' ? undefined : reading ? options.stallTimeoutMs - (performance.now() - lastByteAt) : options.stallTimeoutMs),
            () => trip('stall'),
          );
        }
        lastByteAt = performance.now();
        return result;
      },
      async return() {
        phase = 'over';
        await chunks.return?.();
        return { done: true, value: undefined };
      },
    };

    const nullBody = response.status === 204 || response.status === 304 || (response.status >= 100 && response.status < 200);
    // A pull-only stream (high-water mark 0): nothing is read until someone reads it, so an
    // adapter that takes the chunks directly (bodyChunks) skips the web stream entirely.
    const body = nullBody
      ? null
      : new ReadableStream<Uint8Array>(
          {
            async pull(controller) {
              try {
                const { done, value } = await stamped.next();
                if (done) controller.close();
                else controller.enqueue(value);
              } catch (err) {
                controller.error(err);
              }
            },
            async cancel() {
              await stamped.return?.();
            },
          },
          { highWaterMark: 0 },
        );
    const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    direct.set(wrapped, stamped);
    return wrapped;
  };

  return {
    fetch: wrappedFetch as typeof fetch,
    state,
    bodyChunks(response) {
      const chunks = direct.get(response);
      if (!chunks || response.bodyUsed) return webChunks(response.body);
      direct.delete(response);
      return chunks;
    },
    dispose() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** A web stream's chunks as an iterator (fetch's bodies, and bodies already being read). */
function webChunks(body: ReadableStream<Uint8Array> | null): AsyncIterator<Uint8Array> {
  if (!body) return { next: async () => ({ done: true, value: undefined }) };
  const reader = body.getReader();
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    async return() {
      await reader.cancel().catch(() => {});
      return { done: true, value: undefined };
    },
  };
}
