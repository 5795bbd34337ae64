// The coalescing writer: many deltas become one write per turn of the event loop, stdout and
// stderr keep their relative order, and a reader that goes away is reported once.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputWriter } from '../../src/cli/output-writer.js';

class Recorder extends Writable {
  writes: string[] = [];
  failWith?: NodeJS.ErrnoException;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.failWith) return callback(this.failWith);
    if (chunk.length > 0) this.writes.push(chunk.toString('utf8'));
    callback();
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OutputWriter', () => {
  it('turns the deltas of one network chunk into one write', async () => {
    const out = new Recorder();
    const writer = new OutputWriter(out, new Recorder());
    for (let i = 0; i < 100; i++) writer.out(`t${i} `);
    expect(out.writes).toEqual([]);
    await nextTurn();
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toBe(Array.from({ length: 100 }, (_, i) => `t${i} `).join(''));
  });

  it('writes at once when the queue passes the high-water mark', () => {
    const out = new Recorder();
    const writer = new OutputWriter(out, new Recorder(), { highWaterMark: 10 });
    writer.out('12345');
    expect(out.writes).toEqual([]);
    writer.out('67890');
    expect(out.writes).toEqual(['1234567890']);
  });

  it('keeps stdout and stderr in the order they were written', async () => {
    const order: string[] = [];
    const out = new Recorder();
    const err = new Recorder();
    const writer = new OutputWriter(
      { write: (s: string, cb?: () => void) => (order.push(`out:${s}`), out.write(s, cb)), on: out.on.bind(out) },
      { write: (s: string, cb?: () => void) => (order.push(`err:${s}`), err.write(s, cb)), on: err.on.bind(err) },
    );
    writer.err('thinking ');
    writer.err('more\n');
    writer.out('answer ');
    writer.out('text');
    writer.err('retrying\n');
    await writer.end();
    expect(order.filter((s) => !s.endsWith(':'))).toEqual(['err:thinking more\n', 'out:answer text', 'err:retrying\n']);
  });

  it('end() resolves after everything was handed over', async () => {
    const out = new Recorder();
    const writer = new OutputWriter(out, new Recorder());
    writer.out('tail of a long answer\n');
    await writer.end();
    expect(out.writes.join('')).toBe('tail of a long answer\n');
  });

  it('reports a closed stdout (EPIPE) once, as no failure, and drops later writes', async () => {
    const out = new Recorder();
    const calls: (Error | undefined)[] = [];
    const writer = new OutputWriter(out, new Recorder(), { onStdoutClosed: (failure) => calls.push(failure) });
    out.failWith = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    writer.out('first');
    await writer.end();
    await nextTurn();
    writer.out('second');
    await writer.end();
    expect(calls).toEqual([undefined]);
    expect(writer.stdoutClosed).toBe(true);
    expect(out.writes).toEqual([]);
  });

  it('reports another write failure (a full disk) as a failure', async () => {
    const out = new Recorder();
    const calls: (Error | undefined)[] = [];
    const writer = new OutputWriter(out, new Recorder(), { onStdoutClosed: (failure) => calls.push(failure) });
    out.failWith = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    writer.out('x');
    await writer.end();
    await nextTurn();
    expect(calls).toHaveLength(1);
    expect((calls[0] as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });
});
