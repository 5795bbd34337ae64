// The machine-readable formats. `json`: one object once the run is over. `stream-json`: one
// object per line as things happen, then a `result` line shaped like the `json` object.
// Text is passed on exactly as it arrived (JSON escapes every control character); it is never
// re-sliced, so the deltas of a stream-json run join to exactly the result's `turns`, and the
// last turn is its `text` (the answer, without the "let me look" of the turns before it).

import type { AgentEvent, RunResult } from '../agent/events.js';
import type { ProviderId, ToolCall } from '../agent/types.js';
import { redactSecrets } from '../stream/redact.js';
import type { OutputWriter } from './output-writer.js';
import type { Renderer } from './renderer.js';

export interface JsonRendererOptions {
  writer: OutputWriter;
  secrets: readonly string[];
  model: string;
  provider: ProviderId;
  /** true: stream-json. */
  streaming: boolean;
  /** The session the run was stored in (absent with --no-session). */
  sessionId?: string;
}

export interface JsonResult {
  /** The answer: the text of the last model turn that had any. */
  text: string;
  /** The text of each model turn that had any, in order. */
  turns: string[];
  reasoning: string;
  toolCalls: ToolCall[];
  usage: RunResult['usage'];
  model: string;
  provider: ProviderId;
  stopReason: string | null;
  status: RunResult['status'];
  sessionId?: string;
  error?: { kind: string; message: string; status?: number };
}

export function createJsonRenderer(options: JsonRendererOptions): Renderer {
  const { writer, secrets } = options;
  /** One list of deltas per model turn; a turn that called tools is closed. */
  const turns: string[][] = [[]];
  const reasoning: string[] = [];
  const toolCalls: ToolCall[] = [];
  /** The model as the server named it in its answers; the configured name until it does. */
  let model = options.model;
  const line = (value: unknown): void => writer.out(`${JSON.stringify(value)}\n`);
  const emit = options.streaming ? line : () => {};

  return {
    event(event: AgentEvent): void {
      switch (event.type) {
        case 'text':
          turns.at(-1)!.push(event.delta);
          emit({ type: 'text', delta: event.delta });
          break;
        case 'reasoning':
          reasoning.push(event.delta);
          emit({ type: 'reasoning', delta: event.delta });
          break;
        case 'tool_call_start':
          emit({ type: 'tool_call_start', id: event.id, name: event.name });
          break;
        case 'tool_call':
          toolCalls.push({ id: event.id, name: event.name, arguments: event.arguments });
          emit({ type: 'tool_call', id: event.id, name: event.name, arguments: event.arguments });
          break;
        case 'tool_started':
          emit({ type: 'tool_started', id: event.id, name: event.name });
          break;
        case 'tool_finished':
          // Tool output can echo anything it read, the environment included.
          emit({ type: 'tool_finished', id: event.id, name: event.name, isError: event.isError, content: redactSecrets(event.content, secrets) });
          break;
        case 'usage':
          emit({ type: 'usage', usage: event.usage, total: event.total });
          break;
        case 'retrying':
          emit({ type: 'retrying', attempt: event.attempt, delayMs: event.delayMs, reason: redactSecrets(event.reason, secrets) });
          break;
        case 'fallback':
          emit({ type: 'fallback', reason: redactSecrets(event.reason, secrets) });
          break;
        case 'message':
          if (event.message.model) model = event.message.model;
          if (event.message.toolCalls.length > 0 && turns.at(-1)!.length > 0) turns.push([]);
          break;
        case 'compacted':
          emit({ type: 'compacted', before: event.before, after: event.after, summarised: event.summarised });
          break;
        case 'interrupted':
          emit({ type: 'interrupted' });
          break;
        case 'error':
          emit({ type: 'error', ...errorFields(event.error, secrets), partial: event.partial });
          break;
        default:
          break;
      }
    },
    finish(result: RunResult): void {
      const texts = turns.map((parts) => parts.join('')).filter((turn) => turn !== '');
      const out: JsonResult & { type?: 'result' } = {
        ...(options.streaming ? { type: 'result' as const } : {}),
        text: texts.at(-1) ?? '',
        turns: texts,
        reasoning: reasoning.join(''),
        toolCalls,
        usage: result.usage,
        model,
        provider: options.provider,
        stopReason: result.stopReason ?? result.message?.stopReason ?? null,
        status: result.status,
        ...(options.sessionId ? { sessionId: options.sessionId } : {}),
      };
      if (result.error) out.error = errorFields(result.error, secrets);
      line(out);
    },
  };
}

function errorFields(error: NonNullable<RunResult['error']>, secrets: readonly string[]): NonNullable<JsonResult['error']> {
  return {
    kind: error.kind,
    message: redactSecrets(error.message, secrets),
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
}

