// Bot API failures, translated into what the gateway core acts on (the contract's errors) and
// into one readable line for the log, with the token cut out wherever a library put it.

import { GrammyError, HttpError } from 'grammy';
import { redactSecrets } from '../stream/redact.js';
import { DraftUnavailableError, MessageGoneError, RateLimitedError } from './chat-transport.js';

/** The text Telegram describes an error with, lower-cased; '' for anything but a Bot API error. */
export function apiDescription(err: unknown): string {
  return err instanceof GrammyError ? err.description.toLowerCase() : '';
}

export function isNotModified(err: unknown): boolean {
  return apiDescription(err).includes('message is not modified');
}

export function isEntityParseError(err: unknown): boolean {
  return apiDescription(err).includes("can't parse entities");
}

/** The contract's error for a 429 or a message that can no longer be edited; else the error itself. */
export function translate(err: unknown, method: 'send' | 'edit' | 'draft'): unknown {
  if (!(err instanceof GrammyError)) return err;
  if (err.error_code === 429) return new RateLimitedError(Math.max(1, err.parameters.retry_after ?? 1) * 1000);
  const text = err.description.toLowerCase();
  if (method === 'draft') return new DraftUnavailableError(err.description);
  if (method === 'edit' && (text.includes('message to edit not found') || text.includes("message can't be edited") || text.includes('message_id_invalid'))) {
    return new MessageGoneError(err.description);
  }
  return err;
}

/** One line about a failed call, for the log or an exit message; never the token. */
export function describeFailure(err: unknown, token: string): string {
  let text: string;
  if (err instanceof GrammyError) text = `${err.method}: ${err.error_code} ${err.description}`;
  else if (err instanceof HttpError) text = `${err.message} (${err.error instanceof Error ? err.error.message : String(err.error)})`;
  else text = err instanceof Error ? err.message : String(err);
  // The URL of a failed request holds the token (…/bot<token>/getMe).
  return redactSecrets(text, [token]).replace(/\s*\n\s*/g, ' ');
}
