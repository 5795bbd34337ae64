// Markdown tables: the renderer collects a table's rows until it ends, then they are laid out
// here, columns aligned.

import { renderInline } from './markdown-inline.js';
import { FRAME_INDENT } from './markdown-code.js';
import { displayWidth } from './text-width.js';
import type { Theme } from './theme.js';

export const TABLE_ROW = /^[ \t]*\|.*$/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

type Align = 'left' | 'right' | 'center';

/** The rows of a finished table as they are shown, or undefined when the rows are no table
 *  (pipes that do not make one are ordinary lines). */
export function layoutTable(rows: readonly string[], t: Theme): string[] | undefined {
  const [head, delimiter, ...body] = rows;
  if (head === undefined || delimiter === undefined || !TABLE_DELIMITER.test(delimiter)) return undefined;
  const aligns: Align[] = splitCells(delimiter).map((cell) => {
    const c = cell.trim();
    if (c.startsWith(':') && c.endsWith(':')) return 'center';
    if (c.endsWith(':')) return 'right';
    return 'left';
  });
  const columns = aligns.length;
  const render = (row: string): string[] => {
    const cells = splitCells(row).map((cell) => (t.color ? renderInline(cell.trim(), t) : cell.trim()));
    while (cells.length < columns) cells.push('');
    return cells.slice(0, columns);
  };
  const header = render(head);
  const lines = body.map(render);
  const widths = aligns.map((_, i) => Math.max(1, ...[header, ...lines].map((cells) => displayWidth(cells[i] ?? ''))));
  const pad = (cell: string, i: number): string => {
    const gap = (widths[i] ?? 0) - displayWidth(cell);
    const align = aligns[i] ?? 'left';
    if (align === 'right') return ' '.repeat(gap) + cell;
    if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + cell + ' '.repeat(Math.ceil(gap / 2));
    return cell + ' '.repeat(gap);
  };
  const bar = t.dim('│');
  const format = (cells: string[], style: (s: string) => string = (s) => s): string =>
    `${FRAME_INDENT}${cells.map((cell, i) => style(pad(cell, i))).join(` ${bar} `)}`.trimEnd();
  const rule = `${FRAME_INDENT}${t.dim(widths.map((w) => '─'.repeat(w)).join('─┼─'))}`;
  return [format(header, t.bold), rule, ...lines.map((cells) => format(cells))];
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
