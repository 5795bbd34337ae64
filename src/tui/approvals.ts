// Approval requests on their way from the tool layer to the person at the keyboard. The
// ApprovingToolRegistry calls `ask` (through ApprovalPolicy.ask) and waits; the prompt shows
// the first request, answers it, and the next one (if any) takes its place. An interrupt
// settles every pending request at once: the registry has already turned the call into an
// "interrupted" result by then, so the answer given here is never used.
//
// The key handling and the layout are pure functions, so they are tested without React.

import type { ApprovalDecision, ApprovalRequest } from '../agent/tools/approval.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';
import type { EditorKey } from './keys.js';
import type { Theme } from './theme.js';
import { oneLine } from './tool-summary.js';

interface Pending {
  request: ApprovalRequest;
  resolve: (decision: ApprovalDecision) => void;
}

export class ApprovalQueue {
  readonly #pending: Pending[] = [];
  readonly #listeners = new Set<() => void>();

  /** Pass as ApprovalPolicy.ask. Resolves when the person answers (or the run is interrupted). */
  readonly ask = (request: ApprovalRequest): Promise<ApprovalDecision> =>
    new Promise<ApprovalDecision>((resolve) => {
      this.#pending.push({ request, resolve });
      this.#notify();
    });

  /** The request the prompt shows, or undefined. */
  get current(): ApprovalRequest | undefined {
    return this.#pending[0]?.request;
  }

  /** Requests waiting behind the current one. */
  get waiting(): number {
    return Math.max(0, this.#pending.length - 1);
  }

  /** Answers `request` if it is still the one shown (a key read twice must not answer the next). */
  answer(request: ApprovalRequest, decision: ApprovalDecision): boolean {
    const first = this.#pending[0];
    if (!first || first.request !== request) return false;
    this.#pending.shift();
    first.resolve(decision);
    this.#notify();
    return true;
  }

  /** Settles every pending request (after an interrupt has aborted the run that asked). */
  cancelAll(): void {
    if (this.#pending.length === 0) return;
    for (const pending of this.#pending.splice(0)) pending.resolve({ decision: 'deny', reason: 'interrupted' });
    this.#notify();
  }

  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

// ---- keys --------------------------------------------------------------------------------

/** Choosing y / a / n, or typing the reason for a denial. */
export type PromptState = { stage: 'choose' } | { stage: 'reason'; text: string };

export type PromptAction = { kind: 'decide'; decision: ApprovalDecision } | { kind: 'interrupt' };

export const CHOOSING: PromptState = { stage: 'choose' };

const MAX_REASON = 500;

/** One key at the prompt: the next state, and what to do (answer, interrupt) if anything. */
export function promptKey(state: PromptState, key: EditorKey, request: Pick<ApprovalRequest, 'kind'>): { state: PromptState; action?: PromptAction } {
  // Ctrl+C always interrupts, whatever stage; Esc interrupts while choosing and skips the reason.
  if (key.kind === 'ctrl' && key.name === 'c') return { state, action: { kind: 'interrupt' } };

  if (state.stage === 'choose') {
    if (key.kind === 'escape') return { state, action: { kind: 'interrupt' } };
    if (key.kind !== 'text') return { state };
    // Only one key counts; typing ahead ("yes") must not answer the next question too.
    const choice = key.text.trim().toLowerCase()[0];
    if (choice === 'y') return { state, action: { kind: 'decide', decision: { decision: 'once' } } };
    if (choice === 'a' && request.kind === 'ask') return { state, action: { kind: 'decide', decision: { decision: 'always' } } };
    if (choice === 'n') return { state: { stage: 'reason', text: '' } };
    return { state };
  }

  switch (key.kind) {
    case 'escape':
      return { state, action: { kind: 'decide', decision: { decision: 'deny' } } };
    case 'enter': {
      const reason = state.text.trim();
      return { state, action: { kind: 'decide', decision: reason === '' ? { decision: 'deny' } : { decision: 'deny', reason } } };
    }
    case 'text':
    case 'paste': {
      const text = (state.text + key.text.replace(/\s+/g, ' ')).slice(0, MAX_REASON);
      return { state: { stage: 'reason', text } };
    }
    case 'backspace':
      return { state: { stage: 'reason', text: Array.from(state.text).slice(0, -1).join('') } };
    case 'deleteWordBack':
      return { state: { stage: 'reason', text: state.text.replace(/\S*\s*$/, '') } };
    case 'ctrl':
      if (key.name === 'u') return { state: { stage: 'reason', text: '' } };
      return { state };
    default:
      return { state };
  }
}

// ---- what is shown -------------------------------------------------------------------------

export interface PromptLayout {
  /** What is asked, on one row (red for an always-ask call). */
  title: string;
  /** The command or the change, one entry per row, already capped. */
  body: string[];
  /** The keys (or the reason being typed). */
  footer: string;
}

const SUMMARY_COLUMNS = 100;

/** Rows of the prompt around the body: title and footer. */
export const PROMPT_CHROME_ROWS = 2;

/**
 * The prompt for `request`, its body in at most `maxBodyRows` rows (a longer diff or command
 * ends with a note of how many lines are hidden). Everything from the model is sanitised.
 */
export function promptLayout(request: ApprovalRequest, state: PromptState, theme: Theme, maxBodyRows: number, waiting = 0): PromptLayout {
  const t = theme;
  const name = oneLine(request.call.name, 40);
  const dangerous = request.kind === 'always-ask';
  const outside = request.outsideCwd ? ' (outside the working folder)' : '';
  const queued = waiting > 0 ? t.dim(` · ${waiting} more waiting`) : '';
  const title = dangerous
    ? t.red(`⚠ ${name}: this command ${oneLine(request.danger?.description ?? 'is on the list of dangerous commands', 80)} — it always asks`) + queued
    : `${t.yellow('?')} ${t.bold(`allow ${name}`)}${outside}?${queued}`;

  const rows = Math.max(1, maxBodyRows);
  let body: string[];
  if (request.diff !== undefined) {
    body = capRows([t.bold(`  ${oneLine(request.summary, SUMMARY_COLUMNS)}`), ...diffRows(request.diff, t)], rows, t);
  } else {
    const lines = commandLines(request.summary);
    const paint = dangerous ? t.red : (s: string) => s;
    body = capRows(lines.map((line, i) => paint(`  ${i === 0 ? '$ ' : '  '}${line}`)), rows, t);
  }

  let footer: string;
  if (state.stage === 'reason') {
    footer = `  ${t.bold('reason')} ${t.dim('(Enter sends, Esc skips)')}: ${sanitizeForTerminal(state.text)}${t.inverse(' ')}`;
  } else {
    const keys = [`${t.bold('y')} once`];
    if (!dangerous) keys.push(`${t.bold('a')} always for ${name} this session`);
    keys.push(`${t.bold('n')} deny`, `${t.bold('esc')} interrupt`);
    footer = `  ${keys.join(t.dim(' · '))}`;
  }
  return { title, body, footer };
}

/** A command's lines, tabs expanded, controls removed. */
function commandLines(command: string): string[] {
  const lines = sanitizeForTerminal(command).replace(/\t/g, '    ').split('\n');
  while (lines.length > 1 && lines.at(-1)?.trim() === '') lines.pop();
  return lines;
}

/** A unified diff coloured by line kind; the file header lines are left out (the path is shown). */
function diffRows(diff: string, t: Theme): string[] {
  const rows: string[] = [];
  for (const raw of sanitizeForTerminal(diff).replace(/\t/g, '    ').split('\n')) {
    if (raw.startsWith('--- ') || raw.startsWith('+++ ')) continue;
    if (raw.startsWith('@@')) rows.push(t.cyan(`  ${raw}`));
    else if (raw.startsWith('+')) rows.push(t.green(`  ${raw}`));
    else if (raw.startsWith('-')) rows.push(t.red(`  ${raw}`));
    else if (raw.startsWith('\\')) rows.push(t.dim(`  ${raw}`));
    else rows.push(`  ${raw}`);
  }
  while (rows.length > 0 && rows.at(-1)?.trim() === '') rows.pop();
  return rows;
}

function capRows(rows: string[], max: number, t: Theme): string[] {
  if (rows.length <= max) return rows;
  const shown = Math.max(0, max - 1);
  const hidden = rows.length - shown;
  return [...rows.slice(0, shown), t.dim(`  … ${hidden} more ${hidden === 1 ? 'line' : 'lines'} not shown`)];
}

/** The line the scrollback keeps once the person has answered. */
export function decisionLine(request: ApprovalRequest, decision: ApprovalDecision, theme: Theme): string {
  const t = theme;
  const name = oneLine(request.call.name, 40);
  const summary = oneLine(request.summary, SUMMARY_COLUMNS);
  if (decision.decision === 'deny') {
    const reason = decision.reason?.trim() ? `: ${oneLine(decision.reason, SUMMARY_COLUMNS)}` : '';
    return `${t.red('✗')} denied ${t.bold(name)} ${summary}${reason}`;
  }
  const always = decision.decision === 'always' ? ' for this session' : '';
  return `${t.green('✓')} approved ${t.bold(name)}${always}: ${summary}`;
}
