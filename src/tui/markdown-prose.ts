// Markdown blocks outside code and tables, one source line at a time: headings, quotes, list
// items, rules and paragraphs. A list item or a quote that is wider than the terminal is
// wrapped here, with a hanging indent (rows after the first start under the item's text; a
// quote's bar is repeated), since the terminal would start them at column 0. Paragraphs and
// headings are left whole: wrapping them at the width later gives the same rows.

import { renderInline } from './markdown-inline.js';
import { displayWidth, fitRows } from './text-width.js';
import type { Theme } from './theme.js';

const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const BULLET = /^([ \t]*)([-*+])[ \t]+(.*)$/;
const ORDERED = /^([ \t]*)(\d{1,9})([.)])[ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;
const MAX_RULE = 80;

/** One line of prose as rows; `columns`: the widest a row may be. */
export function proseRows(line: string, t: Theme, columns: number): string[] {
  if (line.trim() === '') return [''];
  // the width of the row, never the terminal's: a rule that fills the last column spills
  if (RULE.test(line)) return [t.dim('─'.repeat(Math.max(3, Math.min(columns, MAX_RULE))))];

  const quote = QUOTE.exec(line);
  if (quote) {
    const inner = quote[1] ?? '';
    const bar = t.color ? `${t.dim('│')} ` : line.slice(0, line.length - inner.length);
    const width = displayWidth(bar);
    const rows = proseRows(inner, t, columns - width).flatMap((row) => fitRows(row, columns - width));
    return rows.map((row) => bar + (t.color ? t.italic(row) : row));
  }
  if (!t.color) {
    const item = BULLET.exec(line)?.[3] ?? ORDERED.exec(line)?.[4];
    return item === undefined ? [line] : hanging(line.slice(0, line.length - item.length), item, columns);
  }

  const heading = HEADING.exec(line);
  if (heading) {
    const level = heading[1]?.length ?? 1;
    const text = renderInline(heading[2] ?? '', t);
    if (level === 1) return [t.bold(t.underline(t.magenta(text)))];
    if (level === 2) return [t.bold(t.magenta(text))];
    return [t.bold(text)];
  }
  const bullet = BULLET.exec(line);
  if (bullet) {
    const indent = bullet[1] ?? '';
    const item = bullet[3] ?? '';
    const task = TASK.exec(item);
    // a task's box is its bullet
    if (task) return hanging(`${indent}${task[1] === ' ' ? '☐' : t.green('☑')} `, renderInline(task[2] ?? '', t), columns);
    const mark = indent.length >= 2 ? '◦' : '•';
    return hanging(`${indent}${t.cyan(mark)} `, renderInline(item, t), columns);
  }
  const ordered = ORDERED.exec(line);
  if (ordered) return hanging(`${ordered[1] ?? ''}${t.cyan(`${ordered[2] ?? ''}${ordered[3] ?? '.'}`)} `, renderInline(ordered[4] ?? '', t), columns);
  return [renderInline(line, t)];
}

/** `marker` then `text`, the rows after the first indented to start under the text. */
function hanging(marker: string, text: string, columns: number): string[] {
  const indent = displayWidth(marker);
  // too deep a list to indent under: the rows wrap at the terminal's edge instead
  if (indent > columns / 2) return [marker + text];
  const pad = ' '.repeat(indent);
  return fitRows(text, columns - indent).map((row, i) => (i === 0 ? marker : pad) + row);
}

