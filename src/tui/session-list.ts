// /sessions: one line per stored conversation — id, start time, folder, message count and the
// first prompt — newest first. The first prompt and the folder are user data: sanitised.

import type { SessionSummary } from '../agent/session/store.js';
import { shortPath } from './format.js';
import { oneLine } from './tool-summary.js';

export interface SessionListOptions {
  home?: string;
  /** The session this chat is writing to, marked in the list. */
  currentId?: string;
}

/** "2026-11-23 19:45" in local time. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 16).replace('T', ' ');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function sessionListLines(sessions: readonly SessionSummary[], options: SessionListOptions = {}): string[] {
  if (sessions.length === 0) return ['no stored sessions yet'];
  const folders = sessions.map((s) => oneLine(shortPath(s.cwd, options.home), 40));
  const folderWidth = Math.max(...folders.map((f) => f.length));
  const rows = sessions.map((s, i) => {
    const count = s.messageCount === 1 ? '1 message' : `${s.messageCount} messages`;
    const mark = s.id === options.currentId ? ' (this chat)' : '';
    const prompt = s.firstPrompt === '' ? '(no prompt)' : s.firstPrompt;
    return `  ${s.id}  ${localTime(s.startedAt)}  ${(folders[i] ?? '').padEnd(folderWidth)}  ${count.padStart(12)}  ${oneLine(prompt, 60)}${mark}`;
  });
  return ['recent sessions (/resume ID continues one):', ...rows];
}
