// What the server hands an endpoint handler for one request. Handlers map agent events to a
// wire format; everything about sockets, auth, limits and shutdown stays in server.ts.

import type { ServerResponse } from 'node:http';
import type { Agent } from '../agent/agent.js';
import type { ChatMessage, ProviderId, RequestOptions, ToolDefinition, Usage } from '../agent/types.js';
import type { HttpError } from './errors.js';
import { badRequest } from './errors.js';
import { isRecord } from './fields.js';
import type { ResponseStore } from './store.js';

export interface TurnSetup {
  system?: string;
  history: readonly ChatMessage[];
  maxOutputTokens?: number;
  options?: RequestOptions;
  /** The client's own tools (their calls end the run and go back to the client). */
  clientTools?: ToolDefinition[];
}

export type StopCause = 'client' | 'shutdown';

export interface RequestContext {
  readonly res: ServerResponse;
  /** Headers every response to this request carries (CORS, connection: close while stopping). */
  readonly headers: Readonly<Record<string, string>>;
  /** The model id clients see (what /v1/models lists and every response names). */
  readonly modelId: string;
  /** The provider the agents ask, for refusing options it cannot take. */
  readonly provider: ProviderId;
  /** Names of the tools hermes runs itself. */
  readonly ownTools: readonly string[];
  readonly keepaliveMs: number;
  /** A stream whose client reads nothing for this long is cut off. */
  readonly drainTimeoutMs: number;
  /** Keys to redact from any message sent to a client. */
  readonly secrets: readonly string[];
  readonly store: ResponseStore;
  /** Aborted when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  /** Why `signal` was aborted, if it was. */
  stopCause(): StopCause | undefined;
  /** A fresh id with this prefix ('chatcmpl-', 'resp_', 'msg_'). */
  id(prefix: string): string;
  /** Seconds since the epoch, for `created` / `created_at`. */
  created(): number;
  /** A new agent for this request with the conversation loaded. */
  agent(setup: TurnSetup): Agent;
  /** Tokens used, for the log line. */
  usage?: Usage;
  /** How the run ended, for the log line, when not plain success. */
  outcome?: string;
  sendJson(status: number, body: unknown, headers?: Record<string, string>): void;
  sendError(error: HttpError): void;
}

/** Request extensions a client may opt into (`"hermes": {...}` in the body). */
export interface Extensions {
  /** Custom `hermes.tool_started` / `hermes.tool_finished` events in the stream. */
  toolProgress: boolean;
  /** Chat Completions: the model's reasoning as `delta.reasoning_content` (DeepSeek's field). */
  reasoning: boolean;
}

export function parseExtensions(value: unknown): Extensions {
  if (value === undefined || value === null) return { toolProgress: false, reasoning: false };
  if (!isRecord(value)) throw badRequest('hermes must be an object like {"tool_progress": true}', 'hermes');
  const flag = (key: string): boolean => {
    const v = value[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw badRequest(`hermes.${key} must be true or false`, `hermes.${key}`);
    return v;
  };
  return { toolProgress: flag('tool_progress'), reasoning: flag('reasoning') };
}
