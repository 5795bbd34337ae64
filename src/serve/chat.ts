// POST /v1/chat/completions: the agent's events in the Chat Completions wire format, framed
// exactly as OpenAI streams it (role chunk, content chunks, finish chunk, optional usage chunk,
// [DONE]). hermes' own tools run inside: their calls never reach the client. Calls of the
// client's own tools (`tools` in the request) end the run and go back as tool_calls.

import type { AgentEvent, RunResult } from '../agent/events.js';
import type { ToolCall } from '../agent/types.js';
import { sseData, sseEvent } from '../stream/sse.js';
import { chatUsage, finishReason } from './answer.js';
import { parseExtensions, type Extensions, type RequestContext } from './context.js';
import { badRequest, shutdownError, upstreamError, type HttpError } from './errors.js';
import { EventStream } from './event-stream.js';
import { frameTemplate, jsonString, slot } from './frames.js';
import { checkModel, checkSingleChoice, isRecord, optionalBoolean, optionalPositiveInt } from './fields.js';
import { joinSystem, linkToolResults, parseTurn, splitConversation, type Conversation } from './messages.js';
import { checkClientOptions, parseClientOptions, type ClientOptions } from './request-options.js';
import { collectRun, streamRun, type InputEstimate } from './run-events.js';
import { estimateInputTokens } from './usage-estimate.js';

export interface ChatRequest {
  conversation: Conversation;
  stream: boolean;
  includeUsage: boolean;
  maxOutputTokens?: number;
  client: ClientOptions;
  extensions: Extensions;
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (!isRecord(body)) throw badRequest('the request body must be a JSON object');
  checkModel(body);
  checkSingleChoice(body);
  if (!Array.isArray(body.messages)) throw badRequest('messages is required: an array of {role, content}', 'messages');
  if (body.messages.length === 0) throw badRequest('messages must not be empty', 'messages');
  const turns = body.messages.map((m: unknown, i) => parseTurn(m, `messages[${i}]`));
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isRecord(streamOptions)) {
    throw badRequest('stream_options must be an object', 'stream_options');
  }
  return {
    conversation: splitConversation(turns, 'messages'),
    stream: optionalBoolean(body, 'stream') ?? false,
    includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
    maxOutputTokens: optionalPositiveInt(body, 'max_completion_tokens') ?? optionalPositiveInt(body, 'max_tokens'),
    client: parseClientOptions(body, 'chat'),
    extensions: parseExtensions(body.hermes),
  };
}

/** What ended a run in a way the client must hear about as an error. */
function runError(ctx: RequestContext, result: RunResult): HttpError | undefined {
  if (result.status === 'error' && result.error) return upstreamError(result.error, ctx.secrets);
  if (result.status === 'interrupted' && ctx.stopCause() === 'shutdown') return shutdownError();
  return undefined;
}

export async function handleChat(ctx: RequestContext, request: ChatRequest, configSystem: string | undefined): Promise<void> {
  const { conversation, client } = request;
  checkClientOptions(client, 'chat', ctx.provider, ctx.ownTools);
  linkToolResults(conversation.history, 'messages');
  const agent = ctx.agent({
    system: joinSystem(configSystem, ...conversation.system),
    history: conversation.history,
    maxOutputTokens: request.maxOutputTokens,
    options: client.options,
    clientTools: client.tools,
  });
  const run = agent.run(conversation.prompt, ctx.signal);
  const input = (): number => estimateInputTokens(agent.system, agent.history);
  if (request.stream) await streamChat(ctx, request, run, input);
  else await answerChat(ctx, request, run, input);
}

async function streamChat(ctx: RequestContext, request: ChatRequest, run: AsyncGenerator<AgentEvent>, input: InputEstimate): Promise<void> {
  const id = ctx.id('chatcmpl-');
  const created = ctx.created();
  const model = ctx.modelId;
  const { includeUsage, extensions } = request;
  // With include_usage OpenAI sends `"usage": null` on every chunk but the last.
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    sseData({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });

  const contentFrame = frameTemplate(chunk({ content: slot(0) }));
  const stream = new EventStream(ctx.res, { keepaliveMs: ctx.keepaliveMs, drainTimeoutMs: ctx.drainTimeoutMs, headers: ctx.headers, preamble: () => chunk({ role: 'assistant', content: '' }) });
  const answer = await streamRun(stream, run, {
    text: (delta) => contentFrame(jsonString(delta)),
    reasoning: extensions.reasoning ? (delta) => chunk({ reasoning_content: delta }) : undefined,
    tool: extensions.toolProgress ? (event) => toolFrame(event) : undefined,
    clientCall: {
      names: new Set(request.client.tools.map((tool) => tool.name)),
      frame: (call, index) => chunk({ tool_calls: [{ index, ...wireToolCall(call) }] }),
    },
  }, input);
  if (!answer) return;
  const { result } = answer;
  ctx.usage = result.usage;

  const error = runError(ctx, result);
  if (error) {
    ctx.outcome = error.code ?? 'error';
    // Before anything was sent the client gets a real status; after, an error frame (never a
    // finish chunk: a fake "stop" would pass a cut-off answer off as complete).
    if (!stream.started) ctx.sendError(error);
    // With the usage of what was streamed, as the finish would have carried it.
    else stream.end(sseData({ ...error.body(), usage: chatUsage(result.usage) }));
    return;
  }
  if (result.status === 'interrupted') return; // the client went away; nobody to tell

  let tail = chunk({}, finishReason(result));
  if (includeUsage) tail += sseData({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: chatUsage(result.usage) });
  stream.end(tail + sseData('[DONE]'));
}

async function answerChat(ctx: RequestContext, request: ChatRequest, run: AsyncGenerator<AgentEvent>, input: InputEstimate): Promise<void> {
  const answer = await collectRun(run, input);
  if (!answer || ctx.res.destroyed) return;
  const { result } = answer;
  ctx.usage = result.usage;
  const error = runError(ctx, result);
  if (error) {
    ctx.outcome = error.code ?? 'error';
    ctx.sendError(error);
    return;
  }
  if (result.status === 'interrupted') return;
  const calls = result.pendingToolCalls ?? [];
  const message: Record<string, unknown> = { role: 'assistant', content: calls.length > 0 && answer.text === '' ? null : answer.text, refusal: null, annotations: [] };
  if (calls.length > 0) message.tool_calls = calls.map(wireToolCall);
  if (request.extensions.reasoning && answer.reasoning !== '') message.reasoning_content = answer.reasoning;
  ctx.sendJson(200, {
    id: ctx.id('chatcmpl-'),
    object: 'chat.completion',
    created: ctx.created(),
    model: ctx.modelId,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(result) }],
    usage: chatUsage(result.usage),
  });
}

function wireToolCall(call: ToolCall): Record<string, unknown> {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

/** A tool progress frame, only for clients that asked: a custom event type breaks strict ones. */
export function toolFrame(event: Extract<AgentEvent, { type: 'tool_started' | 'tool_finished' }>, sequence?: number): string {
  const seq = sequence === undefined ? {} : { sequence_number: sequence };
  if (event.type === 'tool_started') {
    return sseEvent('hermes.tool_started', { type: 'hermes.tool_started', id: event.id, name: event.name, arguments: event.arguments, ...seq });
  }
  return sseEvent('hermes.tool_finished', { type: 'hermes.tool_finished', id: event.id, name: event.name, is_error: event.isError, ...seq });
}
