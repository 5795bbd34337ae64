// What a council tells a front end: one stream of events from the core, the same for the
// one-shot output (stream-json prints exactly these), the TUI and any later front door.

import type { ErrorKind, Usage } from '../types.js';

export type CouncilStatus = 'complete' | 'partial' | 'failed' | 'interrupted';

export interface CouncilFailure {
  kind: ErrorKind;
  message: string;
  status?: number;
}

export interface MemberResult {
  name: string;
  /** answered: its whole answer arrived; failed: an error (text holds what had arrived); interrupted. */
  state: 'answered' | 'failed' | 'interrupted';
  text: string;
  usage: Usage;
  ms: number;
  error?: CouncilFailure;
}

export interface ReviewResult {
  reviewer: string;
  /** Member names, best first, de-anonymised from the parsed `FINAL RANKING:` list. */
  ranking?: string[];
  /** The reviewer answered, but no ranking could be read from it (reported, never guessed). */
  unparseable?: boolean;
  error?: CouncilFailure;
  text: string;
}

export interface CouncilResult {
  status: CouncilStatus;
  members: MemberResult[];
  /** Members that gave no whole answer, in member order. */
  missing: string[];
  reviews: ReviewResult[];
  /** The chair that wrote the synthesis (absent: none was written). */
  chair?: string;
  /** Set when the configured chair failed and another member wrote the synthesis. */
  chairReplaced?: { from: string; to: string; reason: string };
  synthesis?: string;
  /** Why there is no synthesis, or why the run is not complete. */
  reason?: string;
  usage: { members: Record<string, Usage>; total: Usage };
}

export type CouncilEvent =
  | { type: 'council_start'; members: string[]; chair: string; review: boolean; mode: 'full' | 'raw'; quorum: number }
  | { type: 'member_start'; member: string }
  | { type: 'member_delta'; member: string; delta: string }
  | { type: 'member_reasoning_delta'; member: string; delta: string }
  | { type: 'member_done'; member: string; text: string; usage: Usage; ms: number }
  | { type: 'member_error'; member: string; error: CouncilFailure; text: string; ms: number }
  | { type: 'review_done'; review: ReviewResult }
  | { type: 'synthesis_start'; chair: string; replaces?: string }
  | { type: 'synthesis_delta'; delta: string }
  | { type: 'synthesis_error'; chair: string; error: CouncilFailure }
  | { type: 'synthesis_done'; chair: string; text: string; usage: Usage; ms: number }
  | { type: 'council_done'; result: CouncilResult };
