// A response body's server-sent events, those of each network read together: one async hop per
// read rather than per message, through our linear decoder (src/stream/sse-decode.ts). The
// SDKs' own decoders copy their buffer once per event, quadratic in a large network read.

import { SseDecoder, type SseMessage } from '../../stream/sse-decode.js';

/** The body's SSE messages, those of each network read together (one hop per read, not per
 *  message); the body is released if the reader stops early. */
export async function* sseBatches(chunks: AsyncIterator<Uint8Array>): AsyncGenerator<SseMessage[]> {
  const decoder = new SseDecoder();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await chunks.next();
      const messages = done ? decoder.end() : decoder.push(value);
      if (messages.length > 0) yield messages;
      if (done) {
        finished = true;
        return;
      }
    }
  } finally {
    // After [DONE] (or an error frame) the rest of the body is not needed: release the socket.
    if (!finished) chunks.return?.().catch(() => {});
  }
}
