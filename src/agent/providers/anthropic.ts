// Anthropic Messages API adapter: turns the raw event stream into StreamEvents. The SDK sends
// the request; the body's events are read with our SSE decoder (sse-body.ts), as the SDK's
// low-level stream would yield them but without its per-event buffer copies, and not through
// the MessageStream helper, which rebuilds the whole message on every event. The accumulation
// here is the minimum the normalised stream needs: per event a switch, an append, one yield.

import Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantMessage, Provider, ProviderConnection, ProviderError, ProviderRequest, StreamEvent } from '../types.js';
import { emptyAssistantMessage } from '../types.js';
import { completeMessageEvents, mapStopReason, StreamAccumulator, streamEvents } from './anthropic-events.js';
import { buildParams } from './anthropic-request.js';
import { classifyError, withoutKey } from './errors.js';
import { sseBatches } from './sse-body.js';
import { createTransport, SDK_TIMEOUT_MS, type TransportState } from './transport.js';

// A custom base URL (a proxy, a local server) may need no key, but the SDK refuses to send a
// request without one.
const PLACEHOLDER_KEY = 'hermes-no-key';
// In-stream `event: error` types worth repeating the request for (before any visible output).
const RETRYABLE_STREAM_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);
const ENDED_EARLY = 'the stream ended before the answer was complete';

export function createAnthropicProvider(connection: ProviderConnection): Provider {
  return {
    id: 'anthropic',
    stream: (request) => streamAnthropic(connection, request),
  };
}

async function* streamAnthropic(connection: ProviderConnection, request: ProviderRequest): AsyncGenerator<StreamEvent> {
  const transport = createTransport(connection);
  const message = emptyAssistantMessage();
  const fail = (err: unknown): StreamEvent => ({
    type: 'error',
    error: providerError(err, transport.state, request.signal, connection.apiKey),
    message,
  });

  try {
    // A fresh client per request: an aborted request never leaves state behind for the next.
    const client = new Anthropic({
      apiKey: connection.apiKey || (connection.baseURL ? PLACEHOLDER_KEY : undefined),
      baseURL: connection.baseURL,
      fetch: transport.fetch,
      maxRetries: 0, // the agent decides about retries (only before the first visible delta)
      timeout: SDK_TIMEOUT_MS,
      logLevel: 'off', // errors reach the user once, through our error event
    });
    const params = buildParams(request);

    if (!request.stream) {
      let response: Message;
      try {
        response = await client.messages.create({ ...params, stream: false }, { signal: request.signal });
      } catch (err) {
        yield fail(err);
        return;
      }
      yield* completeMessageEvents(response, message);
      return;
    }

    let finished = false;
    try {
      const response = await client.messages.create({ ...params, stream: true }, { signal: request.signal }).asResponse();
      const acc = new StreamAccumulator(message);
      for await (const batch of sseBatches(transport.bodyChunks(response))) {
        for (const event of streamEvents(batch, response.headers)) {
          if (finished) continue; // drain to the end so the connection can be reused
          switch (event.type) {
            case 'content_block_delta': {
              const delta = event.delta;
              if (delta.type === 'text_delta') {
                if (delta.text) {
                  transport.progress();
                  message.content += delta.text;
                  yield { type: 'text', delta: delta.text };
                }
              } else {
                if (carriesData(delta)) transport.progress();
                const out = acc.delta(event.index, delta);
                if (out) yield out;
              }
              break;
            }
            case 'content_block_start': {
              transport.progress();
              const out = acc.start(event);
              if (out) yield out;
              break;
            }
            case 'content_block_stop': {
              const out = acc.stop(event.index);
              if (out) yield out;
              break;
            }
            case 'message_start':
              acc.messageStart(event.message);
              break;
            case 'message_delta':
              acc.messageDelta(event);
              break;
            case 'message_stop': {
              // The stream's own end marker: only this makes the answer complete (rule 9).
              finished = true;
              const stopReason = mapStopReason(acc.stopReason);
              message.stopReason = stopReason;
              yield { type: 'usage', usage: acc.usage() };
              yield { type: 'done', stopReason, message };
              break;
            }
          }
        }
      }
    } catch (err) {
      // After message_stop the answer is whole; a late failure while draining changes nothing.
      if (!finished) yield fail(err);
      return;
    }
    if (finished) return;

    if (transport.state.jsonInsteadOfStream !== undefined && !request.signal.aborted) {
      yield* jsonAnswerEvents(transport.state.jsonInsteadOfStream, message, transport.state, request.signal, connection.apiKey);
      return;
    }
    // The body ended without message_stop: an abort or a dropped connection (rule 9).
    yield { type: 'error', error: endedEarly(transport.state, request.signal), message };
  } catch (err) {
    yield fail(err);
  } finally {
    transport.dispose();
  }
}

/** A thinking, signature or tool-argument delta with something in it (empty ones are not progress). */
function carriesData(delta: object): boolean {
  const d = delta as { thinking?: unknown; signature?: unknown; partial_json?: unknown };
  return !!(d.thinking || d.signature || d.partial_json);
}

function endedEarly(state: TransportState, signal: AbortSignal): ProviderError {
  const error = classifyError(new Error(ENDED_EARLY), state, signal);
  if (error.kind === 'aborted' || error.kind === 'stall') return error;
  return { kind: 'network', message: ENDED_EARLY, retryable: true };
}

/** classifyError, plus what only this wire knows: the in-stream error types, and key redaction. */
function providerError(err: unknown, state: TransportState, signal: AbortSignal, apiKey: string | undefined): ProviderError {
  let error = classifyError(err, state, signal);
  const streamType = inStreamErrorType(err);
  if (streamType !== undefined && error.kind !== 'aborted' && error.kind !== 'stall') {
    // `event: error` carries no HTTP status; its type says whether a repeat can help.
    const body = (err as { error: { error?: { message?: unknown } } }).error;
    const text = typeof body.error?.message === 'string' && body.error.message ? body.error.message : streamType;
    error = { kind: 'stream_error', message: text, retryable: RETRYABLE_STREAM_ERRORS.has(streamType) };
  }
  return withoutKey(error, apiKey);
}

/** The `error.type` of an in-stream error event ({"type":"error","error":{"type":...}}), if it is one. */
function inStreamErrorType(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; error?: unknown };
  if (e.status !== undefined || !e.error || typeof e.error !== 'object') return undefined;
  const body = e.error as { type?: unknown; error?: { type?: unknown } };
  if (body.type !== 'error' || !body.error || typeof body.error.type !== 'string') return undefined;
  return body.error.type;
}

/** The server answered `stream: true` with one JSON body (rule 4): emit it as one delta. */
function* jsonAnswerEvents(
  body: string,
  message: AssistantMessage,
  state: TransportState,
  signal: AbortSignal,
  apiKey: string | undefined,
): Generator<StreamEvent> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const record = parsed as { type?: unknown; content?: unknown; error?: unknown } | undefined;
  if (record && Array.isArray(record.content)) {
    yield* completeMessageEvents(record as Message, message);
    return;
  }
  if (record && record.type === 'error') {
    // Same shape as an in-stream `event: error`, which the SDK turns into an APIError.
    yield { type: 'error', error: providerError({ error: record }, state, signal, apiKey), message };
    return;
  }
  yield {
    type: 'error',
    error: { kind: 'bad_request', message: 'the server answered with JSON that is not a message', retryable: false },
    message,
  };
}
