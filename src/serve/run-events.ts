// Reading one agent run for either wire format: streamed as frames (with backpressure) or
// collected whole. The formats differ only in the frames they make of each event.

import type { AgentEvent, RunResult } from '../agent/events.js';
import { AnswerText } from './answer.js';
import type { EventStream } from './event-stream.js';

type ToolEvent = Extract<AgentEvent, { type: 'tool_started' | 'tool_finished' }>;

/** The frame for each kind of event; a missing one means that kind is not sent. */
export interface RunFrames {
  text(delta: string): string;
  reasoning?(delta: string): string;
  tool?(event: ToolEvent): string;
}

export interface RunAnswer {
  result: RunResult;
  /** The answer exactly as streamed (segments of several model requests joined). */
  text: string;
  reasoning: string;
}

/**
 * Writes the run's frames as events arrive, waiting for the client to drain when a write is not
 * accepted (the agent generator pauses meanwhile). Undefined when the client left.
 */
export async function streamRun(stream: EventStream, run: AsyncGenerator<AgentEvent>, frames: RunFrames): Promise<RunAnswer | undefined> {
  const answer = await readRun(run, (frame) => (stream.write(frame) ? undefined : stream.ready()), frames).finally(() => stream.dispose());
  return answer && !stream.closed ? answer : undefined;
}

/** The whole run, for a request that did not ask for a stream. */
export function collectRun(run: AsyncGenerator<AgentEvent>): Promise<RunAnswer | undefined> {
  return readRun(run, undefined, { text: () => '' });
}

async function readRun(
  run: AsyncGenerator<AgentEvent>,
  send: ((frame: string) => Promise<void> | undefined) | undefined,
  frames: RunFrames,
): Promise<RunAnswer | undefined> {
  const text = new AnswerText();
  const reasoning: string[] = [];
  let result: RunResult | undefined;
  for await (const event of run) {
    let frame: string | undefined;
    switch (event.type) {
      case 'text': {
        const delta = text.push(event.delta);
        if (delta !== '') frame = frames.text(delta);
        break;
      }
      case 'reasoning':
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
        break;
    }
    if (frame !== undefined && send) {
      const waiting = send(frame);
      if (waiting) await waiting;
    }
  }
  return result && { result, text: text.text, reasoning: reasoning.join('') };
}
