// Routes `<think>…</think>` blocks that some models (DeepSeek-R1 distills, Qwen, local servers)
// put inside the answer text to reasoning. The tags arrive split across deltas, so a possible
// partial tag at the end of a delta is held back until the next one decides it.
// A block only opens where the tag starts the content or a line (after optional spaces/tabs):
// prose that merely mentions `<think>` mid-sentence stays visible text.
//
// The implicit start: some chat templates (Qwen3, QwQ, DeepSeek-R1 on some servers) open the
// tag in the prompt, so the content starts inside the block and only `</think>` shows. Text
// already shown cannot be taken back, and holding back every answer would ruin first-token
// latency, so the rule is: for models that look like such (thinkTagMode) the content starts as
// reasoning; a `<think>` at its very start is consumed; `</think>` turns the rest into text. If
// the content ends without any `</think>`, what streamed as reasoning was the answer: flush()
// hands it back as one text part (with what it `retracted`), so nothing is lost. A server that sends
// reasoning in its own fields before any content has parsed the tags itself: then the content
// is text (leaveImplicit), and the answer still streams live.

/** 'text': today's rule (blocks open at a line start); 'implicit': the content starts in a block; 'off': no tag parsing. */
export type ThinkTagStart = 'text' | 'implicit' | 'off';

/** The config setting: 'auto' decides by the model's name. */
export type ThinkTagSetting = 'auto' | 'implicit' | 'off';

/** Models whose chat templates are known to open `<think>` in the prompt. */
const IMPLICIT_OPEN_MODEL = /qwen3|qwq|deepseek-r1|\br1\b|-thinking/i;
/** Their non-thinking siblings (Qwen3-*-Instruct-2507, Qwen3-Coder) never think: their answer
 *  would sit in reasoning until the end. */
const NEVER_THINKS = /instruct|coder/i;

export function thinkTagStart(model: string, setting: ThinkTagSetting = 'auto'): ThinkTagStart {
  if (setting === 'off') return 'off';
  if (setting === 'implicit') return 'implicit';
  return IMPLICIT_OPEN_MODEL.test(model) && !NEVER_THINKS.test(model) ? 'implicit' : 'text';
}

export interface ThinkPart {
  kind: 'text' | 'reasoning';
  text: string;
  /** The start of `text` that was earlier emitted as reasoning (an implicit block that never closed). */
  retracted?: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';
const LT = 60; // '<'
const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

export class ThinkTagSplitter {
  private inBlock: boolean;
  /** In the block the content started in (implicit start), and no `</think>` yet. */
  private implicit: boolean;
  /** Implicit start, nothing but blanks so far: a `<think>` here is consumed. */
  private atStart: boolean;
  /** What the implicit block emitted as reasoning, in case it never closes. */
  private implicitParts: string[] = [];
  private readonly off: boolean;
  private sawContent = false;
  /** A possible partial tag (or, in a block, a possible partial closing tag) held back. */
  private held = '';
  /** Only spaces/tabs since the start of the content or the last newline. */
  private lineStart = true;
  /** Drop the blank lines a model puts right after `</think>`: they are not part of the answer. */
  private trimLeading = false;

  constructor(start: ThinkTagStart = 'text') {
    this.off = start === 'off';
    this.inBlock = this.implicit = this.atStart = start === 'implicit';
  }

  /**
   * The server sent reasoning in its own fields: if no content came yet, it parsed the tags
   * itself and the content is plain text (today's rule), not an implicit block.
   */
  leaveImplicit(): void {
    if (!this.implicit || this.sawContent) return;
    this.inBlock = this.implicit = this.atStart = false;
  }

  /**
   * The hot path: true when `delta` is plain visible text exactly as it is (no block open,
   * nothing held back, no '<'), so the caller emits it itself and skips `push`. This keeps
   * the common per-token case free of allocations. False: call `push(delta)` instead.
   */
  passthrough(delta: string): boolean {
    if (this.off) return true;
    if (this.inBlock || this.held !== '' || this.trimLeading || delta.indexOf('<') !== -1) return false;
    this.lineStart = lineStartAfter(delta, 0, this.lineStart);
    return true;
  }

  push(delta: string): ThinkPart[] {
    if (delta === '') return [];
    this.sawContent = true;
    if (this.passthrough(delta)) return [{ kind: 'text', text: delta }];
    const out: ThinkPart[] = [];
    const s = this.held + delta;
    this.held = '';
    let pos = 0;
    if (this.atStart) {
      const rest = s.replace(/^\s+/, '');
      if (rest === '' || (rest.length < OPEN.length && OPEN.startsWith(rest))) {
        this.held = s;
        return out;
      }
      this.atStart = false;
      if (rest.startsWith(OPEN)) pos = s.length - rest.length + OPEN.length;
    }
    while (pos < s.length) {
      if (this.inBlock) {
        const end = s.indexOf(CLOSE, pos);
        if (end === -1) {
          const keep = partialTagAtEnd(s, pos, CLOSE);
          this.reasoning(out, s.slice(pos, s.length - keep));
          this.held = s.slice(s.length - keep);
          return out;
        }
        this.reasoning(out, s.slice(pos, end));
        pos = end + CLOSE.length;
        this.inBlock = false;
        this.implicit = false;
        this.implicitParts.length = 0;
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

  /**
   * End of the content (its end marker was seen): release whatever was held back. An unclosed
   * block stays reasoning, except the implicit one: it was the answer, and comes back as text.
   */
  flush(): ThinkPart[] {
    const held = this.held;
    this.held = '';
    if (this.implicit) {
      this.implicit = this.inBlock = this.atStart = false;
      const answer = this.implicitParts.join('');
      this.implicitParts.length = 0;
      if (answer === '' && held === '') return [];
      // What was held back (blanks at the start, a partial tag) was never shown: part of the answer.
      return [{ kind: 'text', text: answer + held, retracted: answer }];
    }
    if (held === '') return [];
    return [{ kind: this.inBlock ? 'reasoning' : 'text', text: held }];
  }

  private reasoning(out: ThinkPart[], text: string): void {
    if (text === '') return;
    if (this.implicit) this.implicitParts.push(text);
    add(out, 'reasoning', text);
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
