// Knows, line by line, whether committed text is prose or inside a fenced code block, so a
// renderer can style a finished line without waiting for the whole answer. Follows the
// CommonMark fence rules for top-level blocks; container blocks (quotes, lists) are not tracked.

export interface FenceOpening {
  /** the fence run itself, e.g. "```" or "~~~~" */
  fence: string;
  /** first word of the info string ('' when none) */
  lang: string;
  /** the full info string, trimmed */
  info: string;
  /** spaces before the fence (0–3); CommonMark strips up to this many from content lines */
  indent: number;
}

export interface FenceLine {
  /** whether the tracker is inside a code block after this line */
  inFence: boolean;
  /** set on the line that opens a block */
  opening?: FenceOpening;
  /** true on the line that closes a block */
  closing?: boolean;
}

// up to 3 spaces, then 3+ backticks or tildes, then the info string
const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

export class FenceTracker {
  #open: FenceOpening | undefined;

  get inFence(): boolean {
    return this.#open !== undefined;
  }

  feed(line: string): FenceLine {
    const open = this.#open;
    if (open !== undefined) {
      const m = CLOSING.exec(line);
      const run = m?.[1];
      if (run !== undefined && run[0] === open.fence[0] && run.length >= open.fence.length) {
        this.#open = undefined;
        return { inFence: false, closing: true };
      }
      return { inFence: true };
    }
    const m = OPENING.exec(line);
    if (m === null) return { inFence: false };
    const indent = m[1] ?? '';
    const fence = m[2] ?? '';
    const info = (m[3] ?? '').trim();
    // a backtick fence's info string may not contain a backtick (``` x ``` is inline code)
    if (fence[0] === '`' && info.includes('`')) return { inFence: false };
    const opening: FenceOpening = { fence, lang: info.split(/[ \t]/, 1)[0] ?? '', info, indent: indent.length };
    this.#open = opening;
    return { inFence: true, opening };
  }

  /** Forget any open block (a new answer starts). */
  reset(): void {
    this.#open = undefined;
  }
}
