// Markdown blocks outside code and tables, one source line at a time: headings, quotes, list
// items, rules and paragraphs.

import { renderInline } from './markdown-inline.js';
import type { Theme } from './theme.js';

const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const BULLET = /^([ \t]*)([-*+])[ \t]+(.*)$/;
const ORDERED = /^([ \t]*)(\d{1,9})([.)])[ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;

/** One line of prose as it is shown; `width`: the terminal's columns. */
export function proseRows(line: string, t: Theme, width: number): string[] {
  return [prose(line, t, width)];
}

function prose(line: string, t: Theme, width: number): string {
  if (line.trim() === '') return '';
  if (RULE.test(line)) return t.dim('─'.repeat(Math.max(3, Math.min(width, 80))));
  if (!t.color) return line;

  const heading = HEADING.exec(line);
  if (heading) {
    const level = heading[1]?.length ?? 1;
    const text = renderInline(heading[2] ?? '', t);
    if (level === 1) return t.bold(t.underline(t.magenta(text)));
    if (level === 2) return t.bold(t.magenta(text));
    return t.bold(text);
  }
  const quote = QUOTE.exec(line);
  if (quote) return `${t.dim('│')} ${t.italic(prose(quote[1] ?? '', t, width))}`;

  const bullet = BULLET.exec(line);
  if (bullet) {
    const indent = bullet[1] ?? '';
    const item = bullet[3] ?? '';
    // a task's box is its bullet
    if (TASK.test(item)) return `${indent}${listItem(item, t)}`;
    const mark = indent.length >= 2 ? '◦' : '•';
    return `${indent}${t.cyan(mark)} ${listItem(item, t)}`;
  }
  const ordered = ORDERED.exec(line);
  if (ordered) {
    return `${ordered[1] ?? ''}${t.cyan(`${ordered[2] ?? ''}${ordered[3] ?? '.'}`)} ${listItem(ordered[4] ?? '', t)}`;
  }
  return renderInline(line, t);
}

function listItem(text: string, t: Theme): string {
  const task = TASK.exec(text);
  if (task) return `${task[1] === ' ' ? '☐' : t.green('☑')} ${renderInline(task[2] ?? '', t)}`;
  return renderInline(text, t);
}
