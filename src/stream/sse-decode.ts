// Server-sent events, bytes in, messages out, in time linear in the bytes: the pending input is
// only ever the unfinished last line, and each byte is looked at a constant number of times.
// (The SDK's decoder copies the rest of its buffer for every event, which turns a large
// network read of many small events quadratic.) Follows the WHATWG event-stream rules: lines end
// with \n, \r\n or \r; `:` starts a comment; a blank line dispatches; data lines join with \n.

export interface SseMessage {
  /** The `event:` field; undefined for a data-only message. */
  event: string | undefined;
  data: string;
}

export class SseDecoder {
  private readonly text = new TextDecoder('utf-8');
  /** The unfinished last line. */
  private pending = '';
  /** A \r ended the previous chunk: a \n at the start of the next one belongs to it. */
  private afterCR = false;
  private event: string | undefined;
  private data: string[] = [];

  /** Feeds bytes (a multi-byte character may be split across calls); returns completed messages. */
  push(bytes: Uint8Array): SseMessage[] {
    return this.lines(this.text.decode(bytes, { stream: true }));
  }

  /** The stream ended: a final message without its blank line is dropped, as the spec says. */
  end(): SseMessage[] {
    const out = this.lines(this.text.decode());
    this.pending = '';
    this.data = [];
    this.event = undefined;
    return out;
  }

  private lines(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let start = 0;
    if (this.afterCR && chunk.charCodeAt(0) === 10) start = 1;
    this.afterCR = false;
    for (let i = start; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const piece = chunk.slice(start, i);
      const line = this.pending === '' ? piece : this.pending + piece;
      this.pending = '';
      this.line(line, out);
      if (code === 13) {
        if (i + 1 < chunk.length) {
          if (chunk.charCodeAt(i + 1) === 10) i++;
        } else {
          this.afterCR = true;
        }
      }
      start = i + 1;
    }
    if (start < chunk.length) this.pending += chunk.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      // An event name without data is not dispatched (the spec's empty data buffer).
      if (this.data.length !== 0) {
        out.push({ event: this.event, data: this.data.join('\n') });
      }
      this.event = undefined;
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment (keepalives, OpenRouter's PROCESSING)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    // id and retry mean nothing to a one-shot request; unknown fields are ignored by the spec.
  }
}
