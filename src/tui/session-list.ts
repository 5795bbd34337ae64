// /sessions: one line per stored conversation (listing.ts), most recently used first.

import { localTime, messages, sessionRows, type SessionRowOptions } from '../agent/session/listing.js';
import type { ResumedInfo } from '../agent/session/open.js';
import type { SessionSummary } from '../agent/session/store.js';
import { shortPath } from './format.js';
import { oneLine } from './tool-summary.js';

const SESSION_LIST_TITLE = 'recent sessions, last used first (/resume ID continues one):';

export function sessionListLines(sessions: readonly SessionSummary[], options: SessionRowOptions = {}): string[] {
  if (sessions.length === 0) return ['no stored sessions yet'];
  return [SESSION_LIST_TITLE, ...sessionRows(sessions, options).map((row) => `  ${row}`)];
}

/** "resumed session k3j9x0ab · 2026-11-23 19:45 · ~/project · 6 messages" (/resume, -c, --resume). */
export function resumedTitle(info: ResumedInfo, home?: string): string {
  const folder = info.cwd === '' ? '' : ` · ${oneLine(shortPath(info.cwd, home), 60)}`;
  return `resumed session ${info.id} · ${localTime(info.startedAt)}${folder} · ${messages(info.messageCount)}`;
}
