// POST /v1/responses and GET/DELETE /v1/responses/{id}: the agent in the Responses wire format.
// A stream is `event: <type>` + `data: <json>` frames numbered from 0: response.created,
// response.in_progress, then per output item output_item.added … output_item.done (a message:
// content_part.added, output_text.delta…, output_text.done, content_part.done; a call of the
// client's own tools: function_call_arguments.delta and .done), then response.completed (or
// response.incomplete / response.failed). Finished responses go to the bounded store, which
// `previous_response_id` continues.

import type { AgentEvent, RunResult } from '../agent/events.js';
import type { ChatMessage, ToolCall } from '../agent/types.js';
import { sseEvent } from '../stream/sse.js';
import { finishReason, responsesUsage } from './answer.js';
import { toolFrame } from './chat.js';
import type { RequestContext } from './context.js';
import { HttpError, shutdownError, upstreamError } from './errors.js';
import { EventStream } from './event-stream.js';
import { frameTemplate, jsonString, slot } from './frames.js';
import { joinSystem, linkToolResults, splitConversation } from './messages.js';
import { checkClientOptions } from './request-options.js';
import type { ResponsesRequest } from './responses-request.js';
import { functionCallItem, messageItem, responseObject, textPart, type ResponseFields, type Status } from './responses-objects.js';
import { collectRun, streamRun, type InputEstimate } from './run-events.js';
import { estimateInputTokens } from './usage-estimate.js';

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
  checkClientOptions(request.client, 'responses', ctx.provider, ctx.ownTools);
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
  const history = [...storedHistory, ...conversation.history];
  linkToolResults(history, 'input');
  const agent = ctx.agent({
    system: joinSystem(configSystem, ...inputSystem, request.instructions),
    history,
    maxOutputTokens: request.maxOutputTokens,
    options: request.client.options,
    clientTools: request.client.tools,
  });
  const fields: ResponseFields = {
    id: ctx.id('resp_'),
    createdAt: ctx.created(),
    model: ctx.modelId,
    instructions: request.instructions ?? null,
    previousResponseId: request.previousResponseId ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    store: request.store,
    metadata: request.metadata,
    client: request.client,
  };
  const run = agent.run(conversation.prompt, ctx.signal);
  const input = (): number => estimateInputTokens(agent.system, agent.history);
  const result = request.stream ? await streamResponse(ctx, request, fields, run, input) : await answerResponse(ctx, fields, run, input);
  if (result && request.store) {
    ctx.store.set(fields.id, { response: result, system: inputSystem, history: [...agent.history] });
  }
}

/** The output items of a streamed response as they open and close. */
class StreamedOutput {
  /** Finished items, and the open message's place among them. */
  readonly items: Record<string, unknown>[] = [];
  private message: { id: string; index: number; text: string; delta: (...values: string[]) => string } | undefined;

  constructor(
    private readonly frame: (type: string, data: Record<string, unknown>) => string,
    private readonly nextSequence: () => number,
    private readonly newId: (prefix: string) => string,
  ) {}

  text(delta: string): string {
    let out = '';
    if (!this.message) out = this.openMessage();
    const message = this.message!;
    message.text += delta;
    return out + message.delta(jsonString(delta), String(this.nextSequence()));
  }

  call(call: ToolCall): string {
    const out = this.closeMessage('completed');
    const id = this.newId('fc_');
    const index = this.items.length;
    const done = functionCallItem(id, call, 'completed');
    this.items.push(done);
    return (
      out +
      this.frame('response.output_item.added', { output_index: index, item: functionCallItem(id, call, 'in_progress') }) +
      this.frame('response.function_call_arguments.delta', { item_id: id, output_index: index, delta: call.arguments }) +
      this.frame('response.function_call_arguments.done', { item_id: id, output_index: index, arguments: call.arguments }) +
      this.frame('response.output_item.done', { output_index: index, item: done })
    );
  }

  /** The last frames of a run that ended: an open message is closed (an empty one if nothing came). */
  finish(status: 'completed' | 'incomplete'): string {
    const open = this.items.length === 0 && !this.message ? this.openMessage() : '';
    return open + this.closeMessage(status);
  }

  /** The output of a failed run: an open message stays unfinished. */
  failed(): Record<string, unknown>[] {
    if (this.message) this.items[this.message.index] = messageItem(this.message.id, 'incomplete', this.message.text);
    return this.items;
  }

  private openMessage(): string {
    const id = this.newId('msg_');
    const index = this.items.length;
    const at = { item_id: id, output_index: index, content_index: 0 };
    const delta = frameTemplate(sseEvent('response.output_text.delta', { type: 'response.output_text.delta', ...at, delta: slot(0), logprobs: [], sequence_number: slot(1) }));
    this.message = { id, index, text: '', delta };
    this.items.push(messageItem(id, 'in_progress', undefined));
    return this.frame('response.output_item.added', { output_index: index, item: messageItem(id, 'in_progress', undefined) }) + this.frame('response.content_part.added', { ...at, part: textPart('') });
  }

  private closeMessage(status: 'completed' | 'incomplete'): string {
    const message = this.message;
    if (!message) return '';
    this.message = undefined;
    const at = { item_id: message.id, output_index: message.index, content_index: 0 };
    const item = messageItem(message.id, status, message.text);
    this.items[message.index] = item;
    return (
      this.frame('response.output_text.done', { ...at, text: message.text, logprobs: [] }) +
      this.frame('response.content_part.done', { ...at, part: textPart(message.text) }) +
      this.frame('response.output_item.done', { output_index: message.index, item })
    );
  }
}

/** Streams the response; returns the final Response object (undefined when the client left). */
async function streamResponse(
  ctx: RequestContext,
  request: ResponsesRequest,
  fields: ResponseFields,
  run: AsyncGenerator<AgentEvent>,
  input: InputEstimate,
): Promise<Record<string, unknown> | undefined> {
  let sequence = 0;
  const frame = (type: string, data: Record<string, unknown>): string => sseEvent(type, { type, ...data, sequence_number: sequence++ });
  // Numbered now, though sent with the first frame (or keep-alive): it always goes first.
  const pending = responseObject(fields, 'in_progress', []);
  const preamble = frame('response.created', { response: pending }) + frame('response.in_progress', { response: pending });
  const output = new StreamedOutput(frame, () => sequence++, ctx.id);
  const stream = new EventStream(ctx.res, { keepaliveMs: ctx.keepaliveMs, drainTimeoutMs: ctx.drainTimeoutMs, headers: ctx.headers, preamble: () => preamble });
  const streamed = await streamRun(stream, run, {
    text: (delta) => output.text(delta),
    tool: request.extensions.toolProgress ? (event) => toolFrame(event, sequence++) : undefined,
    clientCall: { names: new Set(request.client.tools.map((tool) => tool.name)), frame: (call) => output.call(call) },
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

  const usage = responsesUsage(result.usage);
  if (end.status === 'failed') {
    ctx.outcome = end.error?.code ?? 'error';
    const error = { code: end.error?.code ?? 'server_error', message: end.error?.message ?? 'the run failed' };
    const response = responseObject(fields, 'failed', output.failed(), { usage, error });
    stream.end(frame('response.failed', { response }));
    return response;
  }
  const last = output.finish(end.status === 'completed' ? 'completed' : 'incomplete');
  const response = responseObject(fields, end.status, output.items, { usage, incomplete: end.incomplete });
  stream.end(last + frame(end.status === 'completed' ? 'response.completed' : 'response.incomplete', { response }));
  return response;
}

async function answerResponse(ctx: RequestContext, fields: ResponseFields, run: AsyncGenerator<AgentEvent>, input: InputEstimate): Promise<Record<string, unknown> | undefined> {
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
  const calls = result.pendingToolCalls ?? [];
  const items = calls.map((call) => functionCallItem(ctx.id('fc_'), call, 'completed'));
  // A message item when there is text, or nothing else to say.
  if (answer.text !== '' || items.length === 0) items.unshift(messageItem(ctx.id('msg_'), end.status === 'completed' ? 'completed' : 'incomplete', answer.text));
  const response = responseObject(fields, end.status, items, { usage: responsesUsage(result.usage), incomplete: end.incomplete });
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
