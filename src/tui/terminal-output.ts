// The stdout Ink renders to, wrapped so that a terminal resize cannot leave pieces of the live
// region in the scrollback.
//
// When a terminal that reflows (tmux, iTerm2, kitty, VTE, Windows Terminal…) gets narrower, each
// line of Ink's live region that is wider than the new width is re-wrapped onto more rows. Ink
// then erases as many rows as its frame had lines, so the top rows of the re-wrapped frame stay
// behind as garbage above the new frame. This wrapper remembers the frame Ink last drew (the
// text of its last write after the erase sequence that starts it) and how many rows it takes
// now; before Ink erases it, the rows beyond one per line are deleted, so Ink's erase covers the
// whole frame. The terminal's size is read at that moment (a resize may not have been signalled
// yet). Terminals that truncate instead of reflowing (xterm, rxvt) need nothing and get nothing.
//
// Limit: tmux re-wraps its grid at once but passes a new size to the program at most every
// 250 ms; a frame written in that gap is laid out for a width the terminal no longer has, and
// nothing the program does can know. Resizes at that pace or slower leave no trace.
//
// It also makes a frame cheap to send. Ink makes 3-4 write() calls per frame (synchronized-update
// marks, static output, the frame); the ones between the marks are sent as one. And Ink erases
// and redraws its whole live region every frame (its incremental mode misplaces the cursor in
// 6.8): when the erase covers exactly the frame on screen, this wrapper sends only the rows that
// changed instead, the end of a row that grew, and inserts or deletes rows so that unchanged rows
// (the prompt, the status line) stay where they are when the answer gains a row above them.
//
// And it draws rows of its own above Ink's frame: the pane (paint()), where the TUI shows the
// unfinished end of a streaming answer. A frame of a streaming answer then costs a diff of a
// few rows instead of a React render and an Ink layout of the whole live region. The pane and
// Ink's frame are one live region on screen: Ink's redraws keep the pane above its frame, and
// paint() keeps Ink's frame below the pane. Lines committed with paint() go to the scrollback
// above both, as Ink's <Static> output does.
//
// Between writes it parks the terminal's cursor on the prompt's cursor block (hardware-cursor.ts),
// and brings it back under the live region before anything is drawn.

import { EventEmitter } from 'node:events';
import { eraseLines, frameUpdate, lineText, sameRows } from './frame-update.js';
import { cursorSpot, disposeOnExit, park, unpark, type CursorSpot } from './hardware-cursor.js';
import { TERMINAL_SEQUENCE, cropToWidth, outputWidth, rowsAt } from './text-width.js';

/** Leading cursor movements and erases of a write (Ink's eraseLines and the like). */
// eslint-disable-next-line no-control-regex
const LEADING_CONTROLS = /^(?:\x1b\[[0-9;?]*[A-HJKSTfhlsu])+/;
const SEQUENCES = new RegExp(TERMINAL_SEQUENCE.source, 'g');
/** Text a frame is made of: printable characters, newlines, colours (SGR) and hyperlinks. */
// eslint-disable-next-line no-control-regex
const PLAIN = /^(?:[^\x00-\x09\x0b-\x1f\x7f\x1b]|\x1b\[[0-9;:]*m|\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\))*$/;
/** Ink's synchronized-update marks, each written on its own around a frame. */
const BEGIN_SYNC = '\x1b[?2026h';
const END_SYNC = '\x1b[?2026l';

/** Whether this terminal re-wraps lines when it gets narrower. */
export function terminalReflows(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.TMUX) return true;
  if (env.XTERM_VERSION) return false;
  if (env.STY) return false; // GNU screen truncates
  if ((env.TERM ?? '').startsWith('rxvt')) return false;
  return true;
}

export interface TerminalOutputOptions {
  /** The terminal re-wraps lines on resize (see terminalReflows). */
  reflows: boolean;
  /** Rows painted above the cursor before Ink started (prepaint.ts): its first frame replaces them. */
  prepainted?: number;
}

export class TerminalOutput extends EventEmitter {
  readonly #target: NodeJS.WriteStream;
  readonly #reflows: boolean;
  /** Lines of Ink's live frame on screen (without the row the cursor waits on). */
  #frame: string[] = [];
  /** The terminal's width when the frame was written (it wrapped at that width). */
  #frameColumns = 0;
  /** The live region's extra rows were already deleted. */
  #unwrapped = false;
  /** Rows painted above Ink's frame (paint()), one line each. */
  #pane: string[] = [];
  /** The terminal's width when the pane was painted. */
  #paneColumns = 0;
  /** The terminal's width as last seen. */
  #columns: number;
  readonly #onResize = (): void => this.#resized();
  #prepainted: number;
  /** What to send for the frame being gathered between Ink's synchronized-update marks. */
  #batch: string[] | undefined;
  #callbacks: ((err?: Error | null) => void)[] = [];
  /**
   * An erase of Ink's whole frame, held back: the live region it erased, Ink's writes since
   * (static output, then the frame), and, when the region was not laid out as drawn, what to
   * send before erasing it row by row (undefined: it was, and a diff will do).
   */
  #redraw: { before: string[]; writes: string[]; unwrap: string | undefined } | undefined;
  /** Where the terminal's cursor waits between writes, when not under the live region. */
  #parked: CursorSpot | undefined;
  /** Done: the cursor is left under the live region. */
  #disposed = false;

  constructor(target: NodeJS.WriteStream, options: TerminalOutputOptions) {
    super();
    this.#target = target;
    this.#reflows = options.reflows;
    this.#prepainted = options.prepainted ?? 0;
    this.#columns = target.columns || 80;
    target.on('resize', this.#onResize);
  }

  get isTTY(): boolean {
    return this.#target.isTTY === true;
  }

  get columns(): number {
    return this.#target.columns;
  }

  get rows(): number {
    return this.#target.rows;
  }

  get writable(): boolean {
    return this.#target.writable;
  }

  get destroyed(): boolean {
    return this.#target.destroyed;
  }

  get writableEnded(): boolean {
    return this.#target.writableEnded;
  }

  get writableLength(): number {
    return this.#target.writableLength;
  }

  /** Ink's live frame as last drawn (for tests). */
  get frame(): readonly string[] {
    return this.#frame;
  }

  /** The rows painted above Ink's frame (for tests). */
  get pane(): readonly string[] {
    return this.#pane;
  }

  /**
   * Sends `committed` (finished lines, each ending with a newline; '' for none) to the
   * scrollback and shows `pane` above Ink's frame, in one write. Rows must be narrower than the
   * terminal (they are not wrapped here).
   */
  paint(committed: string, pane: readonly string[]): void {
    if (this.#batch !== undefined) this.#flush('');
    this.#sync();
    const next = pane.map((row) => cropToWidth(row, this.#columns - 1));
    if (committed === '' && sameRows(next, this.#pane)) return;
    const before = this.#live();
    const lines = committed === '' ? [] : committed.slice(0, -1).split('\n');
    const rows = [...lines, ...next, ...this.#frame];
    let out: string;
    // An intact region's frame rows fit, and the pane's were just cut to fit: only the
    // committed lines and the height are left to check.
    if (this.#liveIntact() && rows.length + 1 < (this.#target.rows || 24) && this.#fits(lines)) {
      out = frameUpdate(before, rows);
    } else {
      // Ink's frame is drawn again as it is: the terminal lays it out at its width now
      out = this.#unwrapLive() + eraseLines(before.length + 1) + committed + lineText(next) + lineText(this.#frame);
      this.#frameColumns = this.#columns;
      this.#unwrapped = false;
    }
    this.#pane = next;
    this.#paneColumns = this.#columns;
    if (out !== '') this.#send(this.isTTY ? BEGIN_SYNC + out + END_SYNC : out);
  }

  write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), callback?: (err?: Error | null) => void): boolean {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof chunk !== 'string' || (typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8')) {
      this.#flush('');
      const home = this.#home();
      if (home !== '') this.#target.write(home);
      if (typeof encoding === 'function') return this.#target.write(chunk, encoding);
      return encoding === undefined ? this.#target.write(chunk, callback) : this.#target.write(chunk, encoding, callback);
    }
    if (this.#batch === undefined && chunk === BEGIN_SYNC) {
      // The writes of one frame follow synchronously: gather them and send them at its end
      // (or, should the end mark never come, once this turn of the event loop is over).
      this.#batch = [chunk];
      queueMicrotask(() => this.#flush(''));
    } else if (this.#batch === undefined) {
      const out = this.#process(chunk, false);
      if (out !== '') return this.#send(out, done);
      done?.();
      return true;
    } else if (chunk === END_SYNC) {
      if (done !== undefined) this.#callbacks.push(done);
      this.#flush(chunk);
      return true;
    } else {
      this.#batch.push(this.#process(chunk, true));
    }
    if (done !== undefined) this.#callbacks.push(done);
    return true;
  }

  /** Sends what was gathered, then stops following the real terminal's resizes. */
  dispose(): void {
    this.#flush('');
    // whatever comes next (the shell) starts under the live region, the cursor shown; so do
    // Ink's last writes, which may come after this (its unmount's effects)
    this.#disposed = true;
    if (this.#parked !== undefined) this.#target.write(unpark(this.#parked, this.#target.columns, this.#reflows, false));
    this.#parked = undefined;
    this.#target.off('resize', this.#onResize);
  }

  /** Sends the frame gathered so far in one write, `end` after it. */
  #flush(end: string): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    let out = batch.join('');
    if (this.#redraw !== undefined) out += this.#endRedraw();
    // nothing between the marks: the marks alone would change nothing
    out = out === BEGIN_SYNC ? '' : out + end;
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    const done = callbacks.length === 0 ? undefined : (err?: Error | null): void => callbacks.forEach((cb) => cb(err));
    if (out !== '') this.#send(out, done);
    else done?.();
  }

  /**
   * Writes `out` (made for the cursor under the live region), the cursor brought back there
   * first and parked on the prompt's cursor block after (see hardware-cursor.ts), inside the
   * synchronized update when `out` is one.
   */
  #send(out: string, done?: (err?: Error | null) => void): boolean {
    const home = this.#home();
    const spot = this.isTTY && !this.#disposed && this.#liveIntact() ? cursorSpot(this.#live(), this.#columns) : undefined;
    this.#parked = spot;
    if (spot !== undefined) disposeOnExit(this);
    const away = spot === undefined ? '' : park(spot);
    if (home === '' && away === '') return this.#target.write(out, done);
    const open = out.startsWith(BEGIN_SYNC) ? BEGIN_SYNC.length : 0;
    const close = out.endsWith(END_SYNC) && out.length - END_SYNC.length >= open ? out.length - END_SYNC.length : out.length;
    return this.#target.write(out.slice(0, open) + home + out.slice(open, close) + away + out.slice(close), done);
  }

  /** What brings a parked cursor back under the live region ('' when it is there). */
  #home(): string {
    const spot = this.#parked;
    if (spot === undefined) return '';
    this.#parked = undefined;
    this.#sync();
    return unpark(spot, this.#columns, this.#reflows);
  }

  /** What to send for one of Ink's writes (in a frame being gathered when `inBatch`). */
  #process(data: string, inBatch: boolean): string {
    let out = '';
    if (this.#prepainted > 0 && data.replace(SEQUENCES, '') !== '') {
      // Ink's first frame goes where the painted one is: its rows are erased from the bottom
      // up, as Ink erases its own. (Not ESC[J from the top: tmux's scroll-on-clear would
      // move the painted rows into the scrollback.)
      out += `${'\x1b[2K\x1b[1A'.repeat(this.#prepainted)}\x1b[2K\x1b[G`;
      this.#prepainted = 0;
    }
    if (this.#redraw !== undefined) {
      // text after the erase (static output, the frame) joins the redraw; anything else ends it
      if (PLAIN.test(data)) {
        this.#redraw.writes.push(data);
        this.#follow(data, '');
        return out;
      }
      out += this.#endRedraw();
    }
    // A cleared screen took the pane with it (the next paint() draws it again).
    if (data.includes('\x1b[2J')) this.#pane = [];
    const prefix = data.charCodeAt(0) === 0x1b ? (LEADING_CONTROLS.exec(data)?.[0] ?? '') : '';
    if (prefix.includes('\x1b[2K')) {
      // Ink is about to erase its frame, one row per line. The terminal may have been resized
      // a moment ago without the signal having reached us yet: ask it directly.
      this.#sync();
      if (inBatch && prefix === eraseLines(this.#frame.length + 1)) {
        // Exactly Ink's frame: hold the erase back until the frame's text is in. Then, if the
        // region is laid out as it was drawn, only what differs is sent; if not, all of it is
        // erased and drawn again (the pane with it, between Ink's static output and frame).
        const intact = this.#liveIntact();
        this.#redraw = { before: this.#live(), writes: [], unwrap: intact ? undefined : this.#unwrapLive() };
        this.#setFrame([]);
        const rest = data.slice(prefix.length);
        return rest === '' ? out : out + this.#process(rest, inBatch);
      }
      out += this.#unwrapLive();
      if (this.#pane.length > 0 && prefix === eraseLines(this.#frame.length + 1)) {
        // Ink clears its frame on its own (a resize, a write of its own): the pane is erased
        // and drawn again where it was (cut to the width there is now), so that Ink's next
        // frame comes right under it.
        this.#cropPane();
        out += eraseLines(this.#pane.length + this.#frame.length + 1) + lineText(this.#pane);
        this.#paneColumns = this.#columns;
        this.#follow(data, prefix);
        return out + data.slice(prefix.length);
      }
    }
    this.#follow(data, prefix);
    return out + data;
  }

  /** Follows the frame on screen through one of Ink's writes (`prefix`: its leading controls). */
  #follow(data: string, prefix: string): void {
    const rest = prefix === '' ? data : data.slice(prefix.length);
    // A write that starts with text is text (Ink's frame, or static output, which Ink always
    // follows with the frame); one that starts with a sequence may be nothing but sequences.
    if (rest === '' || (rest.charCodeAt(0) === 0x1b && rest.replace(SEQUENCES, '') === '')) {
      // only controls: an erase (Ink's clear) empties the frame; anything else leaves it
      if (prefix.includes('\x1b[2K')) this.#setFrame([]);
      return;
    }
    const lines = rest.split('\n');
    if (lines.at(-1) === '') lines.pop();
    this.#setFrame(lines);
  }

  /** Cuts the pane's rows to the terminal's width now (they were cut to the width they were
   *  painted at). */
  #cropPane(): void {
    if (this.#paneColumns !== this.#columns) this.#pane = this.#pane.map((row) => cropToWidth(row, this.#columns - 1));
  }

  /** The pane and Ink's frame, as on screen. */
  #live(): string[] {
    return this.#pane.length === 0 ? this.#frame : [...this.#pane, ...this.#frame];
  }

  /** The live region takes one row per line, at the width it was drawn for, with room to spare
   *  on the screen: moving the cursor by lines lands where Ink thinks. */
  #liveIntact(): boolean {
    const live = this.#live();
    const columns = this.#columns;
    return (
      !this.#unwrapped &&
      this.#frameColumns === columns &&
      (this.#pane.length === 0 || this.#paneColumns === columns) &&
      live.length + 1 < (this.#target.rows || 24) &&
      rowsAt(live, columns) === live.length
    );
  }

  /** Rows that can be drawn by the row arithmetic: none wraps, and all fit on the screen. */
  #fits(rows: readonly string[]): boolean {
    return rows.length + 1 < (this.#target.rows || 24) && rows.every((row) => outputWidth(row) <= this.#columns);
  }

  /** What to send for the erase held back and the text written since. */
  #endRedraw(): string {
    const redraw = this.#redraw;
    if (redraw === undefined) return '';
    this.#redraw = undefined;
    const { before, writes, unwrap } = redraw;
    // Ink's frame is its last write; the pane goes between its static output and the frame.
    const frame = writes.pop() ?? '';
    this.#cropPane();
    const text = writes.join('') + lineText(this.#pane) + frame;
    const rows = text.split('\n');
    const ends = rows.pop() === '';
    // Rows that would wrap, or not fit on the screen, would break the row arithmetic: the
    // region is then erased row by row and drawn again.
    if (unwrap !== undefined || !ends || !this.#fits(rows)) {
      this.#paneColumns = this.#columns;
      return (unwrap ?? '') + eraseLines(before.length + 1) + text;
    }
    return frameUpdate(before, rows);
  }

  #setFrame(lines: string[]): void {
    this.#frame = lines;
    this.#frameColumns = this.#columns;
    this.#unwrapped = false;
  }

  /** Rows the live region takes on screen now. */
  #liveRows(): number {
    if (this.#unwrapped) return this.#pane.length + this.#frame.length;
    // Lines wider than the terminal wrapped as they were written; a reflowing terminal has
    // since re-wrapped them to its current width.
    const reflowed = this.#reflows ? this.#columns : undefined;
    return rowsAt(this.#pane, reflowed ?? this.#paneColumns) + rowsAt(this.#frame, reflowed ?? this.#frameColumns);
  }

  /** Reads the terminal's size now (it may have changed before SIGWINCH was handled). */
  #sync(): void {
    const size = typeof this.#target.getWindowSize === 'function' ? this.#target.getWindowSize() : undefined;
    this.#columns = size?.[0] || this.#target.columns || 80;
  }

  /** Deletes the rows the live region takes beyond one per line, so an erase by lines covers
   *  all of it. */
  #unwrapLive(): string {
    const lines = this.#pane.length + this.#frame.length;
    if (lines === 0) return '';
    const rows = this.#liveRows();
    const extra = rows - lines;
    // A frame taller than the screen has its top in the scrollback, out of reach.
    if (extra <= 0 || rows >= (this.#target.rows || 24)) return '';
    this.#unwrapped = true;
    // From the row under the frame: up to its first row, delete the extra rows (what follows
    // moves up), and back down to the row under what is left.
    return `\x1b[${rows}A\x1b[${extra}M\x1b[${lines}B`;
  }

  #resized(): void {
    this.#sync();
    // Ink's resize handler erases and redraws the frame; the fix-up happens in that write.
    this.emit('resize');
  }
}
