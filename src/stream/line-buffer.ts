// Splits a stream of deltas into finished lines. Per-push work is proportional to the delta:
// the unfinished tail is only ever appended to (V8 keeps repeated += as a rope) and never
// re-scanned for newlines.

export class LineBuffer {
  #tail = '';

  /** Lines completed by this delta, without their '\n'. */
  push(delta: string): string[] {
    if (delta.indexOf('\n') === -1) {
      this.#tail += delta;
      return [];
    }
    const parts = delta.split('\n');
    // split always yields at least two parts here; the last one is the new unfinished line
    const rest = parts.pop() ?? '';
    parts[0] = this.#tail + (parts[0] ?? '');
    this.#tail = rest;
    return parts;
  }

  /** The unfinished last line ('' when the text so far ends with a newline). */
  get tail(): string {
    return this.#tail;
  }

  /** End of stream: the unfinished line, or undefined when there is none. Resets the buffer. */
  flush(): string | undefined {
    const tail = this.#tail;
    this.#tail = '';
    return tail === '' ? undefined : tail;
  }
}
