// Markdown syntax as models write it, for renderers below the front doors (the gateway's message
// entities; the terminal's renderer can share it): block line patterns and inline spans.

export const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
export const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
export const QUOTE = /^ {0,3}>[ ]?(.*)$/;
export const BULLET = /^([ \t]*)([-*+])[ \t]+(.*)$/;
export const ORDERED = /^([ \t]*)(\d{1,9})([.)])[ \t]+(.*)$/;
export const TASK = /^\[([ xX])\][ \t]+(.*)$/;

/** What a backslash escapes. */
export const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;

/**
 * The code span opening at `at` (a run of backticks): its code and where it ends, or, when the
 * run is never closed, just the run (which is then literal text).
 */
export function parseCodeSpan(text: string, at: number): { code?: string; end: number } {
  let run = 1;
  while (text[at + run] === '`') run++;
  const fence = '`'.repeat(run);
  let close = text.indexOf(fence, at + run);
  while (close !== -1 && text[close + run] === '`') close = text.indexOf(fence, close + run + 1);
  if (close === -1) return { end: at + run };
  let code = text.slice(at + run, close);
  if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
  return { code, end: close + run };
}

/** A [label](url) (optionally with a title) opening at `open`, or undefined. */
export function parseLink(text: string, open: number): { label: string; url: string; end: number } | undefined {
  // the label: balanced brackets, no code span awareness needed for terminal display
  let depth = 0;
  let i = open;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') depth++;
    else if (ch === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  if (i >= text.length || text[i + 1] !== '(') return undefined;
  const labelEnd = i;
  let parens = 0;
  let j = i + 1;
  for (; j < text.length; j++) {
    const ch = text[j];
    if (ch === '(') parens++;
    else if (ch === ')') {
      parens--;
      if (parens === 0) break;
    } else if (ch === ' ' && parens === 1) {
      // a title may follow the address: [x](url "title")
      const rest = /^ +(?:"[^"]*"|'[^']*')\s*\)/.exec(text.slice(j));
      if (!rest) return undefined;
      return { label: text.slice(open + 1, labelEnd), url: unwrapUrl(text.slice(labelEnd + 2, j)), end: j + rest[0].length };
    }
  }
  if (j >= text.length) return undefined;
  const url = unwrapUrl(text.slice(labelEnd + 2, j));
  if (url === '') return undefined;
  return { label: text.slice(open + 1, labelEnd), url, end: j + 1 };
}

function unwrapUrl(url: string): string {
  const trimmed = url.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
}

/** An emphasis span (*, _, ** …, ~~) opening at `at` and closed later in text, or undefined. */
export function parseEmphasis(text: string, at: number): { kind: 'strong' | 'em' | 'strike' | 'both'; inner: string; end: number } | undefined {
  const ch = text[at] ?? '';
  let run = 1;
  while (text[at + run] === ch) run++;
  if (ch === '~' && run !== 2) return undefined;
  if (run > 3) return undefined;
  const before = text[at - 1] ?? ' ';
  const after = text[at + run] ?? ' ';
  // an opener must be followed by non-space; `_` only opens at the start of a word
  if (/\s/.test(after)) return undefined;
  if (ch === '_' && WORD.test(before)) return undefined;
  const marker = ch.repeat(run);
  let search = at + run + 1;
  while (search <= text.length) {
    const close = text.indexOf(marker, search);
    if (close === -1) return undefined;
    const prev = text[close - 1] ?? ' ';
    const next = text[close + run] ?? ' ';
    const longer = next === ch;
    if (!/\s/.test(prev) && !longer && !(ch === '_' && WORD.test(next))) {
      const inner = text.slice(at + run, close);
      const kind = ch === '~' ? 'strike' : run === 1 ? 'em' : run === 2 ? 'strong' : 'both';
      return { kind, inner, end: close + run };
    }
    search = close + (longer ? run + 1 : 1);
  }
  return undefined;
}
