// A response body (node:http's, or its decoder's) as an async iterator of its network reads. Readable's own
// iterator goes through 'readable' events, read() and its buffer for every chunk; at a few
// hundred small reads a second that bookkeeping is a good part of what a streamed answer costs.
// Here each 'data' event either settles the waiting next() or joins a short queue.

import type { Readable } from 'node:stream';

/** Reads held before the body is paused (the reader is behind; TCP then slows the server). */
const MAX_QUEUED = 64;

export function nodeBodyChunks(body: Readable): AsyncIterator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: unknown;
  let waiting: { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (err: unknown) => void } | undefined;

  /** The body ended or failed: a reader waiting (the queue is then empty) learns it. */
  const settle = (): void => {
    const reader = waiting;
    if (reader === undefined) return;
    waiting = undefined;
    if (failure !== undefined) reader.reject(failure);
    else reader.resolve({ done: true, value: undefined });
  };

  body.on('data', (chunk: Buffer) => {
    if (waiting !== undefined) {
      const reader = waiting;
      waiting = undefined;
      reader.resolve({ done: false, value: chunk });
      return;
    }
    queue.push(chunk);
    if (queue.length >= MAX_QUEUED) body.pause();
  });
  body.on('end', () => {
    ended = true;
    settle();
  });
  body.on('error', (err) => {
    failure ??= err;
    settle();
  });
  body.on('close', () => {
    // Destroyed before its end without an error of its own: what Readable's iterator reports.
    if (!ended) failure ??= Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
    settle();
  });

  return {
    next() {
      if (queue.length > 0) {
        const value = queue.shift()!;
        if (body.isPaused() && queue.length < MAX_QUEUED / 2) body.resume();
        return Promise.resolve({ done: false, value });
      }
      if (failure !== undefined) return Promise.reject(failure);
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    async return() {
      // The rest is not wanted: let the connection go.
      queue.length = 0;
      ended = true;
      body.destroy();
      return { done: true, value: undefined };
    },
  };
}
