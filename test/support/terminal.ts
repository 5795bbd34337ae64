// A terminal for tests: a stream that records what is written to it (FakeTerminal), and a
// small VT100 screen to feed it to (Screen).

import { EventEmitter } from 'node:events';

export class FakeTerminal extends EventEmitter {
  isTTY = true;
  writable = true;
  destroyed = false;
  writableEnded = false;
  writableLength = 0;
  writes: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  getWindowSize(): [number, number] {
    return [this.columns, this.rows];
  }
  write(chunk: string, callback?: () => void): boolean {
    this.writes.push(chunk);
    callback?.();
    return true;
  }
}

/**
 * A small VT100 screen (one column per character): enough of one to check that what is sent
 * leaves the same rows on screen and in the scrollback as Ink's own full redraws. `\n` also
 * returns the carriage, as the tty's ONLCR makes it. Colours are kept as part of the text, so
 * a row drawn in other colours counts as different.
 */
export class Screen {
  grid: string[][];
  scrollback: string[] = [];
  row = 0;
  col = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => this.blank());
  }
  blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }
  feed(text: string): void {
    // eslint-disable-next-line no-control-regex
    const token = /\x1b\[([0-9;?]*)([A-Za-z])|\n|\r|[^\x1b\n\r]/g;
    for (const [all, params, final] of text.matchAll(token)) {
      const n = Number(params || '1') || 1;
      if (all === '\n') {
        this.col = 0;
        if (this.row === this.rows - 1) {
          this.scrollback.push(this.line(this.grid.shift() ?? []));
          this.grid.push(this.blank());
        } else this.row++;
      } else if (all === '\r') this.col = 0;
      else if (final === undefined) {
        if (this.col >= this.columns) this.feed('\n');
        (this.grid[this.row] ?? [])[this.col++] = this.style.size === 0 ? all : `{${[...this.style].sort().join(';')}}${all}`;
      } else if (final === 'm') this.setStyle(params ?? '');
      else if (final === 'A') this.row = Math.max(0, this.row - n);
      else if (final === 'B') this.row = Math.min(this.rows - 1, this.row + n);
      else if (final === 'G') this.col = n - 1;
      else if (final === 'K' && params === '2') this.grid[this.row] = this.blank();
      else if (final === 'K') this.grid[this.row] = [...(this.grid[this.row] ?? []).slice(0, this.col), ...this.blank().slice(this.col)];
      else if (final === 'L' || final === 'M') {
        const rows = Array.from({ length: n }, () => this.blank());
        if (final === 'L') this.grid.splice(this.row, 0, ...rows).length;
        else this.grid.splice(this.row, n), this.grid.push(...rows);
        this.grid.length = this.rows;
        this.col = 0;
      } else if (!(final === 'h' || final === 'l') || !(params ?? '').startsWith('?')) throw new Error(`unexpected sequence ${JSON.stringify(all)}`);
    }
  }
  /** Bold, dim and inverse, as far as these tests use colours. */
  style = new Set<string>();
  setStyle(params: string): void {
    for (const code of params.split(';')) {
      if (code === '' || code === '0') this.style.clear();
      else if (code === '22') (this.style.delete('1'), this.style.delete('2'));
      else if (code === '27') this.style.delete('7');
      else this.style.add(code);
    }
  }
  line(cells: string[]): string {
    return cells.join('').trimEnd();
  }
  /** Scrollback and screen, trailing blank rows left out. */
  get text(): string {
    return [...this.scrollback, ...this.grid.map((cells) => this.line(cells))].join('\n').trimEnd();
  }
}
