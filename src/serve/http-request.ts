// Reading a request: the method check, the JSON body (bounded), ids in paths, and the client's
// text made safe for our log.

import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export function requireMethod(method: string, ...allowed: string[]): void {
  if (!allowed.includes(method)) {
    throw new HttpError(405, `${method} is not allowed here; use ${allowed.join(' or ')}`, 'invalid_request_error', 'method_not_allowed', null, { allow: allowed.join(', ') });
  }
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        throw new HttpError(413, `the request body is larger than ${limit} bytes`, 'invalid_request_error', 'request_too_large', null, { connection: 'close' });
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    // The client went away while sending; nobody will read the answer.
    throw new HttpError(400, 'the request body was cut off', 'invalid_request_error', 'incomplete_body');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'We could not parse the JSON body of your request: it must be valid JSON.', 'invalid_request_error', 'invalid_json');
  }
}

export function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a malformed escape names no stored response: a plain 404
  }
}

/** Request paths and origins are the client's text: no control characters in our log, and not too long. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
