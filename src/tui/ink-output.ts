// Ink's Output.get (node_modules/ink/build/output.js), for the screens hermes draws, without
// its per-character work. Ink lays every frame's text into a grid of styled cells, one object per
// column of every row (each line tokenized, each character measured), then turns each row back
// into a string: for a live region of a few rows of text, and for every line committed to
// <Static>, that was the largest part of a frame's cost. When each row is only text segments
// side by side (no clipping, no overlap), the row is those segments joined, with spaces between.
// scripts/build.mjs makes Ink's Output.get call this first; anything else gets Ink's own path.

/** One of Ink's Output operations (output.js). */
export interface InkOutputOperation {
  type: 'write' | 'clip' | 'unclip';
  x?: number;
  y?: number;
  text?: string;
  transformers?: readonly ((line: string, index: number) => string)[];
}

interface Segment {
  x: number;
  text: string;
}

/** Characters one column wide both for Ink's grid and for the text's width: ASCII, Latin-1,
 *  punctuation (›, …, ·), arrows, box drawing and braille (the spinner), one UTF-16 unit each. */
// eslint-disable-next-line no-control-regex
const NOT_NARROW = /[^\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f\u2800-\u28ff]/;
// eslint-disable-next-line no-control-regex
const SEQUENCES = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const RESET = '\x1b[0m';

/**
 * The rows Ink would print for `operations` on an output `height` rows tall, or undefined when
 * they are not plain side-by-side text (Ink's own path then runs). Ink closes every style at
 * the end of a row; a row with escape sequences ends with a reset here, so a style left open
 * by its text cannot run into the rows after it.
 */
export function fastOutput(operations: readonly InkOutputOperation[], height: number): { output: string; height: number } | undefined {
  const rows: Segment[][] = [];
  for (let y = 0; y < height; y++) rows.push([]);
  for (const operation of operations) {
    if (operation.type !== 'write') return undefined;
    const { x = 0, y = 0, text = '', transformers = [] } = operation;
    // Ink skips rows outside the output without advancing: only rows inside are the same here
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0) return undefined;
    const lines = text.split('\n');
    for (let index = 0; index < lines.length && y + index < height; index++) {
      let line = lines[index] ?? '';
      for (const transformer of transformers) line = transformer(line, index);
      rows[y + index]?.push({ x, text: line });
    }
  }
  const out: string[] = [];
  for (const segments of rows) {
    let row = '';
    if (segments.length === 1 && segments[0]?.x === 0) row = segments[0].text;
    else if (segments.length > 0) {
      segments.sort((a, b) => a.x - b.x);
      let column = 0;
      for (const segment of segments) {
        if (segment.x < column) return undefined; // overlapping text: Ink's grid decides
        row += ' '.repeat(segment.x - column) + segment.text;
        // Ink gives every character at least one column, wide ones two: where every character
        // is surely one column, the next segment's place is known from the text
        const visible = segment.text.includes('\x1b') ? segment.text.replace(SEQUENCES, '') : segment.text;
        column = NOT_NARROW.test(visible) ? Infinity : segment.x + visible.length;
      }
    }
    row = row.trimEnd();
    out.push(row.includes('\x1b') && !row.endsWith(RESET) ? row + RESET : row);
  }
  return { output: out.join('\n'), height: out.length };
}
