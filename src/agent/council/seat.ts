// One council request: its own Agent (own provider, connection and abort), no tools, the
// council's system prompt and the conversation so far. Deltas go out through callbacks as they
// arrive; the outcome says whether the whole answer came.

import { Agent, type AgentOptions } from '../agent.js';
import type { ChatMessage, Usage } from '../types.js';
import type { CouncilFailure } from './events.js';

/** Where one member's requests go: a profile or a model name, resolved by the front door. */
export interface CouncilSeat {
  name: string;
  agent: Pick<AgentOptions, 'provider' | 'model' | 'connection' | 'stream' | 'retry' | 'maxOutputTokens' | 'providerFactory'>;
}

export interface SeatRequest {
  system?: string;
  history: readonly ChatMessage[];
  prompt: string;
  signal: AbortSignal;
  onText?: (delta: string) => void;
  onReasoning?: (delta: string) => void;
}

export interface SeatOutcome {
  state: 'answered' | 'failed' | 'interrupted';
  text: string;
  usage: Usage;
  ms: number;
  error?: CouncilFailure;
}

export async function askSeat(seat: CouncilSeat, request: SeatRequest): Promise<SeatOutcome> {
  const started = performance.now();
  const agent = new Agent({ ...seat.agent, ...(request.system !== undefined ? { system: request.system } : {}), maxTurns: 1 });
  agent.load(request.history);
  const parts: string[] = [];
  let outcome: SeatOutcome | undefined;
  const ms = (): number => Math.round(performance.now() - started);
  for await (const event of agent.run(request.prompt, request.signal)) {
    if (event.type === 'text') {
      parts.push(event.delta);
      request.onText?.(event.delta);
    } else if (event.type === 'reasoning') {
      request.onReasoning?.(event.delta);
    } else if (event.type === 'finished') {
      const { result } = event;
      const text = parts.join('');
      const usage = { ...agent.usage };
      if (result.status === 'completed' || result.status === 'max_turns') outcome = { state: 'answered', text, usage, ms: ms() };
      else if (result.status === 'interrupted' || request.signal.aborted) outcome = { state: 'interrupted', text, usage, ms: ms(), error: { kind: 'aborted', message: 'interrupted' } };
      else {
        const error: CouncilFailure = result.error ?? { kind: 'network', message: 'the request failed' };
        outcome = { state: 'failed', text, usage, ms: ms(), error: { kind: error.kind, message: error.message, ...(error.status !== undefined ? { status: error.status } : {}) } };
      }
    }
  }
  return outcome ?? { state: 'failed', text: parts.join(''), usage: { ...agent.usage }, ms: ms(), error: { kind: 'network', message: 'the request ended without a result' } };
}
