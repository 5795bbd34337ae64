// Markdown to styled terminal lines, one finished line at a time, so an answer can be committed
// to the scrollback while it streams. Work per line is proportional to the line; the only state
// is whether we are in a code fence (FenceTracker) and the rows of a table being collected
// (a table is aligned once it is complete, so its rows wait until the first line after it).
// Input is already sanitised text; the output holds only SGR sequences from the theme.

import { FenceTracker, type FenceOpening } from '../stream/markdown-split.js';
import { displayWidth } from './text-width.js';
import type { Theme } from './theme.js';

/** Syntax highlighting that may still be loading (it is loaded on the first code block). */
export interface CodeHighlighter {
  /** 'loading': code lines wait; 'off': code stays plain. */
  state(): 'ready' | 'loading' | 'off';
  /** Starts loading; called when a code block opens. */
  request(): void;
  /** Highlighted code, or the code unchanged when the language is unknown. */
  highlight(code: string, language: string): string;
}

export interface MarkdownOptions {
  theme: Theme;
  /** Terminal columns, for rules. */
  width?: () => number;
  highlighter?: CodeHighlighter;
}

const FRAME_INDENT = '  ';
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const BULLET = /^([ \t]*)([-*+])[ \t]+(.*)$/;
const ORDERED = /^([ \t]*)(\d{1,9})([.)])[ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;
const TABLE_ROW = /^[ \t]*\|.*$/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

type Align = 'left' | 'right' | 'center';

export class MarkdownRenderer {
  readonly #theme: Theme;
  readonly #width: () => number;
  readonly #highlighter: CodeHighlighter | undefined;
  readonly #fences = new FenceTracker();
  #fence: FenceOpening | undefined;
  /** Rows of a table being collected. */
  #table: string[] = [];
  /** Finished lines not rendered yet: code waiting for the highlighter to load. */
  #waiting: string[] = [];

  constructor(options: MarkdownOptions) {
    this.#theme = options.theme;
    this.#width = options.width ?? (() => 80);
    this.#highlighter = options.highlighter;
  }

  /** Inside a code block (after the lines given so far). */
  get inFence(): boolean {
    return this.#fences.inFence;
  }

  /** Renders one finished line; returns what can be committed now (maybe nothing, maybe more
   *  than one line: a finished table, or code that waited for the highlighter). */
  line(line: string): string[] {
    this.#waiting.push(line);
    return this.drain();
  }

  /** Renders what was waiting and can now go (call when the highlighter has loaded). */
  drain(): string[] {
    const out: string[] = [];
    while (this.#waiting.length > 0) {
      const line = this.#waiting[0] ?? '';
      if (this.#fence !== undefined && !this.#isClosing(line) && this.#highlighter?.state() === 'loading') break;
      this.#waiting.shift();
      this.#render(line, out);
    }
    return out;
  }

  /** What is held back, as it looks for now: table rows, and lines waiting for the
   *  highlighter (the rest of an open code block, and whatever followed it). */
  held(limit = Infinity): string[] {
    const rows = this.#table.slice(-limit).map((row) => row.trim());
    if (this.#waiting.length === 0) return rows;
    return rows.concat(this.#waitingView().lines.slice(-limit)).slice(-limit);
  }

  /** The waiting lines as they will look, and the code block open after them. */
  #waitingView(): { lines: string[]; fence: FenceOpening | undefined } {
    const t = this.#theme;
    const lines: string[] = [];
    let fence = this.#fence;
    for (const line of this.#waiting) {
      if (fence !== undefined) {
        if (closes(line, fence)) {
          lines.push(t.dim(`${FRAME_INDENT}╰─`));
          fence = undefined;
        } else {
          lines.push(this.#codeLine(line, false, fence));
        }
        continue;
      }
      const opening = openingOf(line);
      if (opening) {
        fence = opening;
        lines.push(t.dim(`${FRAME_INDENT}╭─${opening.lang === '' ? '' : ` ${opening.lang}`}`));
      } else {
        lines.push(TABLE_ROW.test(line) ? line.trim() : this.#prose(line));
      }
    }
    return { lines, fence };
  }

  /** How an unfinished line looks if it were finished now; changes no state. */
  preview(partial: string): string {
    const fence = this.#waiting.length > 0 ? this.#waitingView().fence : this.#fence;
    if (fence !== undefined) return this.#codeLine(partial, false, fence);
    if (this.#table.length > 0 || TABLE_ROW.test(partial)) return partial.trim();
    return this.#prose(partial);
  }

  /** End of the answer: the held table, waiting code (plain if need be), an open frame closed. */
  end(): string[] {
    const out: string[] = [];
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const line of waiting) this.#render(line, out, true);
    if (this.#table.length > 0) out.push(...this.#flushTable());
    if (this.#fence !== undefined) out.push(this.#theme.dim(`${FRAME_INDENT}╰─`));
    this.#fence = undefined;
    this.#fences.reset();
    return out;
  }

  #isClosing(line: string): boolean {
    return this.#fence !== undefined && closes(line, this.#fence);
  }

  #render(line: string, out: string[], forcePlain = false): void {
    const t = this.#theme;
    const wasInFence = this.#fences.inFence;
    if (!wasInFence && this.#table.length > 0) {
      if (TABLE_ROW.test(line)) {
        this.#table.push(line);
        return;
      }
      out.push(...this.#flushTable());
    }
    const state = this.#fences.feed(line);
    if (state.opening) {
      this.#fence = state.opening;
      this.#highlighter?.request();
      const label = state.opening.lang === '' ? '' : ` ${state.opening.lang}`;
      out.push(t.dim(`${FRAME_INDENT}╭─${label}`));
      return;
    }
    if (state.closing) {
      this.#fence = undefined;
      out.push(t.dim(`${FRAME_INDENT}╰─`));
      return;
    }
    if (wasInFence) {
      out.push(this.#codeLine(line, !forcePlain));
      return;
    }
    if (TABLE_ROW.test(line)) {
      this.#table.push(line);
      return;
    }
    out.push(this.#prose(line));
  }

  #codeLine(line: string, highlight: boolean, fence = this.#fence): string {
    const t = this.#theme;
    let code = line;
    const indent = fence?.indent ?? 0;
    if (indent > 0) code = code.replace(new RegExp(`^ {0,${indent}}`), '');
    code = code.replace(/\t/g, '    ');
    const lang = fence?.lang ?? '';
    if (highlight && t.color && lang !== '' && this.#highlighter?.state() === 'ready') {
      code = this.#highlighter.highlight(code, lang);
    }
    return `${t.dim(`${FRAME_INDENT}│`)} ${code}`;
  }

  #prose(line: string): string {
    const t = this.#theme;
    if (line.trim() === '') return '';
    if (RULE.test(line)) return t.dim('─'.repeat(Math.max(3, Math.min(this.#width(), 80))));
    if (!t.color) return line;

    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      const text = renderInline(heading[2] ?? '', t);
      if (level === 1) return t.bold(t.underline(t.magenta(text)));
      if (level === 2) return t.bold(t.magenta(text));
      return t.bold(text);
    }
    const quote = QUOTE.exec(line);
    if (quote) return `${t.dim('│')} ${t.italic(this.#prose(quote[1] ?? ''))}`;

    const bullet = BULLET.exec(line);
    if (bullet) {
      const indent = bullet[1] ?? '';
      const item = bullet[3] ?? '';
      // a task's box is its bullet
      if (TASK.test(item)) return `${indent}${this.#listItem(item)}`;
      const mark = indent.length >= 2 ? '◦' : '•';
      return `${indent}${t.cyan(mark)} ${this.#listItem(item)}`;
    }
    const ordered = ORDERED.exec(line);
    if (ordered) {
      return `${ordered[1] ?? ''}${t.cyan(`${ordered[2] ?? ''}${ordered[3] ?? '.'}`)} ${this.#listItem(ordered[4] ?? '')}`;
    }
    return renderInline(line, t);
  }

  #listItem(text: string): string {
    const t = this.#theme;
    const task = TASK.exec(text);
    if (task) return `${task[1] === ' ' ? '☐' : t.green('☑')} ${renderInline(task[2] ?? '', t)}`;
    return renderInline(text, t);
  }

  #flushTable(): string[] {
    const rows = this.#table;
    this.#table = [];
    const t = this.#theme;
    const [head, delimiter, ...body] = rows;
    if (head === undefined || delimiter === undefined || !TABLE_DELIMITER.test(delimiter)) {
      // Pipes that do not make a table are ordinary lines.
      return rows.map((row) => this.#prose(row));
    }
    const aligns: Align[] = splitCells(delimiter).map((cell) => {
      const c = cell.trim();
      if (c.startsWith(':') && c.endsWith(':')) return 'center';
      if (c.endsWith(':')) return 'right';
      return 'left';
    });
    const columns = aligns.length;
    const render = (row: string): string[] => {
      const cells = splitCells(row).map((cell) => (t.color ? renderInline(cell.trim(), t) : cell.trim()));
      while (cells.length < columns) cells.push('');
      return cells.slice(0, columns);
    };
    const header = render(head);
    const lines = body.map(render);
    const widths = aligns.map((_, i) => Math.max(1, ...[header, ...lines].map((cells) => displayWidth(cells[i] ?? ''))));
    const pad = (cell: string, i: number): string => {
      const gap = (widths[i] ?? 0) - displayWidth(cell);
      const align = aligns[i] ?? 'left';
      if (align === 'right') return ' '.repeat(gap) + cell;
      if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + cell + ' '.repeat(Math.ceil(gap / 2));
      return cell + ' '.repeat(gap);
    };
    const bar = t.dim('│');
    const format = (cells: string[], style: (s: string) => string = (s) => s): string =>
      `${FRAME_INDENT}${cells.map((cell, i) => style(pad(cell, i))).join(` ${bar} `)}`.trimEnd();
    const rule = `${FRAME_INDENT}${t.dim(widths.map((w) => '─'.repeat(w)).join('─┼─'))}`;
    return [format(header, t.bold), rule, ...lines.map((cells) => format(cells))];
  }
}

/** Whether `line` closes a code block opened by `fence` (CommonMark: same character, at
 *  least as long, nothing after it). */
function closes(line: string, fence: FenceOpening): boolean {
  const run = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
  return run !== undefined && run[0] === fence.fence[0] && run.length >= fence.fence.length;
}

/** The opening of a code block, for display only (FenceTracker keeps the real state). */
function openingOf(line: string): FenceOpening | undefined {
  const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return undefined;
  const fence = m[2] ?? '';
  const info = (m[3] ?? '').trim();
  if (fence[0] === '`' && info.includes('`')) return undefined;
  return { fence, lang: info.split(/[ \t]/, 1)[0] ?? '', info, indent: (m[1] ?? '').length };
}

/** Cells of a table row: outer pipes dropped, `\|` kept as a literal pipe. */
function splitCells(row: string): string[] {
  let text = row.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}

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
