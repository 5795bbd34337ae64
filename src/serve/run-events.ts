// Reading one agent run for either wire format: streamed as frames (with backpressure) or
// collected whole. The formats differ only in the frames they make of each event.

import type { AgentEvent, RunResult } from '../agent/events.js';
import type { ToolCall } from '../agent/types.js';
import { AnswerText } from './answer.js';
import type { EventStream } from './event-stream.js';
import { withEstimate } from './usage-estimate.js';

type ToolEvent = Extract<AgentEvent, { type: 'tool_started' | 'tool_finished' }>;

/** The frame for each kind of event; a missing one means that kind is not sent. */
export interface RunFrames {
  text(delta: string): string;
  reasoning?(delta: string): string;
  tool?(event: ToolEvent): string;
  /** A call of one of the client's own tools (numbered from 0 in the run), sent as it completes. */
  clientCall?: { names: ReadonlySet<string>; frame(call: ToolCall, index: number): string };
}

export interface RunAnswer {
  result: RunResult;
  /** The answer exactly as streamed (segments of several model requests joined). */
  text: string;
  reasoning: string;
}

/** Input tokens of the request that failed, for the estimate when its usage never came. */
export type InputEstimate = () => number;

/**
 * Writes the run's frames as events arrive, waiting for the client to drain when a write is not
 * accepted (the agent generator pauses meanwhile). Undefined when the client left.
 */
export async function streamRun(stream: EventStream, run: AsyncGenerator<AgentEvent>, frames: RunFrames, input: InputEstimate): Promise<RunAnswer | undefined> {
  const answer = await readRun(run, (frame) => (stream.write(frame) ? undefined : stream.ready()), frames, input).finally(() => stream.dispose());
  return answer && !stream.closed ? answer : undefined;
}

/** The whole run, for a request that did not ask for a stream. */
export function collectRun(run: AsyncGenerator<AgentEvent>, input: InputEstimate): Promise<RunAnswer | undefined> {
  return readRun(run, undefined, { text: () => '' }, input);
}

async function readRun(
  run: AsyncGenerator<AgentEvent>,
  send: ((frame: string) => Promise<void> | undefined) | undefined,
  frames: RunFrames,
  input: InputEstimate,
): Promise<RunAnswer | undefined> {
  const text = new AnswerText();
  const reasoning: string[] = [];
  let result: RunResult | undefined;
  // The current model request: deltas it streamed, and whether it reported its usage.
  let deltas = 0;
  let reported = false;
  let clientCalls = 0;
  for await (const event of run) {
    let frame: string | undefined;
    switch (event.type) {
      case 'request_start':
        deltas = 0;
        reported = false;
        break;
      case 'usage':
        reported = true;
        break;
      case 'tool_call_start':
        deltas++;
        break;
      case 'tool_call':
        if (frames.clientCall?.names.has(event.name)) frame = frames.clientCall.frame(event, clientCalls++);
        break;
      case 'text': {
        deltas++;
        const delta = text.push(event.delta);
        if (delta !== '') frame = frames.text(delta);
        break;
      }
      case 'reasoning':
        deltas++;
        reasoning.push(event.delta);
        if (event.delta !== '') frame = frames.reasoning?.(event.delta);
        break;
      case 'message':
        text.endSegment();
        break;
      case 'tool_started':
      case 'tool_finished':
        frame = frames.tool?.(event);
        break;
      case 'finished':
        result = event.result;
        if (result.status === 'error' && !reported && deltas > 0) result = { ...result, usage: withEstimate(result.usage, input(), deltas) };
        break;
    }
    if (frame !== undefined && send) {
      const waiting = send(frame);
      if (waiting) await waiting;
    }
  }
  return result && { result, text: text.text, reasoning: reasoning.join('') };
}
