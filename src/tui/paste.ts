// Bracketed paste: with mode 2004 on, the terminal wraps pasted text in ESC[200~ … ESC[201~,
// so a multi-line paste can be inserted as one block instead of being typed (and submitted)
// line by line. Input arrives in arbitrary pieces, so markers may be split across reads.

import { sanitizeForTerminal } from '../stream/sanitize.js';

export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';
export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

export type PasteSegment =
  /** Ordinary input (keys), in order. */
  | { kind: 'input'; data: string }
  /** A whole pasted block, raw (see normalizePastedText). */
  | { kind: 'paste'; text: string };

export class PasteParser {
  /** Text of the paste being received, in pieces (joined once, so long pastes stay linear). */
  #paste: string[] | undefined;
  /** A suffix of the last chunk that may be the start of a marker. */
  #held = '';

  /** True while inside a paste whose end marker has not arrived. */
  get inPaste(): boolean {
    return this.#paste !== undefined;
  }

  /** True when a possible marker start is held back outside a paste (see flush). */
  get holding(): boolean {
    return this.#paste === undefined && this.#held !== '';
  }

  push(chunk: string): PasteSegment[] {
    let data = this.#held + chunk;
    this.#held = '';
    const out: PasteSegment[] = [];
    while (data !== '') {
      const marker = this.#paste === undefined ? PASTE_START : PASTE_END;
      const at = data.indexOf(marker);
      if (at === -1) {
        const keep = partialMarkerLength(data, marker);
        this.#emit(out, data.slice(0, data.length - keep));
        this.#held = data.slice(data.length - keep);
        break;
      }
      this.#emit(out, data.slice(0, at));
      data = data.slice(at + marker.length);
      if (this.#paste === undefined) {
        this.#paste = [];
      } else {
        out.push({ kind: 'paste', text: this.#paste.join('') });
        this.#paste = undefined;
      }
    }
    return out;
  }

  /** Releases what is held: a partial marker outside a paste is ordinary input (a lone Esc key
   *  is a prefix of ESC[200~), and a paste whose end never came is delivered as a paste. */
  flush(): PasteSegment[] {
    const out: PasteSegment[] = [];
    const held = this.#held;
    this.#held = '';
    if (this.#paste !== undefined) {
      this.#paste.push(held);
      out.push({ kind: 'paste', text: this.#paste.join('') });
      this.#paste = undefined;
    } else if (held !== '') {
      out.push({ kind: 'input', data: held });
    }
    return out;
  }

  reset(): void {
    this.#paste = undefined;
    this.#held = '';
  }

  #emit(out: PasteSegment[], data: string): void {
    if (data === '') return;
    if (this.#paste !== undefined) this.#paste.push(data);
    else out.push({ kind: 'input', data });
  }
}

/** Length of the longest suffix of `data` that is a proper prefix of `marker`. */
function partialMarkerLength(data: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, data.length); length > 0; length--) {
    if (data.endsWith(marker.slice(0, length))) return length;
  }
  return 0;
}

/** What a paste inserts: line endings become \n, tabs stay, and escape sequences and other
 *  control characters are dropped (copied coloured output would otherwise be typed raw). */
export function normalizePastedText(raw: string): string {
  return sanitizeForTerminal(raw.replace(/\r\n?/g, '\n'));
}

interface Writable {
  write(data: string): unknown;
}

/** Turns bracketed paste on and returns the function that turns it off again (idempotent).
 *  It is also turned off when the process exits, so a crash does not leave the shell with
 *  paste markers around everything pasted into it. */
export function enableBracketedPaste(out: Writable): () => void {
  let enabled = true;
  const disable = (): void => {
    if (!enabled) return;
    enabled = false;
    process.removeListener('exit', disable);
    try {
      out.write(BRACKETED_PASTE_OFF);
    } catch {
      // stdout already closed: nothing left to restore
    }
  };
  out.write(BRACKETED_PASTE_ON);
  process.once('exit', disable);
  return disable;
}

export function disableBracketedPaste(out: Writable): void {
  out.write(BRACKETED_PASTE_OFF);
}

/** Input events in, keys and pastes out, in order. */
export interface InputReader {
  push(data: string): void;
  dispose(): void;
}

// A paste whose end marker never arrives must not swallow the keyboard for good.
const PASTE_STALL_MS = 1000;

/**
 * Reads Ink's input events (one read of the terminal is one or more events) into paste
 * segments. `onSegments` gets each event's segments at once; what is held back (a lone Esc,
 * which is also the first byte of a paste marker, or an unfinished paste) comes later.
 */
export function createInputReader(onSegments: (segments: PasteSegment[]) => void): InputReader {
  const parser = new PasteParser();
  let holdTimer: NodeJS.Immediate | undefined;
  let pasteTimer: NodeJS.Timeout | undefined;

  const clearTimers = (): void => {
    if (holdTimer !== undefined) clearImmediate(holdTimer);
    holdTimer = undefined;
    clearTimeout(pasteTimer);
    pasteTimer = undefined;
  };

  const flushHeld = (): void => {
    clearTimers();
    onSegments(parser.flush());
  };

  return {
    push(data) {
      clearTimers();
      onSegments(parser.push(data));
      // A lone Esc: give the rest of a paste marker one turn to arrive.
      if (parser.holding) holdTimer = setImmediate(flushHeld);
      else if (parser.inPaste) pasteTimer = setTimeout(flushHeld, PASTE_STALL_MS);
    },
    dispose() {
      clearTimers();
      parser.reset();
    },
  };
}
