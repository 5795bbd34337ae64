// One SSE response: headers sent lazily, writes that respect backpressure, and a keep-alive
// comment when nothing was written for a while.
//
// Lazy start: the headers go out with the first frame, so a model request that fails before
// anything was streamed can still be answered with a real HTTP status and error body. The
// keep-alive timer starts the stream itself when the model takes long to begin.

import type { ServerResponse } from 'node:http';
import { sseComment } from '../stream/sse.js';

const KEEPALIVE = sseComment('keepalive');

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // nginx buffers proxied responses unless told not to; a buffered stream is no stream.
  'x-accel-buffering': 'no',
};

export interface EventStreamOptions {
  keepaliveMs: number;
  /** Waiting this long for the client to read (drain) ends the response: it has stopped reading. */
  drainTimeoutMs: number;
  /** Sent with the SSE headers (CORS, for one). */
  headers: Readonly<Record<string, string>>;
  /** The frames every stream of this kind begins with (role chunk, response.created…). */
  preamble: () => string;
}

/** A batch this large is written at once rather than at the end of the tick. */
const FLUSH_AT = 64 * 1024;
/**
 * Frames a stream may produce before it lets the event loop run other work. One network read
 * upstream can carry hundreds of tokens, all processed in one go; with many streams busy, a
 * new request would wait behind all of them for every step of its set-up (its time to first
 * token grew to hundreds of milliseconds in the 20-client bench). Yielding every few dozen
 * frames keeps a turn of the loop short.
 */
const FRAMES_PER_SLICE = 32;

export class EventStream {
  private begun = false;
  private lastWriteAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Frames produced in one turn of the event loop (one network read upstream often carries
   * many tokens) leave in one socket write instead of one each: a write per token costs the
   * server more than encoding the token. The batch is written on setImmediate, which runs
   * after the current batch of promise jobs, so no frame waits for later network input.
   */
  private pending = '';
  private flushScheduled = false;
  private framesInSlice = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
  ) {
    this.timer = setTimeout(this.tick, options.keepaliveMs);
    this.timer.unref();
    res.once('close', () => this.stopTimer());
  }

  /** Whether the headers (and the preamble) have been sent. */
  get started(): boolean {
    return this.begun;
  }

  /** The client went away (or the response ended). */
  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /**
   * Queues one or more frames. false: await ready() before producing more. That is how a
   * slow reader holds the model back instead of filling memory (the socket is full), and how
   * a busy stream leaves room for the others (its time slice is used up).
   */
  write(frames: string): boolean {
    if (this.closed) return true;
    if (!this.begun) this.begin();
    this.lastWriteAt = performance.now();
    this.pending += frames;
    if (++this.framesInSlice >= FRAMES_PER_SLICE || this.pending.length >= FLUSH_AT) return false;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushSoon);
    }
    return !this.res.writableNeedDrain;
  }

  /**
   * Writes what is queued, then resolves once the socket drains (or the response closes), or,
   * when the socket has room, after the event loop has had a turn.
   */
  ready(): Promise<void> {
    this.framesInSlice = 0;
    this.flush();
    if (this.closed) return Promise.resolve();
    if (!this.res.writableNeedDrain) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      // A client that never reads again (or vanished without a reset) would hold the socket
      // and the model request forever. Destroying closes the response, which settles this.
      const timer = setTimeout(() => this.res.destroy(), this.options.drainTimeoutMs);
      timer.unref();
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  /** Writes the last frames and ends the response. */
  end(frames: string): void {
    this.stopTimer();
    if (this.closed) return;
    if (!this.begun) this.begin();
    const last = this.pending + frames;
    this.pending = '';
    this.res.end(last);
  }

  /** Stops the keep-alive without ending (the caller answers some other way). */
  dispose(): void {
    this.stopTimer();
  }

  private begin(): void {
    this.begun = true;
    this.res.writeHead(200, { ...SSE_HEADERS, ...this.options.headers });
    this.pending = this.options.preamble() + this.pending;
  }

  /** Writes the queued frames; returns what res.write says about backpressure. */
  private flush(): boolean {
    if (this.pending === '' || this.closed) return !this.res.writableNeedDrain;
    const batch = this.pending;
    this.pending = '';
    return this.res.write(batch);
  }

  private readonly flushSoon = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.closed) return;
    const idle = performance.now() - this.lastWriteAt;
    if (idle >= this.options.keepaliveMs) {
      this.write(KEEPALIVE);
      this.timer = setTimeout(this.tick, this.options.keepaliveMs);
    } else {
      this.timer = setTimeout(this.tick, this.options.keepaliveMs - idle);
    }
    this.timer.unref();
  };

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
