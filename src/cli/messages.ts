// Every line hermes itself prints about a run (errors, progress) goes through here: secrets
// redacted, terminal controls stripped (server error text is as untrusted as model text),
// and folded onto one line.

import { redactSecrets } from '../stream/redact.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';

export function safeLine(text: string, secrets: readonly string[]): string {
  return sanitizeForTerminal(redactSecrets(text, secrets)).replace(/\s*\n\s*/g, ' ').trim();
}

export const DIM = '\u001b[2m';
export const UNDIM = '\u001b[22m';

/** NO_COLOR (any non-empty value) and TERM=dumb turn colour off; so does a non-terminal. */
export function colorEnabled(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  if (!isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}
