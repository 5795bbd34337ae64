// Inline markdown to SGR-styled text: code spans, links, emphasis, strikethrough. Pure: one
// string in, one out, work proportional to the text.

import type { Theme } from './theme.js';

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;

/** Inline markdown: code spans, links (with their address), emphasis, strikethrough. */
export function renderInline(text: string, t: Theme): string {
  if (!t.color) return text;
  let out = '';
  let plain = '';
  const emit = (styled: string): void => {
    out += plain + styled;
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1] ?? '')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      let close = text.indexOf(fence, i + run);
      while (close !== -1 && text[close + run] === '`') close = text.indexOf(fence, close + run + 1);
      if (close === -1) {
        plain += fence;
        i += run;
        continue;
      }
      let code = text.slice(i + run, close);
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
      emit(t.cyan(code));
      i = close + run;
      continue;
    }
    if (ch === '<') {
      const m = /^<((?:https?|mailto):[^\s<>]+)>/.exec(text.slice(i));
      if (m) {
        emit(t.underline(t.blue(m[1] ?? '')));
        i += m[0].length;
        continue;
      }
    }
    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      const link = parseLink(text, ch === '!' ? i + 1 : i);
      if (link) {
        const label = renderInline(link.label, t);
        if (ch === '!') emit(`${t.dim('[image:')} ${label}${t.dim(']')} ${t.dim(`(${link.url})`)}`);
        else if (link.label === link.url || link.label === '') emit(t.underline(t.blue(link.url)));
        else emit(`${t.underline(t.blue(label))} ${t.dim(`(${link.url})`)}`);
        i = link.end;
        continue;
      }
    }
    if (ch === '*' || ch === '_' || ch === '~') {
      const span = parseEmphasis(text, i);
      if (span) {
        const inner = renderInline(span.inner, t);
        const styled = span.kind === 'strong' ? t.bold(inner) : span.kind === 'em' ? t.italic(inner) : span.kind === 'strike' ? t.strike(inner) : t.bold(t.italic(inner));
        emit(styled);
        i = span.end;
        continue;
      }
      // an unmatched run of markers is text
      let run = 1;
      while (text[i + run] === ch) run++;
      plain += text.slice(i, i + run);
      i += run;
      continue;
    }
    plain += ch;
    i++;
  }
  return out + plain;
}

function parseLink(text: string, open: number): { label: string; url: string; end: number } | undefined {
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

function parseEmphasis(text: string, at: number): { kind: 'strong' | 'em' | 'strike' | 'both'; inner: string; end: number } | undefined {
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
