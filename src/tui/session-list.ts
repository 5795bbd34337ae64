// /sessions: one line per stored conversation (listing.ts), most recently used first.

import { sessionRows, type SessionRowOptions } from '../agent/session/listing.js';
import type { SessionSummary } from '../agent/session/store.js';

export { localTime } from '../agent/session/listing.js';
export type SessionListOptions = SessionRowOptions;

export const SESSION_LIST_TITLE = 'recent sessions, last used first (/resume ID continues one):';

export function sessionListLines(sessions: readonly SessionSummary[], options: SessionListOptions = {}): string[] {
  if (sessions.length === 0) return ['no stored sessions yet'];
  return [SESSION_LIST_TITLE, ...sessionRows(sessions, options).map((row) => `  ${row}`)];
}
