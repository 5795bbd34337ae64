// Turns whatever an SDK threw into one ProviderError. Duck-typed so that this file loads
// neither SDK: both expose `status`, `headers` and `error` on their APIError classes.

import { redactSecrets } from '../../stream/redact.js';
import type { ProviderError, ProviderId } from '../types.js';
import { bodyGist, looksLikeHtml } from './error-page.js';
import type { TransportState } from './transport.js';

interface ApiErrorLike {
  status?: number;
  headers?: Headers | Record<string, string>;
  error?: unknown;
  message?: string;
  name?: string;
  cause?: unknown;
}

function header(headers: ApiErrorLike['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** retry-after-ms, or retry-after in seconds or as an HTTP date. */
export function retryAfterMs(headers: ApiErrorLike['headers']): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && header(headers, 'retry-after-ms') !== undefined) return ms;
  const raw = header(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The human part of an error body: {error: {message}} / {message} / a string. */
export function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (record.error !== undefined && record.error !== body) {
    const inner = serverMessage(record.error);
    if (inner) return inner;
  }
  return typeof record.message === 'string' ? record.message : undefined;
}

const TLS_CODES = /\b(?:DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+)\b/;
// zlib's and brotli's codes for a body that is not what its content-encoding says.
const DECODING_CODES = /\bZ_(?:DATA|BUF|STREAM)_ERROR\b|\bERR__ERROR_FORMAT|\bERR_BROTLI/;
const NETWORK_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR|socket|terminated|other side closed/i;

function causeChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: string; message?: string; cause?: unknown };
    if (e.code) parts.push(e.code);
    if (e.message) parts.push(e.message);
    current = e.cause;
  }
  return parts.join(' ');
}

export function classifyError(err: unknown, state: TransportState | undefined, signal: AbortSignal): ProviderError {
  if (signal.aborted) return { kind: 'aborted', message: 'interrupted', retryable: false };
  if (state?.tripped === 'stall') {
    return { kind: 'stall', message: 'the stream stalled: no data for too long', retryable: true };
  }
  if (state?.tripped === 'idle') {
    return { kind: 'stall', message: 'the stream stalled: the server kept the connection alive but sent no more of the answer', retryable: true };
  }
  if (state?.tripped === 'first_byte') {
    const after = state.answered ? ' (it sent headers, then nothing of the answer)' : '';
    return { kind: 'stall', message: `the server did not start answering in time${after}`, retryable: true, firstByteTimeout: true };
  }
  if (state?.bodyProblem !== undefined) {
    // A web page or an encoding we cannot read: a proxy or portal in the way, not a passing fault.
    return { kind: 'network', message: state.bodyProblem, retryable: false };
  }

  const e = (err ?? {}) as ApiErrorLike;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const detail = serverMessage(e.error) ?? bodyDetail(stripStatusPrefix(e.message ?? String(err)), state);

  if (status !== undefined) {
    const message = `HTTP ${status}: ${detail}`;
    if (status === 401 || status === 403) return { kind: 'auth', message, retryable: false, status };
    if (status === 429) {
      return { kind: 'rate_limit', message, retryable: true, status, retryAfterMs: retryAfterMs(e.headers) };
    }
    if (status >= 500 || status === 408 || status === 409) {
      return { kind: 'server', message, retryable: true, status, retryAfterMs: retryAfterMs(e.headers) };
    }
    return { kind: 'bad_request', message, retryable: false, status };
  }

  const chain = causeChain(err);
  // SDK error classes keep Error's `name`; the class name tells them apart.
  const className = (err as object | null)?.constructor?.name ?? '';
  const isConnection = /Connection/.test(className) || NETWORK_CODES.test(chain);
  if (TLS_CODES.test(chain)) {
    // A certificate does not fix itself between attempts: say what to do instead of retrying.
    const code = TLS_CODES.exec(chain)![0];
    return { kind: 'network', message: `the server's TLS certificate was refused (${code}); for a private CA, set NODE_EXTRA_CA_CERTS`, retryable: false };
  }
  if (DECODING_CODES.test(chain)) {
    return { kind: 'network', message: 'the server sent a compressed answer that could not be decoded', retryable: false };
  }
  if (isConnection) return { kind: 'network', message: describeNetworkFailure(chain), retryable: true };
  if (e.error !== undefined) {
    // An error reported inside the stream (`event: error`, or a chunk carrying `error`).
    const overloaded = /overloaded|rate.?limit|server_error|internal/i.test(JSON.stringify(e.error) ?? '');
    return { kind: 'stream_error', message: detail, retryable: overloaded };
  }
  return { kind: 'network', message: firstLine(detail) || 'request failed', retryable: false };
}

const UNREACHED = 'could not connect to the server';

/** The address requests go to when no base URL is configured. */
export function defaultBaseURL(provider: ProviderId): string {
  return provider === 'anthropic' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1';
}

/**
 * A connection failure with the address that was tried instead of "the server" (the adapters
 * only see the request's full URL; a person configured, and recognises, the base URL).
 */
export function namingAddress(message: string, address: string): string {
  return message.startsWith(UNREACHED) ? `could not connect to ${address}${message.slice(UNREACHED.length)}` : message;
}

/** A readable line for a low-level network failure (undici's codes are not for users). */
function describeNetworkFailure(chain: string): string {
  if (/ECONNREFUSED/.test(chain)) return `${UNREACHED} (connection refused)`;
  if (/ENOTFOUND|EAI_AGAIN/.test(chain)) return `${UNREACHED} (host not found)`;
  if (/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT/.test(chain)) return `${UNREACHED} (timed out)`;
  if (/ECONNRESET|other side closed|terminated|UND_ERR_SOCKET|EPIPE/i.test(chain)) return 'the connection to the server was closed unexpectedly';
  return `connection failed: ${firstLine(chain) || 'network error'}`;
}

/**
 * An error body that is not JSON, as one line: a proxy's HTML error page becomes its title (or
 * first words) and where it came from, never its kilobytes of markup.
 */
function bodyDetail(text: string, state: TransportState | undefined): string {
  if (!looksLikeHtml(text)) return text;
  const gist = bodyGist(text) || 'a web page';
  return `${gist} (an HTML page from ${state?.address ?? 'the server'})`;
}

function stripStatusPrefix(message: string): string {
  return message.replace(/^\d{3}\s+/, '');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/**
 * The error with the connection's key (and anything shaped like a key) taken out of its message:
 * some servers echo the key they were sent. Every adapter passes its errors through this.
 */
export function withoutKey(error: ProviderError, apiKey: string | undefined): ProviderError {
  const message = redactSecrets(error.message, apiKey ? [apiKey] : []);
  return message === error.message ? error : { ...error, message };
}
