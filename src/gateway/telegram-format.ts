// Markdown as models write it -> Telegram message text plus MessageEntity ranges (sent as
// `entities`, never `parse_mode`), so a half-streamed answer can never fail to parse: an unclosed
// ** or ` stays literal text, an unclosed ``` fence is a code block to the end. Offsets and
// lengths are UTF-16 code units, which is what JavaScript strings count.

import { FenceTracker, type FenceOpening } from '../stream/markdown-split.js';
import { BULLET, HEADING, ORDERED, parseCodeSpan, parseEmphasis, parseLink, PUNCTUATION, QUOTE, RULE, TASK } from '../stream/markdown-syntax.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';

/** Longest message text Telegram takes, in UTF-16 code units after entities. */
export const TELEGRAM_MAX_TEXT = 4096;

export type TelegramEntityType = TelegramEntity['type'];

/** Telegram's MessageEntity, for the types hermes produces (assignable to grammY's). */
export type TelegramEntity =
  | { type: 'bold' | 'italic' | 'code' | 'blockquote' | 'strikethrough'; offset: number; length: number }
  | { type: 'pre'; offset: number; length: number; language?: string }
  | { type: 'text_link'; offset: number; length: number; url: string };

export interface TelegramText {
  text: string;
  entities: TelegramEntity[];
}

/** Addresses Telegram accepts in a text_link; anything else is shown as text. */
const LINKABLE = /^(https?|tg):\/\/[^\s]+$/i;
const RULE_TEXT = '──────────';

class Builder {
  text = '';
  readonly entities: TelegramEntity[] = [];

  add(s: string): void {
    this.text += s;
  }

  span(type: TelegramEntityType, body: () => void, extra: { language?: string; url?: string } = {}): void {
    const offset = this.text.length;
    body();
    this.close(type, offset, extra);
  }

  close(type: TelegramEntityType, offset: number, extra: { language?: string; url?: string } = {}): void {
    const length = this.text.length - offset;
    if (length > 0) this.entities.push({ type, offset, length, ...extra } as TelegramEntity);
  }
}

export function renderTelegram(markdown: string): TelegramText {
  const b = new Builder();
  const fences = new FenceTracker();
  let code: { opening: FenceOpening; start?: number } | undefined;
  let quoteStart: number | undefined;
  let first = true;
  const newLine = (): void => {
    if (!first) b.add('\n');
    first = false;
  };
  const endQuote = (): void => {
    if (quoteStart !== undefined) b.close('blockquote', quoteStart);
    quoteStart = undefined;
  };
  const endCode = (): void => {
    if (code?.start !== undefined) b.close('pre', code.start, code.opening.lang ? { language: code.opening.lang } : {});
    code = undefined;
  };

  for (const line of sanitizeForTerminal(markdown).split('\n')) {
    const state = fences.feed(line);
    if (state.opening) {
      endQuote();
      code = { opening: state.opening };
      continue;
    }
    if (state.closing) {
      endCode();
      continue;
    }
    if (code) {
      newLine();
      code.start ??= b.text.length;
      b.add(stripIndent(line, code.opening.indent));
      continue;
    }
    const quote = QUOTE.exec(line);
    if (!quote) endQuote();
    newLine();
    if (quote) {
      quoteStart ??= b.text.length;
      inline(b, quote[1] ?? '');
    } else {
      blockLine(b, line);
    }
  }
  endCode();
  endQuote();
  b.entities.sort((x, y) => x.offset - y.offset || y.length - x.length);
  return { text: b.text, entities: b.entities };
}

function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

function blockLine(b: Builder, line: string): void {
  if (RULE.test(line)) return b.add(RULE_TEXT);
  const heading = HEADING.exec(line);
  if (heading) return b.span('bold', () => inline(b, heading[2] ?? ''));
  const bullet = BULLET.exec(line);
  if (bullet) {
    b.add(`${bullet[1] ?? ''}• `);
    return listItem(b, bullet[3] ?? '');
  }
  const ordered = ORDERED.exec(line);
  if (ordered) {
    b.add(`${ordered[1] ?? ''}${ordered[2]}${ordered[3]} `);
    return listItem(b, ordered[4] ?? '');
  }
  inline(b, line);
}

function listItem(b: Builder, item: string): void {
  const task = TASK.exec(item);
  if (!task) return inline(b, item);
  b.add(task[1] === ' ' ? '☐ ' : '☑ ');
  inline(b, task[2] ?? '');
}

/** Inline markdown: code spans, links, emphasis, strikethrough; anything unclosed is text. */
function inline(b: Builder, text: string): void {
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1] ?? '')) {
      b.add(text[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (ch === '`') {
      const span = parseCodeSpan(text, i);
      if (span.code === undefined) b.add(text.slice(i, span.end));
      else b.span('code', () => b.add(span.code!));
      i = span.end;
      continue;
    }
    if (ch === '<') {
      const auto = /^<((?:https?|tg):\/\/[^\s<>]+)>/i.exec(text.slice(i));
      if (auto) {
        const url = auto[1] ?? '';
        b.span('text_link', () => b.add(url), { url });
        i += auto[0].length;
        continue;
      }
    }
    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      const link = parseLink(text, ch === '!' ? i + 1 : i);
      if (link) {
        linkSpan(b, link.label || link.url, link.url);
        i = link.end;
        continue;
      }
    }
    if (ch === '*' || ch === '_' || ch === '~') {
      const span = parseEmphasis(text, i);
      if (span) {
        const body = () => inline(b, span.inner);
        if (span.kind === 'strong') b.span('bold', body);
        else if (span.kind === 'em') b.span('italic', body);
        else if (span.kind === 'strike') b.span('strikethrough', body);
        else b.span('bold', () => b.span('italic', body));
        i = span.end;
        continue;
      }
      let run = 1;
      while (text[i + run] === ch) run++;
      b.add(text.slice(i, i + run));
      i += run;
      continue;
    }
    b.add(ch);
    i++;
  }
}

function linkSpan(b: Builder, label: string, url: string): void {
  if (LINKABLE.test(url)) return b.span('text_link', () => inline(b, label), { url });
  inline(b, label);
  if (label !== url) b.add(` (${url})`);
}

// ---- splitting an answer that is longer than one message -----------------------------------

interface LineCut {
  /** Offset just past this line's '\n' (where the next line starts). */
  end: number;
  start: number;
  blank: boolean;
  /** The code block still open after this line, if any. */
  open?: FenceOpening;
}

/**
 * Splits markdown whose rendered text is longer than `limit` into a head that fits and the rest,
 * so that the rendered head and rest together are exactly the rendered whole. Cuts at a
 * paragraph, else a line outside code, else a line inside a code block (closed in the head,
 * reopened with its language in the rest), else a space, else a code point boundary; never
 * inside a surrogate pair or a formatting entity when that can be avoided. undefined: it fits.
 */
export function splitHead(markdown: string, limit = TELEGRAM_MAX_TEXT): { head: string; rest: string } | undefined {
  if (renderedLength(markdown) <= limit) return undefined;
  const lines = lineCuts(markdown);
  const fits = (k: number) => renderedLength(headAt(markdown, lines[k]!.end, lines[k]!.open)) <= limit;
  // The longest run of whole lines that fits (lines[k] includes its newline).
  let lo = -1;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const longest = lo;
  const enough = (k: number) => longest >= 0 && lines[k]!.end >= lines[longest]!.end / 2;
  const pick =
    findBack(longest, (k) => enough(k) && lines[k]!.blank && !lines[k]!.open && k > 0) ??
    findBack(longest, (k) => enough(k) && !lines[k]!.open && !lines[k]!.blank) ??
    beforeBlock(markdown, lines, longest, limit) ??
    (longest >= 0 && renderedLength(headAt(markdown, lines[longest]!.end, lines[longest]!.open)) > 0 ? longest : undefined);
  if (pick !== undefined) return piecesAt(markdown, lines[pick]!.end, lines[pick]!.open);
  return splitInLine(markdown, lines[longest + 1]!, longest >= 0 ? lines[longest]!.open : undefined, limit);
}

/** When the longest head ends inside a code block that fits in a message alone, cut before it. */
function beforeBlock(markdown: string, lines: LineCut[], longest: number, limit: number): number | undefined {
  const open = lines[longest]?.open;
  if (!open) return undefined;
  let first = longest;
  while (first > 0 && lines[first - 1]!.open === open) first--;
  let last = longest;
  while (last < lines.length - 1 && lines[last + 1]!.open === open) last++;
  const blockEnd = lines[Math.min(last + 1, lines.length - 1)]!.end;
  if (first === 0 || renderedLength(markdown.slice(lines[first]!.start, blockEnd)) > limit) return undefined;
  return first - 1;
}

function findBack(from: number, test: (k: number) => boolean): number | undefined {
  for (let k = from; k >= 0; k--) if (test(k)) return k;
  return undefined;
}

function renderedLength(markdown: string): number {
  return renderTelegram(markdown).text.length;
}

function lineCuts(markdown: string): LineCut[] {
  const fences = new FenceTracker();
  const out: LineCut[] = [];
  let start = 0;
  while (start <= markdown.length) {
    const nl = markdown.indexOf('\n', start);
    const end = nl === -1 ? markdown.length : nl + 1;
    const line = markdown.slice(start, nl === -1 ? markdown.length : nl);
    const state = fences.feed(line);
    const open = state.inFence ? (state.opening ?? out.at(-1)?.open) : undefined;
    out.push({ start, end, blank: line.trim() === '', ...(open ? { open } : {}) });
    if (nl === -1) break;
    start = end;
  }
  return out;
}

function fenceLine(open: FenceOpening): string {
  return `${' '.repeat(open.indent)}${open.fence}${open.info}`;
}

/**
 * The head for a cut at `cut`. Inside a code block it closes the block; after a newline an
 * empty code line keeps that newline in the head's code, so head + rest render as the whole.
 */
function headAt(markdown: string, cut: number, open: FenceOpening | undefined): string {
  const head = markdown.slice(0, cut);
  if (!open) return head;
  return `${head}\n${' '.repeat(open.indent)}${open.fence}`;
}

function piecesAt(markdown: string, cut: number, open: FenceOpening | undefined): { head: string; rest: string } {
  const rest = markdown.slice(cut);
  return { head: headAt(markdown, cut, open), rest: open ? `${fenceLine(open)}\n${rest}` : rest };
}

/** No whole line fits: cut inside the line, at a space where no entity is cut, else anywhere. */
function splitInLine(markdown: string, line: LineCut, openBefore: FenceOpening | undefined, limit: number): { head: string; rest: string } {
  // A line that opens a block is never cut (it renders as nothing), so the block is openBefore.
  const open = openBefore;
  const lineEnd = line.end;
  const fitsAt = (p: number) => renderedLength(headAt(markdown, p, open)) <= limit;
  let lo = line.start;
  let hi = lineEnd;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsAt(mid)) lo = mid;
    else hi = mid - 1;
  }
  const longest = stepBackToCodePoint(markdown, lo, line.start);
  const clean = (p: number) => p > line.start && (open !== undefined || cutsCleanly(markdown.slice(line.start, lineEnd), p - line.start));
  const floor = line.start + Math.floor((longest - line.start) / 2);
  let cut: number | undefined;
  for (let p = longest; p > floor && cut === undefined; p--) if (markdown[p - 1] === ' ' && clean(p)) cut = p;
  for (let p = longest; p > line.start && cut === undefined; p--) if (!isLowSurrogateAt(markdown, p) && clean(p)) cut = p;
  cut ??= Math.max(longest, nextCodePoint(markdown, line.start));
  return piecesAt(markdown, cut, open);
}

/** Whether cutting this line at `at` leaves its rendered text intact and cuts no inline entity. */
function cutsCleanly(line: string, at: number): boolean {
  const whole = renderTelegram(line);
  const head = renderTelegram(line.slice(0, at)).text;
  if (head.length === 0 || head + renderTelegram(line.slice(at)).text !== whole.text) return false;
  return !whole.entities.some((e) => e.type !== 'blockquote' && e.offset < head.length && e.offset + e.length > head.length);
}

function isLowSurrogateAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

function stepBackToCodePoint(s: string, i: number, min: number): number {
  return i > min && isLowSurrogateAt(s, i) ? i - 1 : i;
}

function nextCodePoint(s: string, i: number): number {
  return i + ((s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);
}
