// Prompt history, walked with Up/Down and kept across runs in HERMES_HOME/history.jsonl.
//
// The file is append-only JSON lines ({"text": ...} per entry), so a multi-line prompt is one
// line on disk, two hermes processes appending at once do not clobber each other, and a line
// torn by a crash only loses itself. History is a convenience: any I/O failure leaves it
// working in memory and is never reported as an error.

import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../agent/make-dirs.js';

// Compact the file once it holds this many times `limit` lines, so it cannot grow forever.
const COMPACT_FACTOR = 2;

export class InputHistory {
  readonly #file: string | undefined;
  readonly #limit: number;
  #entries: string[] = [];
  /** Position while walking: #entries.length means "at the draft", not walking. */
  #index = 0;
  #draft = '';
  #persist: boolean;
  /** The file's last line has no newline (torn write): the next append must start one. */
  #needsNewline = false;

  constructor(file: string | undefined, limit = 1000) {
    this.#file = file;
    this.#limit = Math.max(1, Math.floor(limit));
    this.#persist = file !== undefined;
  }

  /** Oldest first. */
  get entries(): readonly string[] {
    return this.#entries;
  }

  load(): void {
    if (this.#file === undefined) return;
    let raw: string;
    try {
      raw = readFileSync(this.#file, 'utf8');
    } catch {
      // A missing file is the first run; an unreadable one simply starts empty.
      this.#index = this.#entries.length;
      return;
    }
    const loaded: string[] = [];
    const lines = raw.split('\n');
    for (const line of lines) {
      const entry = parseLine(line);
      if (entry !== undefined && entry !== loaded[loaded.length - 1]) loaded.push(entry);
    }
    this.#needsNewline = raw.length > 0 && !raw.endsWith('\n');
    this.#entries = loaded.slice(-this.#limit);
    this.#index = this.#entries.length;
    this.#draft = '';
    if (lines.length > this.#limit * COMPACT_FACTOR) this.#compact();
  }

  add(entry: string): void {
    this.reset();
    if (entry.trim() === '' || entry === this.#entries[this.#entries.length - 1]) return;
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    this.#index = this.#entries.length;
    this.#append(entry);
  }

  /** Up: the entry before the one shown. `current` is what the prompt holds now; when the walk
   *  starts it is kept as the draft that walking back down past the newest entry restores.
   *  Undefined when there is nothing older. */
  previous(current: string): string | undefined {
    if (this.#index >= this.#entries.length) {
      this.#index = this.#entries.length;
      this.#draft = current;
    }
    if (this.#index === 0) return undefined;
    this.#index--;
    return this.#entries[this.#index];
  }

  /** Down: the entry after the one shown, then the draft; undefined when not walking. */
  next(): string | undefined {
    if (this.#index >= this.#entries.length) return undefined;
    this.#index++;
    if (this.#index === this.#entries.length) {
      const draft = this.#draft;
      this.#draft = '';
      return draft;
    }
    return this.#entries[this.#index];
  }

  /** Stops walking (after a submit or when the prompt is cleared); the draft is forgotten. */
  reset(): void {
    this.#index = this.#entries.length;
    this.#draft = '';
  }

  #append(entry: string): void {
    if (!this.#persist || this.#file === undefined) return;
    try {
      makeDirs(dirname(this.#file));
      // 0600: prompts can hold anything the user typed, secrets included.
      appendFileSync(this.#file, (this.#needsNewline ? '\n' : '') + formatLine(entry), { mode: 0o600 });
      this.#needsNewline = false;
    } catch {
      this.#persist = false;
    }
  }

  #compact(): void {
    if (this.#file === undefined) return;
    const temporary = `${this.#file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, this.#entries.map(formatLine).join(''), { mode: 0o600 });
      renameSync(temporary, this.#file);
      this.#needsNewline = false;
    } catch {
      // Compaction is housekeeping: the uncompacted file is still valid.
    }
  }
}

function formatLine(entry: string): string {
  return `${JSON.stringify({ text: entry })}\n`;
}

function parseLine(line: string): string | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'string') return value || undefined;
    if (typeof value === 'object' && value !== null && 'text' in value) {
      const { text } = value;
      if (typeof text === 'string' && text !== '') return text;
    }
  } catch {
    // A torn or hand-edited line: skip it, keep the rest.
  }
  return undefined;
}
