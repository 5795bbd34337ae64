// What a person approves must be what runs. A command, a path or a diff can hold characters a
// terminal does not show, or shows somewhere else than where they are: bidirectional overrides
// and isolates that reorder what follows (`rm -rf ~/<U+202E>txt.`), zero-width characters and
// joiners, Unicode tag characters (text that is there for the model and invisible to a person),
// line separators, and escape sequences and other controls. This writes each of them as a
// visible `<U+XXXX>`, and leaves everything else (line breaks and tabs included) as it was.
//
// The result never holds a control character other than \n and \t, nor a lone surrogate: it is
// also safe for a terminal, without dropping anything the way sanitizeForTerminal must for
// streamed answer text.

// Cf: every format character (bidi marks, embeddings, overrides and isolates, zero-width space,
// joiners, word joiner, invisible operators, BOM, interlinear annotation, tags, soft hyphen…).
// Zl / Zp: U+2028 / U+2029, which some terminals and editors break the line on.
// Cc: controls but \t and \n (ESC, CR, backspace: they can paint over what came before).
// U+034F combining grapheme joiner, U+115F U+1160 U+3164 U+FFA0 Hangul fillers, U+180B–U+180F
// Mongolian selectors: not format characters, but drawn as nothing.
// Lone surrogates cannot be printed at all (with the u flag a pair is one code point, so the
// surrogate range matches only a lone half).
const HIDDEN = /[\p{Cf}\p{Zl}\p{Zp}\u034f\u115f\u1160\u180b-\u180f\u3164\uffa0]|[^\P{Cc}\t\n]|[\ud800-\udfff]/gu;

/** `text` with every invisible or reordering character written as `<U+XXXX>`. */
export function revealInvisible(text: string): string {
  return text.replace(HIDDEN, (ch) => `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** True when `text` holds anything revealInvisible would write out. */
export function hasInvisible(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}
