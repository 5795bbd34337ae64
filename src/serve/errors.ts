// Errors in the shape every OpenAI client parses: {"error": {message, type, param, code}}.
// The SDKs pick their exception class from the HTTP status, so the status matters as much as
// the body; `code` is what a program branches on.

import type { ProviderError } from '../agent/types.js';
import { redactSecrets } from '../stream/redact.js';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A request we refuse: thrown by parsers and handlers, turned into a response by the server. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = 'invalid_request_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): OpenAIErrorBody {
    return errorBody(this.message, this.type, this.code, this.param);
  }
}

export function errorBody(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null): HttpError =>
  new HttpError(400, message, 'invalid_request_error', code, param);

/**
 * What a failed model request becomes for our client. The upstream's problems are ours, not the
 * client's: an upstream 401 is a 502 here (a 401 would tell the client its own key is wrong),
 * while a rate limit stays a 429 (the client may well wait and retry) and an upstream 400
 * (context too long, say) stays a 400 because the client's conversation caused it.
 */
export function upstreamError(error: ProviderError, secrets: readonly string[]): HttpError {
  const message = redactSecrets(`the model provider failed: ${error.message}`, secrets);
  switch (error.kind) {
    case 'rate_limit': {
      const headers: Record<string, string> = error.retryAfterMs !== undefined ? { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) } : {};
      return new HttpError(429, message, 'requests', 'upstream_rate_limited', null, headers);
    }
    case 'bad_request':
      return new HttpError(400, message, 'invalid_request_error', 'upstream_bad_request');
    case 'auth':
      return new HttpError(502, message, 'server_error', 'upstream_auth_error');
    case 'stall':
      return new HttpError(504, message, 'server_error', 'upstream_timeout');
    default:
      return new HttpError(502, message, 'server_error', 'upstream_error');
  }
}

/** The error of a run that ended because the server is stopping. */
export const shutdownError = (): HttpError => new HttpError(503, 'the server is shutting down; send the request again later', 'server_error', 'server_shutdown');
