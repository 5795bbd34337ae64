// Markdown to styled terminal lines, one finished line at a time, so an answer can be committed
// to the scrollback while it streams. Work per line is proportional to the line; the only state
// is whether we are in a code fence (FenceTracker) and the rows of a table being collected
// (a table is aligned once it is complete, so its rows wait until the first line after it).
// Input is already sanitised text; the output holds only SGR sequences from the theme.
// The blocks are drawn by markdown-prose (headings, quotes, lists), markdown-code (the frame
// of a code block) and markdown-table; inline styles by markdown-inline.

import { FenceTracker, type FenceOpening } from '../stream/markdown-split.js';
import { closes, codeRows, codeText, frameBottom, frameTop, openingOf } from './markdown-code.js';
import { proseRows } from './markdown-prose.js';
import { TABLE_ROW, layoutTable } from './markdown-table.js';
import type { Theme } from './theme.js';

export { renderInline } from './markdown-inline.js';

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
  /** Terminal columns: rows are made to fit them (one column narrower, as the transcript
   *  wraps), and rules are drawn to that width. */
  width?: () => number;
  highlighter?: CodeHighlighter;
}

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
    const rows = this.#tablePreview(limit);
    if (this.#waiting.length === 0) return rows;
    return rows.concat(this.#waitingView().lines.slice(-limit)).slice(-limit);
  }

  /** The last rows of the table being collected, laid out as they would be if it ended now
   *  (from its header and last rows only: the work stays the same however long it grows). */
  #tablePreview(limit: number): string[] {
    const [head, delimiter] = this.#table;
    if (head === undefined || delimiter === undefined) return this.#table.map((row) => row.trim());
    const rows = [head, delimiter, ...this.#table.slice(2).slice(-limit)];
    return (layoutTable(rows, this.#theme, this.#columns()) ?? rows.map((row) => row.trim())).slice(-limit);
  }

  /** The waiting lines as they will look, and the code block open after them. */
  #waitingView(): { lines: string[]; fence: FenceOpening | undefined } {
    const t = this.#theme;
    const lines: string[] = [];
    let fence = this.#fence;
    for (const line of this.#waiting) {
      if (fence !== undefined) {
        if (closes(line, fence)) {
          lines.push(frameBottom(t));
          fence = undefined;
        } else {
          lines.push(...this.#codeLine(line, false, fence));
        }
        continue;
      }
      const opening = openingOf(line);
      if (opening) {
        fence = opening;
        lines.push(frameTop(opening, t));
      } else if (TABLE_ROW.test(line)) {
        lines.push(line.trim());
      } else {
        lines.push(...this.#prose(line));
      }
    }
    return { lines, fence };
  }

  /** How an unfinished line looks if it were finished now (one entry per row); changes no
   *  state. */
  preview(partial: string): string[] {
    const fence = this.#waiting.length > 0 ? this.#waitingView().fence : this.#fence;
    if (fence !== undefined) return this.#codeLine(partial, false, fence);
    if (this.#table.length > 0 || TABLE_ROW.test(partial)) return [partial.trim()];
    return this.#prose(partial);
  }

  /** End of the answer: the held table, waiting code (plain if need be), an open frame closed. */
  end(): string[] {
    const out: string[] = [];
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const line of waiting) this.#render(line, out, true);
    if (this.#table.length > 0) out.push(...this.#flushTable());
    if (this.#fence !== undefined) out.push(frameBottom(this.#theme));
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
      out.push(frameTop(state.opening, t));
      return;
    }
    if (state.closing) {
      this.#fence = undefined;
      out.push(frameBottom(t));
      return;
    }
    if (wasInFence) {
      out.push(...this.#codeLine(line, !forcePlain));
      return;
    }
    if (TABLE_ROW.test(line)) {
      this.#table.push(line);
      return;
    }
    out.push(...this.#prose(line));
  }

  #codeLine(line: string, highlight: boolean, fence = this.#fence): string[] {
    const t = this.#theme;
    let code = codeText(line, fence);
    const lang = fence?.lang ?? '';
    if (highlight && t.color && lang !== '' && this.#highlighter?.state() === 'ready') {
      code = this.#highlighter.highlight(code, lang);
    }
    return codeRows(code, t, this.#columns());
  }

  #prose(line: string): string[] {
    return proseRows(line, this.#theme, this.#columns());
  }

  /** The widest a row may be: a row that fills the terminal's last column leaves the cursor
   *  waiting to wrap, which terminals do not all treat alike (the transcript wraps as wide). */
  #columns(): number {
    return Math.max(10, this.#width() - 1);
  }

  #flushTable(): string[] {
    const rows = this.#table;
    this.#table = [];
    return layoutTable(rows, this.#theme, this.#columns()) ?? rows.flatMap((row) => this.#prose(row));
  }
}
