// What the one-shot runner feeds each output format.

import type { AgentEvent, RunResult } from '../agent/events.js';

export interface Renderer {
  event(event: AgentEvent): void;
  /** Once, after the last event: complete the output (final newline, result object). */
  finish(result: RunResult): void;
}
