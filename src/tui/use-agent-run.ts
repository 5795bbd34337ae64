// Runs prompts through the agent for the TUI: one at a time, the rest queued; deltas coalesced
// into frames so the screen is redrawn at a steady rate however fast tokens come; an interrupt
// aborts the HTTP request at once and bumps a generation counter so anything the cancelled run
// still yields is dropped. The next prompt waits only for the cancelled run's generator to wind
// down (milliseconds), so the agent's history stays in order.

import { useEffect, useRef } from 'react';
import type { Agent } from '../agent/agent.js';
import type { AgentEvent } from '../agent/events.js';
import { createCoalescer, type Coalescer } from '../stream/coalesce.js';
import { runCouncilTurn, type CouncilSetup } from './council-turn.js';
import type { CouncilRosterView } from './council-roster.js';
import type { Transcript } from './transcript.js';

/** 20 frames a second: smooth to read, and few enough redraws to keep the cost flat (each costs
 *  Ink a full render of the live region). The first text after a pause is not held back. */
export const FRAME_MS = 50;

export interface AgentRunnerOptions {
  agent: Agent;
  transcript: Transcript;
  /** Something visible changed. */
  publish: () => void;
  /** Only the text of the answer (or its reasoning) changed; default `publish`. */
  publishText?: () => void;
  frameMs?: number;
  /** A reason not to send at all (a missing API key), checked before each prompt goes out. */
  preflight?: () => string | undefined;
  /** The council prompts go to (/council a,b,c), or undefined for the agent alone. */
  council?: () => CouncilSetup | undefined;
}

export class AgentRunner {
  readonly #options: AgentRunnerOptions;
  readonly #queue: string[] = [];
  #generation = 0;
  #busy = false;
  #controller: AbortController | undefined;
  /** The current agent.run loop; settles once its generator has ended. */
  #running: Promise<void> = Promise.resolve();
  #coalescers: Coalescer[] = [];
  #disposed = false;
  #roster: CouncilRosterView | undefined;

  constructor(options: AgentRunnerOptions) {
    this.#options = options;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** The live roster while a council's members answer. */
  get roster(): CouncilRosterView | undefined {
    return this.#roster;
  }

  get queued(): readonly string[] {
    return this.#queue;
  }

  /** Settles when the current run (if any) has completely ended; for tests and shutdown. */
  get idle(): Promise<void> {
    return this.#running;
  }

  /** Sends `prompt`, or queues it when an answer is still coming. */
  submit(prompt: string): void {
    if (this.#disposed) return;
    if (this.#busy) {
      this.#queue.push(prompt);
      this.#options.publish();
      return;
    }
    void this.#start(prompt);
  }

  /** /compact: summarises the conversation now; prompts typed meanwhile wait in the queue. */
  compact(focus: string): void {
    if (this.#disposed) return;
    const { agent, transcript, publish } = this.#options;
    if (this.#busy) {
      transcript.notice('an answer is on its way: /compact once it is done', 'error');
      publish();
      return;
    }
    const generation = ++this.#generation;
    const controller = new AbortController();
    this.#busy = true;
    this.#controller = controller;
    const current = (): boolean => generation === this.#generation;
    const run = (async () => {
      const events = agent.compact(focus || undefined, controller.signal);
      for (let next = await events.next(); ; next = await events.next()) {
        if (next.done) {
          if (next.value && current()) transcript.notice(`could not compact: ${next.value.message}`, 'error');
          break;
        }
        if (!current()) continue;
        transcript.event(next.value);
        publish();
      }
    })().catch((err: unknown) => {
      if (current()) transcript.notice(`could not compact: ${err instanceof Error ? err.message : String(err)}`, 'error');
    });
    this.#running = run;
    publish();
    void run.then(() => {
      if (current()) this.#settle(generation);
    });
  }

  /** Stops the answer in progress: the request is aborted now, what arrived stays, marked.
   *  Queued prompts are dropped (they are in the input history). Returns false when idle. */
  interrupt(): boolean {
    if (!this.#busy) return false;
    const { transcript, publish } = this.#options;
    // Show everything that had arrived, then cut.
    for (const coalescer of this.#coalescers) coalescer.flushNow();
    this.#generation++;
    this.#controller?.abort();
    this.#controller = undefined;
    for (const coalescer of this.#coalescers) coalescer.dispose();
    this.#coalescers = [];
    transcript.interrupt();
    const dropped = this.#queue.splice(0);
    if (dropped.length > 0) {
      transcript.notice(`${dropped.length === 1 ? 'the queued prompt was' : `${dropped.length} queued prompts were`} not sent (↑ brings it back)`, 'dim');
    }
    this.#busy = false;
    publish();
    return true;
  }

  /** Stops everything for good (the app is closing). */
  dispose(): void {
    this.#disposed = true;
    this.#queue.splice(0);
    this.#generation++;
    this.#controller?.abort();
    for (const coalescer of this.#coalescers) coalescer.dispose();
    this.#coalescers = [];
  }

  async #start(prompt: string): Promise<void> {
    const { agent, transcript, publish } = this.#options;
    const generation = ++this.#generation;
    this.#busy = true;
    transcript.prompt(prompt);
    publish();

    // A cancelled run still finishing must put its partial answer in history first.
    await this.#running;
    if (generation !== this.#generation) return;

    const council = this.#options.council?.();
    const problem = council ? undefined : this.#options.preflight?.();
    if (problem !== undefined) {
      transcript.failBeforeStart(problem);
      this.#settle(generation);
      return;
    }

    const controller = new AbortController();
    this.#controller = controller;
    const current = (): boolean => generation === this.#generation;
    let inEvent = false;
    const frameMs = this.#options.frameMs ?? FRAME_MS;
    const publishText = this.#options.publishText ?? publish;
    /** Deltas into the transcript a frame at a time (an event shows them with its own publish). */
    const frames = (into: (delta: string) => void): Coalescer =>
      createCoalescer(
        (delta) => {
          if (!current()) return;
          into(delta);
          if (!inEvent) publishText();
        },
        { intervalMs: frameMs, leading: true },
      );
    const text = frames((delta) => transcript.text(delta));
    const reasoning = frames((delta) => transcript.reasoning(delta));
    this.#coalescers = [text, reasoning];

    const handle = (event: AgentEvent): void => {
      if (event.type === 'text') {
        reasoning.flushNow();
        text.push(event.delta);
        return;
      }
      if (event.type === 'reasoning') {
        text.flushNow();
        reasoning.push(event.delta);
        return;
      }
      inEvent = true;
      text.flushNow();
      reasoning.flushNow();
      inEvent = false;
      transcript.event(event);
      // usage and first_delta change the status line and the spinner; the rest the transcript
      publish();
    };

    const run = (async () => {
      try {
        if (council) {
          await runCouncilTurn({
            ...council,
            agent,
            transcript,
            prompt,
            signal: controller.signal,
            current,
            showRoster: (roster) => (this.#roster = roster),
            text: (delta) => text.push(delta),
            flushText: () => text.flushNow(),
            publish,
          });
          return;
        }
        for await (const event of agent.run(prompt, controller.signal)) {
          // Late events of a cancelled run are dropped; the loop still drains so the agent
          // finishes its bookkeeping (history) before the next prompt goes out.
          if (current()) handle(event);
        }
      } catch (err) {
        if (current()) transcript.failBeforeStart(err instanceof Error ? err.message : String(err));
      } finally {
        this.#roster = undefined;
        text.dispose();
        reasoning.dispose();
      }
    })();
    this.#running = run;
    await run;
    if (current()) this.#settle(generation);
  }

  #settle(generation: number): void {
    if (generation !== this.#generation) return;
    this.#busy = false;
    this.#controller = undefined;
    this.#coalescers = [];
    this.#options.publish();
    const next = this.#queue.shift();
    if (next !== undefined && !this.#disposed) void this.#start(next);
  }
}

/** The runner for a component: created once per mount, disposed on unmount. `publish` may
 *  change between renders; the latest one is called. */
export function useAgentRun(options: AgentRunnerOptions): AgentRunner {
  const latest = useRef(options);
  latest.current = options;
  const ref = useRef<AgentRunner | undefined>(undefined);
  if (ref.current === undefined) {
    ref.current = new AgentRunner({
      ...options,
      publish: () => latest.current.publish(),
      publishText: () => (latest.current.publishText ?? latest.current.publish)(),
      preflight: () => latest.current.preflight?.(),
    });
  }
  const runner = ref.current;
  useEffect(() => () => runner.dispose(), [runner]);
  return runner;
}
