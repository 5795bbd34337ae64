// How long a client may take: to send its headers, its whole request, to come back on an idle
// keep-alive connection, and to read what a stream has written. A client that takes longer
// loses its socket (destroyed, not half-closed: a half-closed socket waits for the client's
// own FIN, which a slowloris never sends).

import type http from 'node:http';
import type { Duplex } from 'node:stream';

export interface ServeTimeouts {
  /** From the connection (or the previous response) until the request's headers are complete. */
  headersMs: number;
  /** The whole request, body included; the answer may then take as long as the model does. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number;
  /** A stream whose client has read nothing (its socket stays full) for this long is cut off. */
  drainMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ServeTimeouts> = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  drainMs: 60_000,
};

export function resolveTimeouts(overrides: Partial<ServeTimeouts> | undefined): ServeTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...overrides };
  // Node insists that the headers' limit is not above the whole request's.
  timeouts.requestMs = Math.max(timeouts.requestMs, timeouts.headersMs);
  return timeouts;
}

/** The node:http server options that enforce the limits. */
export function serverLimits(timeouts: ServeTimeouts): http.ServerOptions {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node looks for expired requests at this interval (its default, 30 s, would let a trickle
    // run up to twice its limit).
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 10))),
  };
}

/** Sockets whose request ran out of time, so the log can say 408 rather than "client closed". */
export type TimedOut = WeakSet<Duplex>;

/**
 * Answers a malformed or too slow request (when nothing of a response was written yet) and
 * destroys the socket.
 */
export function clientErrorHandler(timedOut: TimedOut): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  return (err, socket) => {
    const code = err.code;
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') timedOut.add(socket);
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent && code !== 'ECONNRESET' && code !== 'EPIPE') {
      const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.write(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
    socket.destroy();
  };
}
