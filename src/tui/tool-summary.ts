// One line per tool call: what it acts on while it runs, and a short result once it is done.
// Arguments and results are model- or tool-produced text: folded, cut short, and every
// invisible or reordering character in them written out as <U+XXXX>, so that the line shows
// what the call acts on (a bidi override in a path cannot turn it around on screen). In
// arguments controls are written out too; in results (coloured output) they are dropped.

import { revealInvisible } from '../stream/reveal-invisible.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';
import { displayWidth } from './text-width.js';

const ARG_KEYS = ['path', 'file_path', 'filePath', 'file', 'filename', 'command', 'cmd', 'query', 'pattern', 'url', 'name', 'text'];

/** Folds text to one safe line of at most `max` columns (no limit by default): escape
 *  sequences and controls dropped, invisible characters written out. */
export function oneLine(text: string, max = Infinity): string {
  return fold(revealInvisible(sanitizeForTerminal(text)), max);
}

/** A tool's argument on one line: controls are written out too, not dropped (an argument
 *  holding ESC or CR is shown as it is). */
function revealedLine(text: string, max: number): string {
  return fold(revealInvisible(text), max);
}

function fold(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (displayWidth(line) <= max) return line;
  // keep the start: a path or command reads from the left
  let out = '';
  let width = 0;
  for (const ch of line) {
    const w = displayWidth(ch);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

/** The argument worth showing: a path, a command, a query… or the JSON itself, shortened. */
export function describeArguments(json: string, max = 60): string {
  let value: unknown;
  try {
    value = json.trim() === '' ? {} : JSON.parse(json);
  } catch {
    return revealedLine(json, max);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return revealedLine(JSON.stringify(value), max);
  const record = value as Record<string, unknown>;
  for (const key of ARG_KEYS) {
    const v = record[key];
    if (typeof v === 'string' && v.trim() !== '') return revealedLine(v, max);
  }
  const first = Object.values(record).find((v) => typeof v === 'string' && v.trim() !== '');
  if (typeof first === 'string') return revealedLine(first, max);
  const keys = Object.keys(record);
  return keys.length === 0 ? '' : revealedLine(JSON.stringify(record), max);
}

/** A short result: the error's first line, or how much came back. */
export function describeResult(content: string, isError: boolean, max = 60): string {
  const lines = content.split('\n').filter((line) => line.trim() !== '');
  if (isError) return oneLine(lines[0] ?? 'failed', max);
  if (lines.length === 0) return 'done';
  if (lines.length === 1) return oneLine(lines[0] ?? '', max);
  return `${lines.length} lines`;
}

export type ToolOutcome = 'done' | 'failed' | 'interrupted';

/** The scrollback line of a finished call: mark, name, what it acted on, and the result. */
export function toolLine(
  theme: { bold(s: string): string; dim(s: string): string; green(s: string): string; red(s: string): string; yellow(s: string): string },
  name: string,
  args: string | undefined,
  outcome: ToolOutcome,
  summary: string,
): string {
  const t = theme;
  const mark = outcome === 'done' ? t.green('✓') : outcome === 'failed' ? t.red('✗') : t.yellow('⏹');
  return `${mark} ${t.bold(name)}${args ? ` ${args}` : ''} ${t.dim(`— ${summary}`)}`;
}
