// Model text is data, not terminal commands. Safety comes from never emitting ESC, a C0/C1
// control (other than \n and \t) or a lone surrogate; parsing sequences only decides how much
// of the surrounding bytes to drop with them, so a malformed sequence leaks harmless text at most.

export interface TerminalSanitizer {
  /** Safe text for this delta; an unfinished sequence or a trailing high surrogate is held. */
  push(delta: string): string;
  /** End of stream: returns what is safe of what was held (U+FFFD for a lone high surrogate)
   *  and resets, so the sanitizer can be reused. */
  flush(): string;
}

export interface TerminalSanitizerOptions {
  /** Longest escape sequence (in UTF-16 units) that is swallowed whole. Past it the sequence is
   *  dropped and what follows is text again, so an unterminated OSC cannot hide the answer. */
  maxSequenceLength?: number;
}

const DEFAULT_MAX_SEQUENCE = 256;

// Anything that needs attention in ground state: C0 but \t \n, DEL, C1, and lone surrogates
// (a valid pair is neither half matched, so emoji and CJK stay on the fast path).
const SPECIAL_SOURCE =
  '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const SPECIAL = new RegExp(SPECIAL_SOURCE);
const SPECIAL_SCAN = new RegExp(SPECIAL_SOURCE, 'g');

const GROUND = 0;
const ESC = 1; // saw ESC
const ESC_INTER = 2; // ESC followed by intermediates (e.g. ESC ( B)
const CSI = 3;
const STR = 4; // OSC / DCS / SOS / PM / APC payload
const STR_ESC = 5; // ESC inside a string: ST if the next char is '\'

const REPLACEMENT = '\ufffd';

export function createTerminalSanitizer(options: TerminalSanitizerOptions = {}): TerminalSanitizer {
  const cap = Math.max(2, options.maxSequenceLength ?? DEFAULT_MAX_SEQUENCE);
  let state = GROUND;
  let belEnds = false; // only OSC may end with BEL
  let seqLen = 0;
  let pendingHigh = '';

  function enterFromGround(c: number): void {
    seqLen = 1;
    if (c === 0x1b) state = ESC;
    else if (c === 0x9b) state = CSI;
    else if (c === 0x9d) {
      state = STR;
      belEnds = true;
    } else if (c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
      state = STR;
      belEnds = false;
    }
    // every other control is simply dropped
  }

  /** Feeds one code unit to a sequence state; false means "not part of it, re-read in ground". */
  function step(c: number): boolean {
    if (c === 0x18 || c === 0x1a) {
      // CAN / SUB cancel any sequence and are themselves dropped
      state = GROUND;
      return true;
    }
    // a low surrogate is never counted, so the cap cannot split a pair inside a payload
    const isLow = c >= 0xdc00 && c <= 0xdfff;
    if (!isLow && ++seqLen > cap) {
      state = GROUND;
      return false;
    }
    switch (state) {
      case ESC:
        if (c === 0x5b) state = CSI;
        else if (c === 0x5d) {
          state = STR;
          belEnds = true;
        } else if (c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) {
          state = STR;
          belEnds = false;
        } else if (c === 0x1b) seqLen = 1;
        else if (c >= 0x20 && c <= 0x2f) state = ESC_INTER;
        else if (c >= 0x30 && c <= 0x7e) state = GROUND;
        else {
          state = GROUND;
          return false;
        }
        return true;
      case ESC_INTER:
        if (c >= 0x20 && c <= 0x2f) return true;
        if (c >= 0x30 && c <= 0x7e) {
          state = GROUND;
          return true;
        }
        if (c === 0x1b) {
          state = ESC;
          seqLen = 1;
          return true;
        }
        state = GROUND;
        return false;
      case CSI:
        if (c >= 0x20 && c <= 0x3f) return true;
        if (c >= 0x40 && c <= 0x7e) {
          state = GROUND;
          return true;
        }
        if (c === 0x1b) {
          state = ESC;
          seqLen = 1;
          return true;
        }
        state = GROUND;
        return false;
      case STR:
        if (c === 0x1b) state = STR_ESC;
        else if (c === 0x9c || (belEnds && c === 0x07)) state = GROUND;
        return true;
      case STR_ESC:
        if (c === 0x5c) {
          state = GROUND;
          return true;
        }
        // ESC not followed by '\' ends the string and starts a new sequence (as xterm does)
        state = ESC;
        seqLen = 1;
        return step(c);
      default:
        return false;
    }
  }

  function push(delta: string): string {
    if (state === GROUND && pendingHigh === '' && !SPECIAL.test(delta)) return delta;
    const n = delta.length;
    let out = '';
    let i = 0;
    if (pendingHigh !== '') {
      if (n === 0) return '';
      const c = delta.charCodeAt(0);
      if (c >= 0xdc00 && c <= 0xdfff) {
        out = pendingHigh + delta[0];
        i = 1;
      } else {
        out = REPLACEMENT;
      }
      pendingHigh = '';
    }
    while (i < n) {
      if (state !== GROUND) {
        if (step(delta.charCodeAt(i))) i++;
        continue;
      }
      SPECIAL_SCAN.lastIndex = i;
      const m = SPECIAL_SCAN.exec(delta);
      if (m === null) {
        out += i === 0 ? delta : delta.slice(i);
        break;
      }
      const j = m.index;
      if (j > i) out += delta.slice(i, j);
      const c = delta.charCodeAt(j);
      i = j + 1;
      if (c >= 0xd800 && c <= 0xdbff) {
        // lone here; at the very end it may still be completed by the next delta
        if (i === n) pendingHigh = delta[j] ?? '';
        else out += REPLACEMENT;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        out += REPLACEMENT;
      } else {
        enterFromGround(c);
      }
    }
    return out;
  }

  function flush(): string {
    const out = pendingHigh === '' ? '' : REPLACEMENT;
    pendingHigh = '';
    state = GROUND;
    seqLen = 0;
    return out;
  }

  return { push, flush };
}

/** Whole-text version: same result as one sanitizer fed the text in any split, then flushed. */
export function sanitizeForTerminal(text: string): string {
  if (!SPECIAL.test(text)) return text;
  const s = createTerminalSanitizer();
  return s.push(text) + s.flush();
}
