// Stored sessions as lines for a terminal: id, when last used, folder, message count, first
// prompt. Shared by /sessions, the --resume picker and `hermes --resume` without a terminal.
// The folder and the prompt are user data: sanitised (the prompt already is, by the store).

import { sanitizeForTerminal } from '../../stream/sanitize.js';
import type { SessionSummary } from './store.js';

export interface SessionRowOptions {
  /** The user's home folder, shown as ~. */
  home?: string;
  /** The session this chat is writing to, marked in the list. */
  currentId?: string;
}

const FOLDER_WIDTH = 40;
const PROMPT_WIDTH = 60;

/** "2026-11-23 19:45" in local time. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 16).replace('T', ' ');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** One row per session, columns aligned, in the order given (the store's: last used first). */
export function sessionRows(sessions: readonly SessionSummary[], options: SessionRowOptions = {}): string[] {
  const folders = sessions.map((s) => cut(folderOf(s.cwd, options.home), FOLDER_WIDTH));
  const folderWidth = Math.max(0, ...folders.map((f) => [...f].length));
  return sessions.map((s, i) => {
    const count = messages(s.messageCount);
    const mark = s.id === options.currentId ? ' (this chat)' : '';
    const prompt = s.firstPrompt === '' ? '(no prompt)' : cut(s.firstPrompt, PROMPT_WIDTH);
    const folder = folders[i] ?? '';
    return `${s.id}  ${localTime(s.updatedAt)}  ${folder}${' '.repeat(folderWidth - [...folder].length)}  ${count.padStart(12)}  ${prompt}${mark}`;
  });
}

function folderOf(cwd: string, home: string | undefined): string {
  if (cwd === '') return '(unknown folder)';
  const short = home && home !== '/' && (cwd === home || cwd.startsWith(`${home}/`)) ? `~${cwd.slice(home.length)}` : cwd;
  return sanitizeForTerminal(short).replace(/\s+/g, ' ');
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** "resumed session k3j9x0ab (6 messages)". */
export function resumedLine(info: { id: string; messageCount: number }): string {
  return `resumed session ${info.id} (${messages(info.messageCount)})`;
}

/** "1 message", "6 messages". */
export function messages(count: number): string {
  return count === 1 ? '1 message' : `${count} messages`;
}

/** Said when a front end is done with a stored session: how to come back to it. */
export function continueLine(id: string): string {
  return `session ${id} · continue it with: hermes --resume ${id}`;
}
