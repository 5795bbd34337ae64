// Server-sent events framing. An event ends at a blank line and a field at any CR or LF, so
// nothing we write may carry a raw line break inside a field.

// JSON.stringify escapes C0 controls but not these, which some line splitters
// (Python's str.splitlines, for one) treat as line breaks.
const UNSAFE_IN_JSON = /[\u0085\u2028\u2029]/g;
const LINE_BREAK = /\r\n|\r|\n/;

function toJson(payload: unknown): string {
  const json = JSON.stringify(payload) ?? 'null';
  UNSAFE_IN_JSON.lastIndex = 0;
  if (!UNSAFE_IN_JSON.test(json)) return json;
  // these can only occur inside JSON strings, where a \u escape means the same character
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function field(name: string, value: string): string {
  // a multi-line value is sent as one field per line; the client joins them with '\n'
  if (!LINE_BREAK.test(value)) return `${name}: ${value}\n`;
  return value
    .split(LINE_BREAK)
    .map((line) => `${name}: ${line}\n`)
    .join('');
}

/** `data: <json>\n\n`; a string payload is written as-is (e.g. '[DONE]'). */
export function sseData(payload: unknown): string {
  return `${field('data', typeof payload === 'string' ? payload : toJson(payload))}\n`;
}

/** `event: <name>\ndata: <json>\n\n` */
export function sseEvent(event: string, payload: unknown): string {
  const name = event.replace(/[\r\n]/g, '');
  return `event: ${name}\n${field('data', toJson(payload))}\n`;
}

/** `: <text>\n\n` — ignored by clients; used as a keep-alive. */
export function sseComment(text: string): string {
  return `${field('', text)}\n`;
}
