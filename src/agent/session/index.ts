// Conversations stored as append-only JSON-lines files in <home>/sessions (see store.ts).

export { FIRST_PROMPT_LENGTH, SessionStore, sessionsDir } from './store.js';
export type { LoadedSession, NewSessionOptions, ResumedSession, SessionSummary } from './store.js';
export { Session } from './session.js';
export type { SessionWriteOptions } from './session.js';
export { SessionError } from './read.js';
export { SESSION_VERSION } from './records.js';
export type { MessageRecord, MetaRecord, SessionHeader, SessionRecord } from './records.js';
export { repairToolResults, TOOL_NOT_FINISHED } from './repair.js';
