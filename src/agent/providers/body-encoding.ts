// Undoing a content-encoding the server applied although hermes asked for identity (some proxies
// compress everything). Decoding is incremental: each network read is inflated and passed on at
// once (sync flush), so a compressed stream still arrives token by token.

import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

export type DecodedBody = { body: Readable } | { unsupported: string };

const SYNC = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_SYNC = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};

/**
 * The body with its content-encoding undone, or the name of an encoding hermes cannot decode.
 * A truncated compressed body is not an error here: whether the answer is complete is decided by
 * the stream's own end marker, as for an uncompressed body.
 */
export function decodeBody(body: Readable, contentEncoding: string | undefined): DecodedBody {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return { body };
  let decoded = body;
  // Codings are listed in the order they were applied: undo them from the last.
  for (const coding of codings.reverse()) {
    const decoder = decoderFor(coding);
    if (!decoder) return { unsupported: coding };
    // pipeline: an error or a destroy on either side reaches the other (an abort closes the socket).
    decoded = pipeline(decoded, decoder, () => {});
  }
  return { body: decoded };
}

function decoderFor(coding: string): Transform | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(SYNC);
    case 'deflate':
      return new DeflateEither();
    case 'br':
      return zlib.createBrotliDecompress(BROTLI_SYNC);
    default:
      return undefined;
  }
}

/**
 * "deflate" as servers send it: a zlib stream as the RFC says, or raw deflate as many servers
 * send instead. The first two bytes tell them apart (a zlib header is CM 8 and a multiple of 31).
 */
class DeflateEither extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      const zlibHeader = chunk.length >= 2 && (chunk[0]! & 0x0f) === 8 && ((chunk[0]! << 8) | chunk[1]!) % 31 === 0;
      const inner = zlibHeader ? zlib.createInflate(SYNC) : zlib.createInflateRaw(SYNC);
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (err) => this.destroy(err));
      this.inner = inner;
    }
    this.inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) {
      callback();
      return;
    }
    this.inner.once('end', () => callback());
    this.inner.end();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(err);
  }
}
