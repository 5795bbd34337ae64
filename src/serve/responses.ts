// POST /v1/responses and GET/DELETE /v1/responses/{id}: the agent in the Responses wire format.
// A stream is `event: <type>` + `data: <json>` frames numbered from 0: response.created,
// response.in_progress, output_item.added, content_part.added, output_text.delta…,
// output_text.done, content_part.done, output_item.done, then response.completed (or
// response.incomplete / response.failed). Finished responses go to the bounded store, which
// `previous_response_id` continues.

import type { AgentEvent, RunResult } from '../agent/events.js';
import type { ChatMessage } from '../agent/types.js';
import { sseEvent } from '../stream/sse.js';
import { finishReason, responsesUsage } from './answer.js';
import { parseExtensions, type Extensions, type RequestContext } from './context.js';
import { toolFrame } from './chat.js';
import { badRequest, HttpError, shutdownError, upstreamError } from './errors.js';
import { EventStream } from './event-stream.js';
import { frameTemplate, jsonString, slot } from './frames.js';
import { checkModel, checkSingleChoice, isRecord, optionalBoolean, optionalPositiveInt, optionalString } from './fields.js';
import { joinSystem, parseTurn, splitConversation, type Turn } from './messages.js';
import { collectRun, streamRun, type InputEstimate } from './run-events.js';
import { estimateInputTokens } from './usage-estimate.js';

export interface ResponsesRequest {
  turns: Turn[];
  instructions?: string;
  previousResponseId?: string;
  stream: boolean;
  store: boolean;
  maxOutputTokens?: number;
  extensions: Extensions;
}

export function parseResponsesRequest(body: unknown): ResponsesRequest {
  if (!isRecord(body)) throw badRequest('the request body must be a JSON object');
  checkModel(body);
  checkSingleChoice(body);
  const input = body.input;
  let turns: Turn[];
  if (typeof input === 'string') turns = [{ role: 'user', content: input }];
  else if (Array.isArray(input)) {
    turns = input.map((item: unknown, i) => {
      const param = `input[${i}]`;
      if (isRecord(item) && item.type !== undefined && item.type !== 'message') {
        throw badRequest(`${param}: items of type '${String(item.type)}' are not supported; hermes runs its tools itself`, `${param}.type`);
      }
      return parseTurn(item, param);
    });
  } else throw badRequest('input is required: a string or an array of messages', 'input');
  return {
    turns,
    instructions: optionalString(body, 'instructions'),
    previousResponseId: optionalString(body, 'previous_response_id'),
    stream: optionalBoolean(body, 'stream') ?? false,
    store: optionalBoolean(body, 'store') ?? true,
    maxOutputTokens: optionalPositiveInt(body, 'max_output_tokens'),
    extensions: parseExtensions(body.hermes),
  };
}

type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

interface ResponseFields {
  id: string;
  createdAt: number;
  model: string;
  instructions: string | null;
  previousResponseId: string | null;
  maxOutputTokens: number | null;
  store: boolean;
}

function responseObject(
  f: ResponseFields,
  status: Status,
  output: unknown[],
  extra: { usage?: Record<string, unknown>; error?: { code: string; message: string }; incomplete?: string } = {},
): Record<string, unknown> {
  return {
    id: f.id,
    object: 'response',
    created_at: f.createdAt,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: extra.incomplete ? { reason: extra.incomplete } : null,
    instructions: f.instructions,
    max_output_tokens: f.maxOutputTokens,
    model: f.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: f.previousResponseId,
    store: f.store,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    truncation: 'disabled',
    usage: extra.usage ?? null,
    metadata: {},
  };
}

const textPart = (text: string): Record<string, unknown> => ({ type: 'output_text', annotations: [], logprobs: [], text });

function messageItem(id: string, status: 'in_progress' | 'completed' | 'incomplete', text: string | undefined): Record<string, unknown> {
  return { id, type: 'message', status, role: 'assistant', content: text === undefined ? [] : [textPart(text)] };
}

/** How a finished run reads as a Response. */
function outcome(ctx: RequestContext, result: RunResult): { status: Status; error?: HttpError; incomplete?: string } {
  if (result.status === 'error' && result.error) return { status: 'failed', error: upstreamError(result.error, ctx.secrets) };
  if (result.status === 'interrupted') return { status: 'failed', error: ctx.stopCause() === 'shutdown' ? shutdownError() : undefined };
  const finish = finishReason(result);
  if (finish === 'length') return { status: 'incomplete', incomplete: 'max_output_tokens' };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete: 'content_filter' };
  return { status: 'completed' };
}

export async function handleResponses(ctx: RequestContext, request: ResponsesRequest, configSystem: string | undefined): Promise<void> {
  let storedSystem: string[] = [];
  let storedHistory: readonly ChatMessage[] = [];
  if (request.previousResponseId !== undefined) {
    const previous = ctx.store.get(request.previousResponseId);
    if (!previous) {
      throw new HttpError(404, `Previous response with id '${request.previousResponseId}' not found.`, 'invalid_request_error', 'previous_response_not_found', 'previous_response_id');
    }
    storedSystem = previous.system;
    storedHistory = previous.history;
  }
  const conversation = splitConversation(request.turns, 'input');
  const inputSystem = [...storedSystem, ...conversation.system];
  const agent = ctx.agent({
    system: joinSystem(configSystem, ...inputSystem, request.instructions),
    history: [...storedHistory, ...conversation.history],
    maxOutputTokens: request.maxOutputTokens,
  });
  const fields: ResponseFields = {
    id: ctx.id('resp_'),
    createdAt: ctx.created(),
    model: ctx.modelId,
    instructions: request.instructions ?? null,
    previousResponseId: request.previousResponseId ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    store: request.store,
  };
  const itemId = ctx.id('msg_');
  const run = agent.run(conversation.prompt, ctx.signal);
  const input = (): number => estimateInputTokens(agent.system, agent.history);
  const result = request.stream ? await streamResponse(ctx, request.extensions, fields, itemId, run, input) : await answerResponse(ctx, fields, itemId, run, input);
  if (result && request.store) {
    ctx.store.set(fields.id, { response: result, system: inputSystem, history: [...agent.history] });
  }
}

/** Streams the response; returns the final Response object (undefined when the client left). */
async function streamResponse(
  ctx: RequestContext,
  extensions: Extensions,
  fields: ResponseFields,
  itemId: string,
  run: AsyncGenerator<AgentEvent>,
  input: InputEstimate,
): Promise<Record<string, unknown> | undefined> {
  let sequence = 0;
  const frame = (type: string, data: Record<string, unknown>): string => sseEvent(type, { type, ...data, sequence_number: sequence++ });
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  // Numbered now, though sent with the first delta (or keep-alive): it always goes first.
  const pending = responseObject(fields, 'in_progress', []);
  const preamble =
    frame('response.created', { response: pending }) +
    frame('response.in_progress', { response: pending }) +
    frame('response.output_item.added', { output_index: 0, item: messageItem(itemId, 'in_progress', undefined) }) +
    frame('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part: textPart('') });
  const deltaFrame = frameTemplate(
    sseEvent('response.output_text.delta', { type: 'response.output_text.delta', ...at, delta: slot(0), logprobs: [], sequence_number: slot(1) }),
  );
  const stream = new EventStream(ctx.res, { keepaliveMs: ctx.keepaliveMs, drainTimeoutMs: ctx.drainTimeoutMs, headers: ctx.headers, preamble: () => preamble });
  const streamed = await streamRun(stream, run, {
    text: (delta) => deltaFrame(jsonString(delta), String(sequence++)),
    tool: extensions.toolProgress ? (event) => toolFrame(event, sequence++) : undefined,
  }, input);
  if (!streamed) return undefined;
  const { result } = streamed;
  ctx.usage = result.usage;
  const end = outcome(ctx, result);
  if (end.status === 'failed' && !end.error) return undefined; // the client went away
  if (end.error && !stream.started) {
    ctx.outcome = end.error.code ?? 'error';
    ctx.sendError(end.error);
    return undefined;
  }

  const answer = streamed.text;
  const usage = responsesUsage(result.usage);
  if (end.status === 'failed') {
    ctx.outcome = end.error?.code ?? 'error';
    const error = { code: end.error?.code ?? 'server_error', message: end.error?.message ?? 'the run failed' };
    const response = responseObject(fields, 'failed', [messageItem(itemId, 'incomplete', answer)], { usage, error });
    stream.end(frame('response.failed', { response }));
    return response;
  }
  const itemStatus = end.status === 'completed' ? 'completed' : 'incomplete';
  const item = messageItem(itemId, itemStatus, answer);
  const response = responseObject(fields, end.status, [item], { usage, incomplete: end.incomplete });
  stream.end(
    frame('response.output_text.done', { ...at, text: answer, logprobs: [] }) +
      frame('response.content_part.done', { ...at, part: textPart(answer) }) +
      frame('response.output_item.done', { output_index: 0, item }) +
      frame(end.status === 'completed' ? 'response.completed' : 'response.incomplete', { response }),
  );
  return response;
}

async function answerResponse(
  ctx: RequestContext,
  fields: ResponseFields,
  itemId: string,
  run: AsyncGenerator<AgentEvent>,
  input: InputEstimate,
): Promise<Record<string, unknown> | undefined> {
  const answer = await collectRun(run, input);
  if (!answer || ctx.res.destroyed) return undefined;
  const { result } = answer;
  ctx.usage = result.usage;
  const end = outcome(ctx, result);
  if (end.status === 'failed') {
    if (end.error) {
      ctx.outcome = end.error.code ?? 'error';
      ctx.sendError(end.error);
    }
    return undefined;
  }
  const item = messageItem(itemId, end.status === 'completed' ? 'completed' : 'incomplete', answer.text);
  const response = responseObject(fields, end.status, [item], { usage: responsesUsage(result.usage), incomplete: end.incomplete });
  ctx.sendJson(200, response);
  return response;
}

export function handleStoredResponse(ctx: RequestContext, method: string, id: string): void {
  if (method === 'GET') {
    const stored = ctx.store.get(id);
    if (!stored) throw notFound(id);
    ctx.sendJson(200, stored.response);
    return;
  }
  if (!ctx.store.delete(id)) throw notFound(id);
  ctx.sendJson(200, { id, object: 'response', deleted: true });
}

const notFound = (id: string): HttpError =>
  new HttpError(404, `No response found with id '${id}'.`, 'invalid_request_error', 'response_not_found');
