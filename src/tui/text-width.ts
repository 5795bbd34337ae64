// Terminal column arithmetic for the live region: how wide a string is and how it breaks into
// rows. The live region must know its exact height (it has to stay shorter than the terminal),
// so it is laid out here rather than left to Ink's wrapping. Wide characters are counted
// generously: overestimating only makes a row a little shorter.

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/y;
/** Any escape sequence a terminal takes no columns for: CSI (colours, cursor), OSC, ESC x. */
// eslint-disable-next-line no-control-regex
export const TERMINAL_SEQUENCE = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/;
const SEQUENCES = new RegExp(TERMINAL_SEQUENCE.source, 'g');
const SGR_ALL = new RegExp(SGR.source, 'g');
const SEQUENCE_AT = new RegExp(TERMINAL_SEQUENCE.source, 'y');

/** Columns taken by one code point. */
export function codePointWidth(cp: number): number {
  if (cp < 0x300) return cp < 0x20 ? 0 : 1;
  // combining marks, zero-width joiners and variation selectors
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of text that may hold SGR sequences (and nothing else of the kind). */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        i = SGR.lastIndex;
        continue;
      }
    }
    const cp = text.codePointAt(i) ?? 0;
    width += codePointWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return width;
}

/** Strips SGR sequences (for measuring and for tests). */
export function stripSgr(text: string): string {
  return text.replace(SGR_ALL, '');
}

interface Token {
  text: string;
  width: number;
  sgr: boolean;
  space: boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        tokens.push({ text: text.slice(i, SGR.lastIndex), width: 0, sgr: true, space: false });
        i = SGR.lastIndex;
        continue;
      }
    }
    const cp = text.codePointAt(i) ?? 0;
    const size = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + size);
    tokens.push({ text: ch, width: ch === '\t' ? 4 : codePointWidth(cp), sgr: false, space: ch === ' ' || ch === '\t' });
    i += size;
  }
  return tokens;
}

export interface WrapOptions {
  /** Width of every row after the first (default: the first's). */
  rest?: number;
  /** Break at spaces where possible, dropping the space (default); false: break at the exact
   *  column, keeping every character (code, where a space is content). */
  words?: boolean;
}

/**
 * Breaks one line (no '\n') into rows of at most `width` columns: at spaces where it can, inside
 * a word when the word is longer than a row. Styles that are open at a break are closed at the
 * end of the row and opened again on the next, so every row stands alone.
 */
export function wrapRows(line: string, width: number, options: WrapOptions = {}): string[] {
  const first = Math.max(1, width);
  const rest = Math.max(1, options.rest ?? width);
  const words = options.words ?? true;
  const tokens = tokenize(line.replace(/\t/g, '    '));
  const rows: string[] = [];
  let row: Token[] = [];
  let rowWidth = 0;
  let lastSpace = -1; // index in `row` of the last space token
  const styles: string[] = []; // SGR sequences seen before the current row, replayed on it

  const finish = (tokensOfRow: Token[]): void => {
    const prefix = styles.join('');
    const body = tokensOfRow.map((t) => t.text).join('');
    const hasStyle = prefix !== '' || tokensOfRow.some((t) => t.sgr);
    rows.push(hasStyle ? `${prefix}${body}\x1b[0m` : body);
    for (const t of tokensOfRow) if (t.sgr) styles.push(t.text);
  };

  for (const token of tokens) {
    if (token.sgr) {
      row.push(token);
      continue;
    }
    const max = rows.length === 0 ? first : rest;
    if (rowWidth + token.width > max && rowWidth > 0 && !words) {
      finish(row);
      row = [];
      rowWidth = 0;
    } else if (rowWidth + token.width > max && rowWidth > 0) {
      if (token.space) {
        // the break itself: the space is dropped
        finish(row);
        row = [];
        rowWidth = 0;
        lastSpace = -1;
        continue;
      }
      if (lastSpace > 0) {
        const head = row.slice(0, lastSpace);
        const tail = row.slice(lastSpace + 1);
        finish(head);
        row = tail;
        rowWidth = tail.reduce((sum, t) => sum + t.width, 0);
      } else {
        finish(row);
        row = [];
        rowWidth = 0;
      }
      lastSpace = -1;
    }
    if (token.space) lastSpace = row.length;
    row.push(token);
    rowWidth += token.width;
  }
  if (row.length > 0 || rows.length === 0) finish(row);
  return rows;
}

/** `line` in rows of at most `width` columns, at spaces where it can: itself when it fits. */
export function fitRows(line: string, width: number): string[] {
  return displayWidth(line) <= width ? [line] : wrapRows(line, width);
}

/** The end of `text` that fits in `columns` columns (whole code points). */
export function lastColumns(text: string, columns: number): string {
  let width = 0;
  let i = text.length;
  while (i > 0) {
    let start = i - 1;
    const low = text.charCodeAt(start);
    if (low >= 0xdc00 && low <= 0xdfff && start > 0) start--;
    const w = codePointWidth(text.codePointAt(start) ?? 0);
    if (width + w > columns) break;
    width += w;
    i = start;
  }
  return text.slice(i);
}

/** Display columns of terminal output (escape sequences take none). */
export function outputWidth(line: string): number {
  const text = line.replace(SEQUENCES, '');
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/**
 * `line` cut to at most `columns` display columns (escape sequences kept, a reset added after a
 * cut). A painted row must never wrap, or the rows it takes could not be counted (the terminal
 * may have narrowed since the row was laid out); it is cut one column short of the width, as the
 * transcript lays rows out: a row that fills the last column leaves the cursor waiting to wrap,
 * which terminals (and tmux's reflow) do not all treat alike.
 */
export function cropToWidth(line: string, columns: number): string {
  if (outputWidth(line) <= columns) return line;
  let out = '';
  let width = 0;
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      SEQUENCE_AT.lastIndex = i;
      const match = SEQUENCE_AT.exec(line);
      if (match !== null) {
        out += match[0];
        i += match[0].length;
        continue;
      }
    }
    const cp = line.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    const w = codePointWidth(cp);
    if (width + w > columns) break;
    out += ch;
    width += w;
    i += ch.length;
  }
  return `${out}\x1b[0m`;
}

/** Rows `lines` take on a terminal `columns` wide, each wrapped on its own. */
export function rowsAt(lines: readonly string[], columns: number): number {
  let rows = 0;
  for (const line of lines) rows += Math.max(1, Math.ceil(outputWidth(line) / Math.max(1, columns)));
  return rows;
}
