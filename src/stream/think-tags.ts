// Routes `<think>…</think>` blocks that some models (DeepSeek-R1 distills, Qwen, local servers)
// put inside the answer text to reasoning. The tags arrive split across deltas, so a possible
// partial tag at the end of a delta is held back until the next one decides it.
// A block only opens where the tag starts the content or a line (after optional spaces/tabs):
// prose that merely mentions `<think>` mid-sentence stays visible text.

export interface ThinkPart {
  kind: 'text' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';
const LT = 60; // '<'
const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

export class ThinkTagSplitter {
  private inBlock = false;
  /** A possible partial tag (or, in a block, a possible partial closing tag) held back. */
  private held = '';
  /** Only spaces/tabs since the start of the content or the last newline. */
  private lineStart = true;
  /** Drop the blank lines a model puts right after `</think>`: they are not part of the answer. */
  private trimLeading = false;

  /**
   * The hot path: true when `delta` is plain visible text exactly as it is (no block open,
   * nothing held back, no '<'), so the caller emits it itself and skips `push`. This keeps
   * the common per-token case free of allocations. False: call `push(delta)` instead.
   */
  passthrough(delta: string): boolean {
    if (this.inBlock || this.held !== '' || this.trimLeading || delta.indexOf('<') !== -1) return false;
    this.lineStart = lineStartAfter(delta, 0, this.lineStart);
    return true;
  }

  push(delta: string): ThinkPart[] {
    if (delta === '') return [];
    if (this.passthrough(delta)) return [{ kind: 'text', text: delta }];
    const out: ThinkPart[] = [];
    const s = this.held + delta;
    this.held = '';
    let pos = 0;
    while (pos < s.length) {
      if (this.inBlock) {
        const end = s.indexOf(CLOSE, pos);
        if (end === -1) {
          const keep = partialTagAtEnd(s, pos, CLOSE);
          add(out, 'reasoning', s.slice(pos, s.length - keep));
          this.held = s.slice(s.length - keep);
          return out;
        }
        add(out, 'reasoning', s.slice(pos, end));
        pos = end + CLOSE.length;
        this.inBlock = false;
        this.trimLeading = true;
        this.lineStart = true;
        continue;
      }
      if (this.trimLeading) {
        while (pos < s.length && isBlank(s.charCodeAt(pos))) pos++;
        if (pos === s.length) return out;
        this.trimLeading = false;
      }
      // Outside a block: look for a tag at a line start.
      let lineStart = this.lineStart;
      let i = pos;
      let opened = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === LT && lineStart) {
          if (s.length - i < OPEN.length) {
            if (OPEN.startsWith(s.slice(i))) {
              add(out, 'text', s.slice(pos, i));
              this.held = s.slice(i);
              this.lineStart = true;
              return out;
            }
          } else if (s.startsWith(OPEN, i)) {
            opened = true;
            break;
          }
          lineStart = false;
        } else if (c === NL) {
          lineStart = true;
        } else if (c !== SPACE && c !== TAB && c !== CR) {
          lineStart = false;
        }
      }
      add(out, 'text', s.slice(pos, i));
      if (!opened) {
        this.lineStart = lineStart;
        return out;
      }
      this.inBlock = true;
      pos = i + OPEN.length;
    }
    return out;
  }

  /** End of the content: release whatever was held back (an unclosed block stays reasoning). */
  flush(): ThinkPart[] {
    const held = this.held;
    this.held = '';
    if (held === '') return [];
    return [{ kind: this.inBlock ? 'reasoning' : 'text', text: held }];
  }
}

function add(out: ThinkPart[], kind: ThinkPart['kind'], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

function isBlank(c: number): boolean {
  return c === NL || c === SPACE || c === TAB || c === CR;
}

/** Whether only spaces/tabs follow the last newline of s[from..] (or of what came before). */
function lineStartAfter(s: string, from: number, before: boolean): boolean {
  for (let i = s.length - 1; i >= from; i--) {
    const c = s.charCodeAt(i);
    if (c === NL) return true;
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return before;
}

/** Length of a proper prefix of `tag` that s[from..] ends with (tags hold one '<', at the start). */
function partialTagAtEnd(s: string, from: number, tag: string): number {
  const at = s.lastIndexOf('<');
  if (at < from || s.length - at >= tag.length) return 0;
  return tag.startsWith(s.slice(at)) ? s.length - at : 0;
}
