// A fetch wrapper every adapter hands to its SDK. It owns what the SDKs do not do for us:
// the watchdogs, and noticing a server that answers a streaming request with something other
// than a stream (one complete JSON body, a web page). One transport per request: nothing leaks
// between them.

import { bodyGist } from './error-page.js';
import { nodeBodyChunks } from './node-body.js';
import { canSendNatively, nodeRequest } from './node-request.js';

/**
 * first_byte: nothing visible arrived within the first-byte limit of the request being sent;
 * stall: no byte at all for the stall limit; idle: bytes (keepalives, pings, empty deltas) but
 * nothing visible for the first-byte limit after some of the answer.
 */
export type WatchdogTrip = 'first_byte' | 'stall' | 'idle';

/**
 * The SDKs' own request timeout, set far out of the way: the transport's first-byte and stall
 * watchdogs own timing. It stays below setTimeout's 2^31-1 ms limit, past which Node fires at once.
 */
export const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** How much of a web page answering a streaming request is read to find its title. */
const PAGE_PEEK_BYTES = 16 * 1024;

export interface TransportState {
  /** Set when a watchdog aborted the request. */
  tripped?: WatchdogTrip;
  /** The response headers arrived. */
  answered?: boolean;
  /** The body of a streaming request that came back as plain JSON (read in full). */
  jsonInsteadOfStream?: string;
  /** Why the response cannot be read as an answer (a web page, an unknown encoding), in one line. */
  bodyProblem?: string;
  /** Where the request went: origin and path, never the query. For error messages. */
  address?: string;
}

export interface Transport {
  fetch: typeof fetch;
  state: TransportState;
  /**
   * The body of a response this transport's fetch returned, as raw chunks, without the web
   * stream in between (when nothing has read `response.body` yet).
   */
  bodyChunks(response: Response): AsyncIterator<Uint8Array>;
  /**
   * The adapter saw visible progress (text, reasoning, tool call data). Keepalives, pings and
   * empty deltas keep bytes flowing but are not progress: a stream of only those ends as a
   * stall once the first-byte limit passes without progress.
   */
  progress(): void;
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
  let lastProgressAt = performance.now();
  let progressed = false;

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
    state.address = addressOf(input);

    let phase: 'waiting' | 'body' | 'over' = 'waiting';
    let lastByteAt = performance.now();
    lastProgressAt = lastByteAt;
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
      () => (phase === 'over' ? undefined : options.firstByteTimeoutMs - (performance.now() - lastProgressAt)),
      () => trip(progressed ? 'idle' : 'first_byte'),
    );

    let response: { status: number; statusText: string; headers: Headers; chunks: AsyncIterator<Uint8Array> } | undefined;
    let unsupportedEncoding: string | undefined;
    try {
      if (canSendNatively(input, init)) {
        const native = await nodeRequest(input as string | URL, init ?? {}, signal);
        response = { ...native, chunks: nodeBodyChunks(native.body) };
        unsupportedEncoding = native.unsupportedEncoding;
      } else {
        const fetched = await fetch(input, { ...init, signal });
        response = { status: fetched.status, statusText: fetched.statusText, headers: fetched.headers, chunks: webChunks(fetched.body) };
      }
    } catch (err) {
      phase = 'over';
      throw err;
    }
    state.answered = true;
    let { chunks } = response;

    const contentType = response.headers.get('content-type') ?? '';
    const ok = response.status >= 200 && response.status < 300;
    const emptyStream = (): Response => {
      phase = 'over';
      return new Response('', { status: response.status, headers: { 'content-type': 'text/event-stream' } });
    };
    // The request fails with the problem as its cause; classifyError reads it from the state.
    const refuse = (problem: string): never => {
      state.bodyProblem = problem;
      throw new Error(problem);
    };
    const from = `HTTP ${response.status} from ${state.address}`;
    try {
      if (unsupportedEncoding !== undefined) {
        await chunks.return?.();
        refuse(`the server sent its answer compressed as "${unsupportedEncoding}", which hermes cannot decode (${from})`);
      }
      let json = ok && /json/i.test(contentType);
      if (ok && !json && !(wantsStream && /text\/event-stream/i.test(contentType))) {
        // Not labelled as what was asked for: the first bytes decide (some servers send SSE
        // as text/plain, or JSON without a content type).
        const peeked = await peek(chunks);
        chunks = peeked.chunks;
        if (peeked.kind === 'other') {
          const page = Buffer.concat(await readAll(chunks, PAGE_PEEK_BYTES)).toString('utf8');
          const what = contentType.split(';', 1)[0]!.trim() || 'a body without a content type';
          const gist = bodyGist(page);
          refuse(`the server answered with ${what}, not ${wantsStream ? 'a stream' : 'JSON'}${gist ? ` ("${gist}")` : ''} (${from})`);
        }
        json = peeked.kind === 'json';
      }
      if (wantsStream && json) {
        // Read the whole answer now and give the SDK an empty stream; the adapter turns the
        // JSON into one delta. No second request is needed: the server already answered.
        state.jsonInsteadOfStream = Buffer.concat(await readAll(chunks)).toString('utf8');
        return emptyStream();
      }
    } catch (err) {
      phase = 'over';
      throw err;
    }
    // A streaming answer progresses with what the adapter makes of its events; anything else
    // (an error body, a complete answer) with its bytes.
    const bytesAreProgress = !wantsStream || !ok;

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
        if (bytesAreProgress) {
          lastProgressAt = lastByteAt;
          progressed = true;
        }
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
    progress() {
      lastProgressAt = performance.now();
      progressed = true;
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

type BodyKind = 'stream' | 'json' | 'other';

const SSE_FIELDS = ['data:', 'event:', 'id:', 'retry:'];

/**
 * What a body not labelled as SSE or JSON holds, from its first non-blank bytes, and the chunks
 * to read it from (those peeked at included).
 */
async function peek(chunks: AsyncIterator<Uint8Array>): Promise<{ kind: BodyKind; chunks: AsyncIterator<Uint8Array> }> {
  const seen: Uint8Array[] = [];
  let kind: BodyKind = 'stream';
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    seen.push(next.value);
    const start = Buffer.concat(seen).toString('utf8').replace(/^\uFEFF?\s*/, '');
    if (start === '') continue;
    // Too short to tell yet ("da" may become "data:").
    if (SSE_FIELDS.some((field) => field.length > start.length && field.startsWith(start))) continue;
    if (start.startsWith(':') || SSE_FIELDS.some((field) => start.startsWith(field))) kind = 'stream';
    else if (/^[{[]/.test(start)) kind = 'json';
    else kind = 'other';
    break;
  }
  let replay = 0;
  return {
    kind,
    chunks: {
      next: () => (replay < seen.length ? Promise.resolve({ done: false, value: seen[replay++]! }) : chunks.next()),
      return: async () => {
        await chunks.return?.();
        return { done: true, value: undefined };
      },
    },
  };
}

/** The body's chunks to its end, or until `limit` bytes (then the rest is let go). */
async function readAll(chunks: AsyncIterator<Uint8Array>, limit = Infinity): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    parts.push(next.value);
    size += next.value.byteLength;
    if (size >= limit) {
      await chunks.return?.();
      break;
    }
  }
  return parts;
}

function addressOf(input: string | URL | Request): string {
  try {
    const url = new URL(input instanceof Request ? input.url : input);
    return url.origin + url.pathname;
  } catch {
    return 'the server';
  }
}
