// Bearer key and CORS checks. The key is compared through fixed-length digests with
// timingSafeEqual, so the time taken says nothing about how much of a guess was right (nor,
// since both sides are hashed first, about the key's length).

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function keyChecker(key: string): (req: IncomingMessage) => boolean {
  const expected = digest(key);
  return (req) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(.+?)[ \t]*$/i.exec(header) : null;
    // A missing header is still hashed and compared: no fast path to time.
    return timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
  };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * The name part of a Host header ("localhost:8642" -> "localhost", "[::1]:8642" -> "[::1]"),
 * or undefined when there is none.
 */
function hostName(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end < 0 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  // More than one colon without brackets is no valid host; it names nothing we serve.
  return colon < 0 ? value : value.indexOf(':', colon + 1) < 0 ? value.slice(0, colon) : value;
}

/**
 * Whether a request addressed to this Host may be served by a key-less server. Such a server
 * listens on loopback only, but a web page can still reach it through DNS rebinding: its own
 * name re-pointed at 127.0.0.1 makes the browser send requests that carry that name in Host.
 * Only loopback names and addresses pass.
 */
export function loopbackHostHeader(header: string | undefined): boolean {
  const name = hostName(header);
  return name !== undefined && isLoopbackHost(name);
}

export interface CorsPolicy {
  /** Exact origins (scheme://host[:port]); '*' allows any. */
  origins: readonly string[];
}

export function originAllowed(policy: CorsPolicy, origin: string): boolean {
  return policy.origins.includes('*') || policy.origins.includes(origin);
}

export const CORS_ALLOW_METHODS = 'GET, POST, DELETE, OPTIONS';
const DEFAULT_ALLOW_HEADERS = 'authorization, content-type';

/** Headers for an allowed cross-origin request (and its preflight). */
export function corsHeaders(origin: string, req: IncomingMessage, preflight: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (preflight) {
    // The openai SDK in a browser sends its own x-stainless-* headers; echoing what the
    // browser asks for (the origin is already trusted) avoids listing them.
    const asked = req.headers['access-control-request-headers'];
    headers['access-control-allow-methods'] = CORS_ALLOW_METHODS;
    headers['access-control-allow-headers'] = typeof asked === 'string' && asked.trim() !== '' ? asked : DEFAULT_ALLOW_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  return headers;
}
