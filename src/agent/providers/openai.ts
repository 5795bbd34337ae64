// The OpenAI Chat Completions adapter: OpenAI itself and every OpenAI-compatible server
// (Groq, DeepSeek, OpenRouter, Vercel AI Gateway, Ollama, llama.cpp, vLLM, LM Studio…).
// It turns the wire stream into the normalised StreamEvents (DESIGN.md rules 1, 2, 4, 7, 8, 9).

import { APIError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { thinkTagStart } from '../../stream/think-tags.js';
import type { Provider, ProviderConnection, ProviderRequest, StreamEvent } from '../types.js';
import { ChatAssembler, completionFailure, endedEarly, malformedFrame, type WireChunk } from './openai-assembler.js';
import { classifyError } from './errors.js';
import { createOpenAIClient } from './openai-shared.js';
import { plainParams, rejectsStreaming, streamingParams, streamOptionsBlame } from './openai-request.js';
import { sseBatches } from './sse-body.js';
import { createTransport, type Transport } from './transport.js';

/** Per-session memory of what this server rejected. */
interface SessionQuirks {
  /** false once the server refused `stream_options`: leave it out for the rest of the session. */
  streamOptions: boolean;
}

export function createOpenAIProvider(connection: ProviderConnection): Provider {
  const quirks: SessionQuirks = { streamOptions: true };
  return {
    id: 'openai',
    stream: (request) => streamChat(connection, quirks, request),
  };
}

async function* streamChat(
  connection: ProviderConnection,
  quirks: SessionQuirks,
  request: ProviderRequest,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { signal } = request;
  const asm = new ChatAssembler(connection.apiKey, thinkTagStart(request.model, connection.thinkTags));
  let transport: Transport | undefined;
  try {
    // ---- open the request (the only phase that may be repeated) ----
    let withOptions = request.stream && quirks.streamOptions;
    let optionsOnProbation = false;
    let response: Response | undefined;
    let completion: ChatCompletion | undefined;
    for (;;) {
      transport?.dispose();
      transport = createTransport(connection);
      try {
        const client = createOpenAIClient(connection, transport);
        if (request.stream) {
          response = await client.chat.completions
            .create(streamingParams(request, connection, withOptions), { signal })
            .asResponse();
        } else {
          completion = await client.chat.completions.create(plainParams(request, connection), { signal });
        }
        break;
      } catch (err) {
        const blame = withOptions && !signal.aborted ? streamOptionsBlame(err) : undefined;
        if (blame) {
          // Repeat once without stream_options. When the server named it, it is certainly the
          // culprit; after an unspecific 400/422 we only learn it if the repeat succeeds, so a
          // plain bad request (context too long, unknown model) costs one extra request but
          // does not cost usage reporting for the rest of the session.
          withOptions = false;
          if (blame === 'certain') quirks.streamOptions = false;
          else optionsOnProbation = true;
          continue;
        }
        const streamingRejected = request.stream && rejectsStreaming(err);
        yield asm.fail(err, transport.state, signal, streamingRejected);
        return;
      }
    }
    if (optionsOnProbation) quirks.streamOptions = false;

    if (completion) {
      const failure = completionFailure(completion);
      if (failure) yield asm.fail(failure, transport.state, signal);
      else yield* asm.completion(completion);
      return;
    }

    // ---- read the stream ----
    const state = transport.state;
    const res = response!;
    let sawDone = false;
    try {
      // Our own SSE decoder over the body, not the SDK's Stream: that one swallows `[DONE]` and
      // ends quietly on an abort, which rule 9 must not mistake for a finished answer, and its
      // decoder copies its buffer once per event (quadratic in a large network read).
      read: for await (const batch of sseBatches(transport.bodyChunks(res))) {
        for (const sse of batch) {
          const data = sse.data;
          if (data.startsWith('[DONE]')) {
            sawDone = true;
            break read;
          }
          let chunk: WireChunk;
          try {
            chunk = JSON.parse(data) as WireChunk;
          } catch {
            throw malformedFrame();
          }
          if (sse.event === 'error' || (chunk !== null && typeof chunk === 'object' && chunk.error)) {
            // An error frame (Groq's `event: error`, OpenRouter's chunk with `error`): the SDK's
            // own Stream throws exactly this, status undefined and .error set.
            const body = chunk !== null && typeof chunk === 'object' && chunk.error ? chunk.error : chunk;
            throw new APIError(undefined, body as object, undefined, res.headers);
          }
          if (asm.chunk(chunk)) transport.progress();
          const out = asm.out;
          if (out.length !== 0) {
            for (let i = 0; i < out.length; i++) yield out[i]!;
            out.length = 0;
          }
        }
      }
    } catch (err) {
      // After a finish_reason the answer is whole; a connection that then drops or goes quiet
      // (before usage or [DONE]) costs nothing worth an error.
      const error = classifyError(err, state, signal);
      if (asm.complete && (error.kind === 'network' || error.kind === 'stall')) {
        yield* asm.finish();
        return;
      }
      yield asm.failWith(error);
      return;
    }

    if (!sawDone && state.jsonInsteadOfStream !== undefined) {
      // The server answered `stream: true` with one complete JSON body (rule 4).
      let body: unknown;
      try {
        body = JSON.parse(state.jsonInsteadOfStream);
      } catch {
        yield asm.fail(malformedFrame(), state, signal);
        return;
      }
      const failure = completionFailure(body, res.headers);
      if (failure) yield asm.fail(failure, state, signal);
      else yield* asm.completion(body as ChatCompletion);
      return;
    }

    if (!sawDone && !asm.complete) {
      // Rule 9: the iterator ending is not an end marker (abort, dropped connection).
      yield asm.fail(endedEarly(), state, signal);
      return;
    }
    yield* asm.finish();
  } catch (err) {
    // Nothing above should throw, but the contract is: never throw, always end with one event.
    yield asm.fail(err, transport?.state, signal);
  } finally {
    transport?.dispose();
  }
}

