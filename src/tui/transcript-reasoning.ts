// Reasoning as the transcript shows it: collapsed to a live "thinking…" and its last rows, then
// one summary line; or (/reasoning) committed in full as it arrives.

import { createTerminalSanitizer, type TerminalSanitizer } from '../stream/sanitize.js';
import { wrapRows } from './text-width.js';
import type { Theme } from './theme.js';
import { Tail, WordCounter } from './transcript-tail.js';

const REASONING_ROWS = 3;

export class ReasoningStream {
  readonly #theme: Theme;
  readonly #now: () => number;
  readonly #commit: (line: string) => void;
  #sanitizer: TerminalSanitizer = createTerminalSanitizer();
  #open = false;
  #full: boolean;
  #shownFull = false; // this segment's label and lines are being committed
  #tail = new Tail(); // unfinished line (full mode)
  #recent = new Tail(); // the latest reasoning text (collapsed live view)
  #wordCount = 0;
  #words = new WordCounter();
  /** The whole reasoning of the latest segment, so /reasoning can still show it. */
  #text: string[] = [];
  #start = 0;

  constructor(theme: Theme, now: () => number, full: boolean, commit: (line: string) => void) {
    this.#theme = theme;
    this.#now = now;
    this.#full = full;
    this.#commit = commit;
  }

  get open(): boolean {
    return this.#open;
  }

  /** Applies a batch of reasoning text; returns what is safe to show ('' when nothing is yet).
   *  `opening` runs before a new segment begins. */
  push(delta: string, opening: () => void): string {
    const safe = this.#sanitizer.push(delta);
    if (safe === '') return '';
    if (!this.#open) {
      opening();
      this.#open = true;
      this.#wordCount = 0;
      this.#words = new WordCounter();
      this.#text = [];
      this.#start = this.#now();
      this.#recent = new Tail();
      this.#tail = new Tail();
      this.#shownFull = false;
    }
    this.#wordCount += this.#words.count(safe);
    this.#text.push(safe);
    this.#recent.push(safe);
    // keep the recent text bounded: the live view needs only its last rows
    if (this.#recent.chunks.length > 256) {
      const recent = this.#recent.last(4096);
      this.#recent = new Tail();
      this.#recent.push(recent);
    }
    if (this.#full) this.#lines(safe);
    return safe;
  }

  /** /reasoning: switches between the summary line and the full text; returns the new mode. */
  toggle(): boolean {
    this.#full = !this.#full;
    if (this.#full && this.#open && !this.#shownFull) {
      // mid-stream: what came so far is printed now, the rest as it arrives
      this.#tail = new Tail();
      this.#lines(this.#text.join(''));
    } else if (this.#full && !this.#open && this.#text.length > 0 && !this.#shownFull) {
      // after the answer: the collapsed reasoning of the last answer, in full
      this.#lines(this.#text.join(''));
      if (!this.#tail.empty) this.#commit(this.#theme.dim(`  ${this.#tail.take()}`));
    }
    return this.#full;
  }

  /** The answer (or a tool call) began: reasoning collapses to one line, or its last line goes. */
  end(): void {
    if (!this.#open) return;
    const t = this.#theme;
    this.#open = false;
    const rest = this.#sanitizer.flush();
    if (this.#shownFull) {
      if (rest !== '') this.#tail.push(rest);
      if (!this.#tail.empty) this.#commit(t.dim(`  ${this.#tail.take()}`));
      return;
    }
    const seconds = Math.max(1, Math.round((this.#now() - this.#start) / 1000));
    const words = this.#wordCount === 1 ? '1 word' : `${this.#wordCount} words`;
    this.#commit(t.dim(`✻ thought for ${seconds} s · ${words} (/reasoning shows it in full)`));
  }

  /** The run is over: a half escape sequence never carries into the next one. */
  reset(): void {
    this.#sanitizer = createTerminalSanitizer();
  }

  /** The live rows while reasoning streams (undefined when it does not). */
  view(columns: number, rows: number): string[] | undefined {
    if (!this.#open) return undefined;
    const t = this.#theme;
    const full = this.#shownFull;
    const budget = Math.min(REASONING_ROWS, rows - 1);
    const recent = full ? this.#tail.last(budget * columns) : this.#recent.last(budget * columns);
    const wrapped = wrapRows(recent.replace(/\n+/g, ' ').trim(), columns - 2).slice(-budget);
    return full ? wrapped.map((row) => t.dim(`  ${row}`)) : [t.dim(t.italic('thinking…')), ...wrapped.map((row) => t.dim(`  ${row}`))];
  }

  #lines(safe: string): void {
    const t = this.#theme;
    if (!this.#shownFull) {
      this.#shownFull = true;
      this.#commit(t.dim(t.italic('thinking')));
    }
    let start = 0;
    for (let nl = safe.indexOf('\n'); nl !== -1; nl = safe.indexOf('\n', start)) {
      this.#tail.push(safe.slice(start, nl));
      this.#commit(t.dim(`  ${this.#tail.take()}`));
      start = nl + 1;
    }
    this.#tail.push(start === 0 ? safe : safe.slice(start));
  }
}
