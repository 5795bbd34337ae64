// What the agent tells a front end. Provider stream events pass through (text, reasoning,
// tool_call_start, tool_call, usage); the rest are the agent's own.

import type { AssistantMessage, ProviderError, StopReason, Usage } from './types.js';

export type AgentEvent =
  /** A request to the model is about to be sent. `turn` counts model requests in this run. */
  | { type: 'request_start'; turn: number; attempt: number }
  /** Exactly once per request: the first text, reasoning or tool-call start arrived. */
  | { type: 'first_delta' }
  | { type: 'text'; delta: string }
  | { type: 'reasoning'; delta: string }
  | { type: 'tool_call_start'; id: string; name: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  /** Usage of the last request, and the running total for this agent. */
  | { type: 'usage'; usage: Usage; total: Usage }
  /** A transient failure before any visible output; the request is sent again after delayMs. */
  | { type: 'retrying'; attempt: number; delayMs: number; reason: string }
  /** This one request is repeated without streaming (or without stream_options). */
  | { type: 'fallback'; reason: string }
  /** The assistant message of one request is complete (text segment closed before tools run). */
  | { type: 'message'; message: AssistantMessage }
  /** The history is being compacted to fit the context window (a summary request may follow). */
  | { type: 'compacting' }
  /** It was: estimated request tokens before and after; summarised: an older part was replaced by a summary. */
  | { type: 'compacted'; before: number; after: number; summarised: boolean }
  | { type: 'tool_started'; id: string; name: string; arguments: string }
  | { type: 'tool_finished'; id: string; name: string; content: string; isError: boolean }
  | { type: 'interrupted'; message: AssistantMessage }
  /** A failure that ends the run. `partial` is true when visible output had already arrived. */
  | { type: 'error'; error: ProviderError; partial: boolean }
  | { type: 'finished'; result: RunResult };

export type RunStatus = 'completed' | 'interrupted' | 'error' | 'max_turns';

export interface RunResult {
  status: RunStatus;
  stopReason?: StopReason;
  /** The last assistant message of the run (possibly partial). */
  message?: AssistantMessage;
  error?: import('./types.js').ProviderError;
  usage: Usage;
  /**
   * Calls of the caller's own tools (AgentOptions.clientTools) that ended the run: the caller
   * runs them and continues the conversation with their results (status completed,
   * stopReason tool_calls). The agent's own calls in the same message have been run.
   */
  pendingToolCalls?: import('./types.js').ToolCall[];
  /** Stopped at `length` because the prompt and the answer filled the context window. */
  contextFull?: boolean;
}
