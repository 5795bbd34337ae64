// What the approval prompt shows, row by row, and the line the scrollback keeps afterwards.
// The command or the diff is shown whole: wrapped to the width, never cut, every invisible or
// reordering character written out (src/stream/reveal-invisible.ts), so that what is approved
// is what runs. When it is taller than the rows the prompt may take (the live region must stay
// shorter than the terminal) it is shown a page at a time, with where the page is.

import type { ApprovalDecision, ApprovalRequest } from '../agent/tools/approval.js';
import { hasInvisible, revealInvisible } from '../stream/reveal-invisible.js';
import { choicesFor, type BodyView, type Choice, type Choosing, type PromptState } from './approval-keys.js';
import { wrapRows } from './text-width.js';
import type { Paint, Theme } from './theme.js';
import { oneLine } from './tool-summary.js';

export interface PromptSize {
  columns: number;
  /** Rows the whole prompt may take. */
  maxRows: number;
  /** Requests waiting behind this one. */
  waiting?: number;
}

export interface PromptLayout {
  /** Every row of the prompt, each narrower than the terminal. */
  rows: string[];
  /** The body's size, for the paging keys. */
  body: BodyView;
}

/** Rows the reason being typed may take (its end is shown). */
const MAX_REASON_ROWS = 3;

export function promptLayout(request: ApprovalRequest, state: PromptState, theme: Theme, size: PromptSize): PromptLayout {
  const t = theme;
  const width = Math.max(10, size.columns - 1);
  const head = titleRows(request, t, width, size.waiting ?? 0);
  if (hasInvisible(request.summary) || hasInvisible(request.diff ?? '')) {
    head.push(...wrapRows(t.yellow('  ⚠ it holds invisible or control characters, shown as <U+…>'), width));
  }
  const foot = state.stage === 'reason' ? reasonRows(state.text, t, width) : choiceRows(request, state, t, width);
  const body = request.diff !== undefined ? diffRows(request.summary, request.diff, t, width) : commandRows(request, t, width);

  const room = size.maxRows - head.length - foot.length;
  if (body.length <= room) return { rows: [...head, ...body, ...foot], body: { total: body.length, page: body.length } };

  // A page of the body and a row (two, when narrow) that says where it is.
  const where = (from: number, to: number): string[] => wrapRows(t.dim(`  lines ${from}-${to} of ${body.length} · PgUp/PgDn scroll`), width);
  const page = Math.max(1, room - where(body.length, body.length).length);
  const top = Math.min(Math.max(0, state.top), body.length - page);
  return {
    rows: [...head, ...body.slice(top, top + page), ...where(top + 1, top + page), ...foot],
    body: { total: body.length, page },
  };
}

function titleRows(request: ApprovalRequest, t: Theme, width: number, waiting: number): string[] {
  const name = oneLine(request.call.name, 40);
  const queued = waiting > 0 ? t.dim(` · ${waiting} more waiting`) : '';
  if (request.kind === 'always-ask') {
    const why = oneLine(request.danger?.description ?? 'is on the list of dangerous commands');
    return wrapRows(t.red(`⚠ ${name}: this command ${why} — it always asks`) + queued, width);
  }
  const outside = request.outsideCwd ? ' (outside the working folder)' : '';
  return wrapRows(`${t.yellow('?')} ${t.bold(`allow ${name}`)}${outside}?${queued}`, width);
}

/** `text` in rows of `width`: the first starts with `first`, the others with `rest` (as wide). */
function indented(text: string, width: number, first: string, rest: string, paint: Paint = (s) => s): string[] {
  return wrapRows(text, width - first.length).map((row, i) => (i === 0 ? first : rest) + paint(row));
}

/** Where a row breaks in the middle of a word, the next one starts with this instead of a space:
 *  a break at a space and a break inside a long word look alike, and `rm -rf / tmp` is not
 *  `rm -rf /tmp`. */
export const JOINED = '↪';

/** A line of a command or a diff (plain text) in rows, as `indented` lays them out, but with
 *  every row that goes on inside a word marked. */
function exactRows(line: string, width: number, first: string, rest: string, paint: Paint = (s) => s): string[] {
  const text = line.replace(/\t/g, '    ');
  let at = 0;
  return wrapRows(text, width - first.length).map((row, i) => {
    let joined = false;
    if (i > 0) {
      // wrapRows drops the one space it breaks at
      if (text[at] === ' ' && text.startsWith(row, at + 1)) at += 1;
      else joined = true;
    }
    at += row.length;
    const prefix = i === 0 ? first : joined ? `${rest.slice(0, -2)}${JOINED} ` : rest;
    return prefix + paint(row);
  });
}

function revealedLines(text: string): string[] {
  const lines = revealInvisible(text).split('\n');
  while (lines.length > 1 && lines.at(-1)?.trim() === '') lines.pop();
  return lines;
}

function commandRows(request: ApprovalRequest, t: Theme, width: number): string[] {
  const paint = request.kind === 'always-ask' ? t.red : undefined;
  return revealedLines(request.summary).flatMap((line, i) => exactRows(line, width, i === 0 ? '  $ ' : '    ', '    ', paint));
}

/** The path, then the unified diff coloured by line kind (its own file header left out). */
function diffRows(summary: string, diff: string, t: Theme, width: number): string[] {
  const rows = indented(revealInvisible(summary).replace(/\s*\n\s*/g, ' '), width, '  ', '  ', t.bold);
  for (const line of revealedLines(diff)) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const paint = line.startsWith('@@') ? t.cyan : line.startsWith('+') ? t.green : line.startsWith('-') ? t.red : line.startsWith('\\') ? t.dim : undefined;
    rows.push(...exactRows(line, width, '  ', '   ', paint));
  }
  while (rows.length > 1 && rows.at(-1)?.trim() === '') rows.pop();
  return rows;
}

function choiceLabel(choice: Choice, name: string): string {
  if (choice === 'once') return 'once';
  if (choice === 'always') return `always for ${name} this session`;
  return 'deny';
}

const SHORTCUT: Record<Choice, string> = { once: 'y', always: 'a', deny: 'n' };

function choiceRows(request: ApprovalRequest, state: Choosing, t: Theme, width: number): string[] {
  const name = oneLine(request.call.name, 40);
  const rows = choicesFor(request.kind).flatMap((choice, i) => {
    const selected = i === state.selected;
    const label = `${t.bold(SHORTCUT[choice])} ${choiceLabel(choice, name)}`;
    return indented(selected ? t.cyan(label) : label, width, selected ? '❯ ' : '  ', '    ');
  });
  const legend = state.aside
    ? `${t.yellow('what you typed went to the input box; choose with ↑/↓ and enter')} ${t.dim('· esc interrupt')}`
    : t.dim('↑/↓ select · enter confirm · esc interrupt');
  return [...rows, ...indented(legend, width, '  ', '  ')];
}

function reasonRows(text: string, t: Theme, width: number): string[] {
  const field = `${t.bold('reason')} ${t.dim('(Enter sends, Esc skips)')}: ${revealInvisible(text)}${t.inverse(' ')}`;
  return indented(field, width, '  ', '  ').slice(-MAX_REASON_ROWS);
}

/** The lines the scrollback keeps once the person has answered: the whole command. */
export function decisionLines(request: ApprovalRequest, decision: ApprovalDecision, theme: Theme): string[] {
  const t = theme;
  const name = t.bold(oneLine(request.call.name, 40));
  const [first = '', ...more] = request.diff !== undefined ? [oneLine(request.summary)] : revealedLines(request.summary);
  const rest = more.map((line) => `    ${line}`);
  if (decision.decision === 'deny') {
    const reason = decision.reason?.trim() ? oneLine(decision.reason) : '';
    if (rest.length === 0) return [`${t.red('✗')} denied ${name} ${first}${reason ? `: ${reason}` : ''}`];
    return [`${t.red('✗')} denied ${name}:`, `    ${first}`, ...rest, ...(reason ? [`  reason: ${reason}`] : [])];
  }
  const always = decision.decision === 'always' ? ' for this session' : '';
  if (rest.length === 0) return [`${t.green('✓')} approved ${name}${always}: ${first}`];
  return [`${t.green('✓')} approved ${name}${always}:`, `    ${first}`, ...rest];
}
