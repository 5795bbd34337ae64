// Markdown tables: the renderer collects a table's rows until it ends, then they are laid out
// here, columns aligned.

import { renderInline } from './markdown-inline.js';
import { FRAME_INDENT } from './markdown-code.js';
import { displayWidth, fitRows } from './text-width.js';
import type { Theme } from './theme.js';

export const TABLE_ROW = /^[ \t]*\|.*$/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

type Align = 'left' | 'right' | 'center';

/** Narrower than this (or than its widest cell), a column makes for cells too broken to read:
 *  the table is shown one `key: value` block per row instead. */
const MIN_COLUMN = 6;
const SEPARATOR = 3; // ' │ '

/** The rows of a finished table as they are shown, at most `columns` wide, or undefined when
 *  the rows are no table (pipes that do not make one are ordinary lines). */
export function layoutTable(rows: readonly string[], t: Theme, columns: number): string[] | undefined {
  const [head, delimiter, ...body] = rows;
  if (head === undefined || delimiter === undefined || !TABLE_DELIMITER.test(delimiter)) return undefined;
  const aligns: Align[] = splitCells(delimiter).map((cell) => {
    const c = cell.trim();
    if (c.startsWith(':') && c.endsWith(':')) return 'center';
    if (c.endsWith(':')) return 'right';
    return 'left';
  });
  const render = (row: string): string[] => {
    const cells = splitCells(row).map((cell) => (t.color ? renderInline(cell.trim(), t) : cell.trim()));
    while (cells.length < aligns.length) cells.push('');
    return cells.slice(0, aligns.length);
  };
  const header = render(head);
  const lines = body.map(render);
  const natural = aligns.map((_, i) => Math.max(1, ...[header, ...lines].map((cells) => displayWidth(cells[i] ?? ''))));
  const room = columns - FRAME_INDENT.length - SEPARATOR * (aligns.length - 1);
  const widths = fitWidths(natural, room);
  if (widths === undefined) return records(header, lines, t, columns);
  return grid(header, lines, aligns, widths, t);
}

/** Column widths that add up to at most `room`: the widest columns give way first, none below
 *  MIN_COLUMN (or its widest cell); undefined when even that is too wide. */
function fitWidths(natural: readonly number[], room: number): number[] | undefined {
  const widths = [...natural];
  let total = widths.reduce((sum, w) => sum + w, 0);
  if (total <= room) return widths;
  const floor = natural.map((w) => Math.min(w, MIN_COLUMN));
  if (floor.reduce((sum, w) => sum + w, 0) > room) return undefined;
  while (total > room) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if ((widths[i] ?? 0) >= (widths[widest] ?? 0)) widest = i;
    widths[widest] = (widths[widest] ?? 1) - 1;
    total--;
  }
  return widths;
}

/** The table as columns; a cell wider than its column wraps inside it. When a row takes more
 *  than one line, rows are ruled apart so that each reads as one. */
function grid(header: string[], lines: string[][], aligns: readonly Align[], widths: readonly number[], t: Theme): string[] {
  const pad = (cell: string, i: number): string => {
    const gap = (widths[i] ?? 0) - displayWidth(cell);
    const align = aligns[i] ?? 'left';
    if (align === 'right') return ' '.repeat(gap) + cell;
    if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + cell + ' '.repeat(Math.ceil(gap / 2));
    return cell + ' '.repeat(gap);
  };
  const bar = t.dim('│');
  const last = widths.length - 1;
  const format = (cells: string[], style: (s: string) => string = (s) => s): string[] => {
    const wrapped = cells.map((cell, i) => fitRows(cell, widths[i] ?? 1));
    const height = Math.max(...wrapped.map((rows) => rows.length));
    return Array.from({ length: height }, (_, r) =>
      // the last column unpadded: no trailing spaces (inside a style, trimEnd would miss them)
      `${FRAME_INDENT}${wrapped.map((rows, i) => style(i === last ? pad(rows[r] ?? '', i).trimEnd() : pad(rows[r] ?? '', i))).join(` ${bar} `)}`.trimEnd(),
    );
  };
  const rule = `${FRAME_INDENT}${t.dim(widths.map((w) => '─'.repeat(w)).join('─┼─'))}`;
  const rows = lines.map((cells) => format(cells));
  const ruled = rows.some((row) => row.length > 1);
  return [...format(header, t.bold), rule, ...rows.flatMap((row, i) => (ruled && i > 0 ? [rule, ...row] : row))];
}

/** The table as one block per row, a `key: value` line per cell, for when its columns cannot
 *  fit the width. The value's rows start under its first one. */
function records(header: string[], lines: string[][], t: Theme, columns: number): string[] {
  const out: string[] = [];
  for (const cells of lines.length > 0 ? lines : [header.map(() => '')]) {
    if (out.length > 0) out.push('');
    cells.forEach((cell, i) => {
      const key = `${FRAME_INDENT}${t.bold(header[i] ?? '')}:`;
      const indent = displayWidth(key) + 1;
      if (indent > columns / 2) {
        // a long key: the value goes under it
        const pad = FRAME_INDENT.repeat(2);
        out.push(key, ...fitRows(cell, columns - pad.length).map((row) => pad + row));
        return;
      }
      const pad = ' '.repeat(indent);
      out.push(...fitRows(cell, columns - indent).map((row, r) => (r === 0 ? `${key} ${row}`.trimEnd() : pad + row)));
    });
  }
  return out;
}


/** Cells of a table row: outer pipes dropped, `\|` kept as a literal pipe. */
function splitCells(row: string): string[] {
  let text = row.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}
