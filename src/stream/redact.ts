// Error messages and logs may echo request headers or config; an API key must never reach
// the user's terminal, a log file or a bug report.

const MIN_SECRET_LENGTH = 8;
export const REDACTED = '[redacted]';

// Well-known key shapes, caught even when the key is not one we were told about:
// OpenAI (sk-..., sk-proj-...), Anthropic (sk-ant-...), OpenRouter (sk-or-...), Groq (gsk_...),
// xAI (xai-...), Google (AIza...), and any bearer token in a header dump.
const KEY_SHAPES =
  /(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{16,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|AIza[A-Za-z0-9_-]{30,})|(?<=\bBearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;

/**
 * Replaces every occurrence of each given secret (ones shorter than 8 chars are ignored: too
 * likely to be ordinary words) and every well-known key shape with `[redacted]`.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  // All matches are found in the original text and overlapping ones merged, so replacing one
  // match can never break up another and leave part of a key behind.
  const ranges: Array<[start: number, end: number]> = [];
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      ranges.push([at, at + secret.length]);
    }
  }
  KEY_SHAPES.lastIndex = 0;
  for (let m = KEY_SHAPES.exec(text); m !== null; m = KEY_SHAPES.exec(text)) {
    ranges.push([m.index, m.index + m[0].length]);
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  let open: [number, number] | undefined;
  for (const r of ranges) {
    if (open !== undefined && r[0] <= open[1]) {
      open[1] = Math.max(open[1], r[1]);
      continue;
    }
    if (open !== undefined) {
      out += text.slice(pos, open[0]) + REDACTED;
      pos = open[1];
    }
    open = [r[0], r[1]];
  }
  if (open !== undefined) out += text.slice(pos, open[0]) + REDACTED + text.slice(open[1]);
  return out;
}
