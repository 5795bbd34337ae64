// What the keyboard does at the approval prompt. Only a deliberate choice decides: a select
// list (↑/↓ and Enter), with y / a / n as shortcuts when the key is pressed alone. Text is not
// an answer: a paste, or several characters arriving in one read (a word typed ahead, a
// terminal without bracketed paste), is handed back to the input box, and the prompt stays.
// Once something was typed aside, y / a / n and Enter are text or nothing until an arrow or
// page key shows that the person is looking at the prompt again ("hey" must not approve on
// its last letter, nor "hello⏎" on its Enter).
//
// Pure: the component feeds it what the terminal sent and carries out the actions.

import type { ApprovalDecision, ApprovalRequest } from '../agent/tools/approval.js';
import { decodeKeys, type EditorKey } from './keys.js';
import { normalizePastedText, type PasteSegment } from './paste.js';

export type Choice = 'once' | 'always' | 'deny';

/** `top`: the first body row shown; `aside`: text went to the input box since the last
 *  deliberate key. */
export interface Choosing {
  stage: 'choose';
  selected: number;
  top: number;
  aside: boolean;
}

interface Reasoning {
  stage: 'reason';
  text: string;
  top: number;
}

export type PromptState = Choosing | Reasoning;

export type PromptAction =
  | { kind: 'decide'; decision: ApprovalDecision }
  | { kind: 'interrupt' }
  /** Text for the input box. */
  | { kind: 'aside'; text: string };

export const CHOOSING: Choosing = { stage: 'choose', selected: 0, top: 0, aside: false };

/** What the body looks like now: how many rows it has and how many are shown at once. */
export interface BodyView {
  total: number;
  page: number;
}

const MAX_REASON = 500;

/** The choices offered, in order: a dangerous command is approved one call at a time. */
export function choicesFor(kind: ApprovalRequest['kind']): Choice[] {
  return kind === 'ask' ? ['once', 'always', 'deny'] : ['once', 'deny'];
}

const SHORTCUTS = new Map<string, Choice>([
  ['y', 'once'],
  ['a', 'always'],
  ['n', 'deny'],
]);

/**
 * One input segment at the prompt (a bracketed paste, or one input event's keys): the next
 * state and what to do, in order. At most one decision or interrupt, and it comes last.
 */
export function promptInput(
  state: PromptState,
  segment: PasteSegment,
  kind: ApprovalRequest['kind'],
  body: BodyView,
): { state: PromptState; actions: PromptAction[] } {
  if (segment.kind === 'paste') {
    const text = normalizePastedText(segment.text);
    if (state.stage === 'reason') return { state: { ...state, text: addToReason(state.text, text) }, actions: [] };
    return text === '' ? { state, actions: [] } : { state: { ...state, aside: true }, actions: [{ kind: 'aside', text }] };
  }
  const keys = decodeKeys(segment.data);
  const alone = keys.length === 1;
  const actions: PromptAction[] = [];
  let next = state;
  for (const key of keys) {
    const out = promptKey(next, key, kind, body, alone);
    next = out.state;
    if (!out.action) continue;
    // Text typed aside in a row is one piece for the input box.
    const last = actions.at(-1);
    if (out.action.kind === 'aside' && last?.kind === 'aside') last.text += out.action.text;
    else actions.push(out.action);
    if (out.action.kind !== 'aside') break;
  }
  return { state: next, actions };
}

/** One key. `alone`: nothing else came in the same read. */
export function promptKey(
  state: PromptState,
  key: EditorKey,
  kind: ApprovalRequest['kind'],
  body: BodyView,
  alone = true,
): { state: PromptState; action?: PromptAction } {
  // Ctrl+C always interrupts, whatever stage; Esc interrupts while choosing and skips the reason.
  if (key.kind === 'ctrl' && key.name === 'c') return { state, action: { kind: 'interrupt' } };
  const scrolled = scroll(state.top, key, body);
  if (scrolled !== undefined) {
    return { state: state.stage === 'choose' ? { ...state, top: scrolled, aside: false } : { ...state, top: scrolled } };
  }
  return state.stage === 'choose' ? chooseKey(state, key, kind, alone) : reasonKey(state, key);
}

/** The new first row for a paging key, or undefined for any other key. */
function scroll(top: number, key: EditorKey, body: BodyView): number | undefined {
  const last = Math.max(0, body.total - body.page);
  const page = Math.max(1, body.page);
  const clamp = (row: number): number => Math.min(last, Math.max(0, row));
  switch (key.kind) {
    case 'pageDown':
      return clamp(top + page);
    case 'pageUp':
      return clamp(top - page);
    case 'home':
      return 0;
    case 'end':
      return last;
    default:
      return undefined;
  }
}

function chooseKey(state: Choosing, key: EditorKey, kind: ApprovalRequest['kind'], alone: boolean): { state: PromptState; action?: PromptAction } {
  const choices = choicesFor(kind);
  switch (key.kind) {
    case 'escape':
      return { state, action: { kind: 'interrupt' } };
    case 'up':
      return { state: { ...state, selected: Math.max(0, state.selected - 1), aside: false } };
    case 'down':
      return { state: { ...state, selected: Math.min(choices.length - 1, state.selected + 1), aside: false } };
    case 'enter': {
      if (!alone || state.aside) return { state };
      return choose(state, choices[state.selected] ?? 'deny');
    }
    case 'text': {
      const shortcut = SHORTCUTS.get(key.text.toLowerCase());
      if (alone && !state.aside && shortcut && choices.includes(shortcut)) return choose(state, shortcut);
      return { state: { ...state, aside: true }, action: { kind: 'aside', text: key.text } };
    }
    case 'paste': {
      const text = normalizePastedText(key.text);
      return text === '' ? { state } : { state: { ...state, aside: true }, action: { kind: 'aside', text } };
    }
    default:
      return { state };
  }
}

function choose(state: Choosing, choice: Choice): { state: PromptState; action?: PromptAction } {
  if (choice === 'deny') return { state: { stage: 'reason', text: '', top: state.top } };
  return { state, action: { kind: 'decide', decision: { decision: choice } } };
}

function reasonKey(state: Reasoning, key: EditorKey): { state: PromptState; action?: PromptAction } {
  switch (key.kind) {
    case 'escape':
      return { state, action: { kind: 'decide', decision: { decision: 'deny' } } };
    case 'enter': {
      const reason = state.text.trim();
      return { state, action: { kind: 'decide', decision: reason === '' ? { decision: 'deny' } : { decision: 'deny', reason } } };
    }
    case 'text':
    case 'paste':
      return { state: { ...state, text: addToReason(state.text, key.text) } };
    case 'backspace':
      return { state: { ...state, text: Array.from(state.text).slice(0, -1).join('') } };
    case 'deleteWordBack':
      return { state: { ...state, text: state.text.replace(/\S*\s*$/, '') } };
    case 'ctrl':
      return key.name === 'u' ? { state: { ...state, text: '' } } : { state };
    default:
      return { state };
  }
}

function addToReason(reason: string, text: string): string {
  return Array.from(reason + text.replace(/\s+/g, ' '))
    .slice(0, MAX_REASON)
    .join('');
}
