// The live roster on stderr while a council's members answer (only when stderr is a terminal):
// one line per member (name, state, tokens, elapsed), redrawn in place a few times a second,
// never more lines than the terminal has, each cut to its width.

import { safeLine } from './messages.js';
import type { OutputWriter } from './output-writer.js';

interface Row {
  name: string;
  state: 'waiting' | 'answering' | 'done' | 'failed';
  tokens: number;
  started: number;
  ms?: number;
}

export interface RosterOptions {
  writer: OutputWriter;
  members: readonly string[];
  columns: () => number;
  rows: () => number;
  secrets: readonly string[];
}

const FRAME_MS = 100;

export class CouncilRoster {
  private readonly rows: Row[];
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RosterOptions) {
    const now = performance.now();
    this.rows = options.members.map((name) => ({ name, state: 'waiting', tokens: 0, started: now }));
    this.timer = setInterval(() => this.draw(), FRAME_MS);
    this.timer.unref();
    this.draw();
  }

  delta(name: string): void {
    const row = this.row(name);
    if (row) {
      row.state = 'answering';
      row.tokens++;
    }
  }

  finished(name: string, ok: boolean, ms: number): void {
    const row = this.row(name);
    if (row) {
      row.state = ok ? 'done' : 'failed';
      row.ms = ms;
    }
  }

  /** Draws the final state once more and leaves it in the scrollback. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
    this.drawn = 0;
  }

  private row(name: string): Row | undefined {
    return this.rows.find((row) => row.name === name);
  }

  private draw(): void {
    const width = Math.max(20, this.options.columns());
    const room = Math.max(1, this.options.rows() - 1);
    const lines = this.rows.map((row) => this.line(row, width));
    const shown = lines.length <= room ? lines : [...lines.slice(0, room - 1), `… and ${lines.length - room + 1} more members`];
    // Up to the first line drawn last time, then each line cleared and rewritten.
    const up = this.drawn > 0 ? `\u001b[${this.drawn}F` : '';
    this.options.writer.err(up + shown.map((line) => `\u001b[2K${line}\n`).join(''));
    this.drawn = shown.length;
  }

  private line(row: Row, width: number): string {
    const seconds = ((row.ms ?? performance.now() - row.started) / 1000).toFixed(1);
    const text = `${safeLine(row.name, this.options.secrets)}  ${row.state}  ${row.tokens} tokens  ${seconds} s`;
    return text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text;
  }
}
