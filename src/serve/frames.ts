// Per-token frames from a template. A stream's token frames differ only in the token (and,
// for Responses, the sequence number), so the frame is built once with sse.ts around
// placeholders and each token only gets its own JSON string put in: the same bytes as
// sseData/sseEvent (a test compares them), without stringifying a whole chunk object per token.

const UNSAFE_IN_JSON = /[\u0085\u2028\u2029]/g;

/** A placeholder value for slot i; it survives JSON.stringify as a unique quoted string. */
export function slot(i: number): string {
  return `\u0000hermes-slot-${i}\u0000`;
}

const QUOTED_SLOT = /"\\u0000hermes-slot-(\d+)\\u0000"/g;

/**
 * Splits a frame built with slot() values into a filler. Each value passed to the filler is
 * raw JSON (jsonString(text), or a number's digits) and replaces its quoted placeholder.
 */
export function frameTemplate(frame: string): (...values: string[]) => string {
  const literals: string[] = [];
  const slots: number[] = [];
  let at = 0;
  for (const match of frame.matchAll(QUOTED_SLOT)) {
    literals.push(frame.slice(at, match.index));
    slots.push(Number(match[1]));
    at = match.index + match[0].length;
  }
  literals.push(frame.slice(at));
  if (slots.length === 1) {
    const [head, tail] = literals as [string, string];
    return (...values) => head + values[0] + tail;
  }
  return (...values) => {
    let out = literals[0]!;
    for (let i = 0; i < slots.length; i++) out += values[slots[i]!]! + literals[i + 1]!;
    return out;
  };
}

/** A string as JSON, escaped the way sse.ts escapes it (no raw U+0085/U+2028/U+2029). */
export function jsonString(text: string): string {
  const json = JSON.stringify(text);
  UNSAFE_IN_JSON.lastIndex = 0;
  if (!UNSAFE_IN_JSON.test(json)) return json;
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
