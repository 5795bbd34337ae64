// The unfinished end of streamed text, and a word count that spans deltas: the transcript's
// bookkeeping that costs work proportional to each delta, never to the text so far.

import { displayWidth, lastColumns } from './text-width.js';

/** The unfinished line, kept as chunks so appending never copies what came before. */
export class Tail {
  chunks: string[] = [];
  width = 0;

  get empty(): boolean {
    return this.chunks.length === 0;
  }

  push(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.width += displayWidth(text);
  }

  take(): string {
    const text = this.chunks.join('');
    this.chunks = [];
    this.width = 0;
    return text;
  }

  /** The last `columns` columns (reads only the chunks it needs). */
  last(columns: number): string {
    // a column is at most two UTF-16 units, so this many units always cover `columns`
    const units = columns * 2;
    let out = '';
    for (let i = this.chunks.length - 1; i >= 0 && out.length < units; i--) {
      const chunk = this.chunks[i] ?? '';
      out = (chunk.length > units ? chunk.slice(-units) : chunk) + out;
    }
    return lastColumns(out, columns);
  }

  all(): string {
    return this.chunks.length === 1 ? (this.chunks[0] ?? '') : this.chunks.join('');
  }
}

/** Counts words across deltas: a word split over two deltas counts once. */
export class WordCounter {
  #inWord = false;

  count(text: string): number {
    let words = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const space = c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
      if (!space && !this.#inWord) words++;
      this.#inWord = !space;
    }
    return words;
  }
}

