// The turn loop: one user prompt in, a stream of AgentEvents out, tools run in between.
// It owns history, retries, the per-request streaming fallback and interrupts; it knows
// nothing of wire formats (providers) or of how anything is displayed (front ends).

import { DEFAULT_MAX_TURNS } from './config.js';
import { CompactionError, type Compaction, type Compactor } from './context/compactor.js';
import { fillsWindow, isContextOverflow, windowFromOverflow } from './context/overflow.js';
import type { AgentEvent, RunResult, RunStatus } from './events.js';
import { createProvider } from './providers/index.js';
import { DEFAULT_RETRY, RequestRetries, sleep, type RetryPolicy } from './retry.js';
import { addUsage, interruptedUsage } from './usage.js';
import { NO_TOOLS, type ToolRegistry } from './tools.js';
import {
  emptyAssistantMessage,
  type AssistantMessage,
  type ChatMessage,
  type Provider,
  type ProviderConnection,
  type ProviderError,
  type PromptCache,
  type ProviderId,
  type RequestOptions,
  type StopReason,
  type ToolCall,
  type ToolDefinition,
  type Usage,
} from './types.js';

export interface AgentOptions {
  provider: ProviderId;
  model: string;
  connection: ProviderConnection;
  system?: string;
  tools?: ToolRegistry;
  /** Model requests allowed for one prompt (each tool round trip is one). */
  maxTurns?: number;
  /** false: ask for complete responses instead of streams (--no-stream). */
  stream?: boolean;
  cwd?: string;
  maxOutputTokens?: number;
  /** Sampling and output options sent with every request (a forced tool choice: the first only). */
  requestOptions?: RequestOptions;
  /**
   * Tools the caller runs itself (hermes serve's clients' tools), offered beside the registry's.
   * A call of one ends the run with `pendingToolCalls`.
   */
  clientTools?: ToolDefinition[];
  retry?: Partial<RetryPolicy>;
  /**
   * Called synchronously with every message as it enters the history, before the next
   * request is sent: a session store writes it to disk here, so a crash loses at most the
   * answer in flight.
   */
  onMessage?: (message: ChatMessage) => void;
  /** Prompt caching (the session id as key, Anthropic's ttl); absent: no cache hints sent. */
  cache?: PromptCache;
  /** Keeps the conversation inside the model's context window; absent: no compaction. */
  compactor?: Compactor;
  /** The model that writes compaction summaries (config compaction.model); default: the agent's. */
  compactionModel?: string;
  /** Called with every compaction, before the next request: a session store records it. */
  onCompaction?: (compaction: Compaction) => void;
  /** Where provider adapters come from; tests and alternative front ends may swap it. */
  providerFactory?: (id: ProviderId, connection: ProviderConnection) => Promise<Provider>;
}

/** How one model request ended, after retries and fallbacks. */
type RequestOutcome =
  | { kind: 'done'; message: AssistantMessage; stopReason: StopReason }
  | { kind: 'error'; message: AssistantMessage; error: ProviderError; visible: boolean }
  | { kind: 'aborted'; message: AssistantMessage };

export const INTERRUPTED_TOOL_RESULT = 'interrupted by the user before the tool finished';

export class Agent {
  readonly history: ChatMessage[] = [];
  /** Tokens used by every request this agent has sent. */
  readonly usage: Usage = { inputTokens: 0, outputTokens: 0 };
  requestCount = 0;
  /** What the server reported for the latest request (cache reads and writes included). */
  lastUsage: Usage | undefined;

  private options: AgentOptions;
  /** The name the server gave the model in its latest answer, when it gave one. */
  private answeredModel: string | undefined;
  private provider: Promise<Provider> | undefined;
  private readonly retry: RetryPolicy;

  constructor(options: AgentOptions) {
    this.options = { ...options };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  get model(): string {
    return this.options.model;
  }

  /** The model as the server names it (llama.cpp names the file it loaded), else as configured. */
  get reportedModel(): string {
    return this.answeredModel ?? this.options.model;
  }

  get providerId(): ProviderId {
    return this.options.provider;
  }

  get system(): string | undefined {
    return this.options.system;
  }

  setModel(model: string): void {
    this.options.model = model;
    this.answeredModel = undefined;
  }

  /** Switches provider (and its connection); history is kept. */
  setProvider(id: ProviderId, connection: ProviderConnection): void {
    this.options = { ...this.options, provider: id, connection };
    this.provider = undefined;
    this.answeredModel = undefined;
  }

  /** Loads the provider's code now (its SDK takes tens of milliseconds to load), so that the
   *  first prompt does not wait for it. Sends nothing; a failure surfaces on the first run. */
  warmUp(): void {
    this.getProvider().catch(() => {});
  }

  get compactor(): Compactor | undefined {
    return this.options.compactor;
  }

  /** Tokens the next request would use: the server's last count plus what was added since. */
  contextInUse(): number | undefined {
    if (this.history.length === 0) return undefined;
    return this.options.compactor?.estimate(this.history, this.options.system, this.toolDefinitions());
  }

  setSystem(system: string | undefined): void {
    this.options.system = system;
  }

  /** Starts a new conversation. */
  clear(): void {
    this.history.length = 0;
    this.lastUsage = undefined;
    this.options.compactor?.reset();
  }

  /**
   * Runs one user prompt to the end, tools included. The last event is always `finished`.
   * Never throws. After `signal` aborts, no further model output is yielded. Without a prompt
   * the conversation as loaded goes on (its last messages answer client tool calls).
   */
  async *run(prompt: string | undefined, signal: AbortSignal = new AbortController().signal): AsyncGenerator<AgentEvent> {
    if (prompt !== undefined) this.remember({ role: 'user', content: prompt });
    const maxTurns = this.options.maxTurns ?? DEFAULT_MAX_TURNS;
    const runUsage: Usage = { inputTokens: 0, outputTokens: 0 };
    const finish = (status: RunStatus, extra: Partial<RunResult> = {}): AgentEvent => ({
      type: 'finished',
      result: { status, usage: runUsage, ...extra },
    });

    for (let turn = 1; ; turn++) {
      const compactor = this.options.compactor;
      if (compactor?.needed(this.history, this.options.system, this.toolDefinitions())) {
        // A result that still looks too large is sent all the same: the estimate may be wrong,
        // and a server that refuses it gets one more compaction, then the error.
        const failure = yield* this.compactHistory(signal, {});
        if (failure && !failure.tooLarge) {
          yield { type: 'error', error: failure, partial: false };
          yield finish(signal.aborted ? 'interrupted' : 'error', { error: failure });
          return;
        }
      }
      const outcome = yield* this.request(turn, signal, runUsage);

      if (outcome.kind === 'aborted') {
        const message = { ...outcome.message, interrupted: true };
        this.recordInterrupted(message);
        yield { type: 'interrupted', message };
        yield finish('interrupted', { message });
        return;
      }
      if (outcome.kind === 'error') {
        const message = { ...outcome.message, error: outcome.error.message };
        // A partial answer stays in history so the conversation reads as the user saw it.
        if (outcome.visible) this.recordInterrupted(message);
        yield { type: 'error', error: outcome.error, partial: outcome.visible };
        yield finish('error', { message, error: outcome.error });
        return;
      }

      const { message, stopReason } = outcome;
      if (message.model) this.answeredModel = message.model;
      this.remember(message);
      yield { type: 'message', message };

      if (message.toolCalls.length === 0 || stopReason !== 'tool_calls') {
        const contextFull = stopReason === 'length' && fillsWindow(this.lastUsage, compactor?.window);
        yield finish('completed', { message, stopReason, ...(contextFull ? { contextFull } : {}) });
        return;
      }

      const clientNames = new Set((this.options.clientTools ?? []).map((tool) => tool.name));
      const pending = message.toolCalls.filter((call) => clientNames.has(call.name));
      const own = pending.length === 0 ? message.toolCalls : message.toolCalls.filter((call) => !clientNames.has(call.name));
      const interrupted = yield* this.runTools(own, signal);
      if (!interrupted && pending.length > 0) {
        yield finish('completed', { message, stopReason, pendingToolCalls: pending });
        return;
      }
      if (interrupted) {
        yield { type: 'interrupted', message };
        yield finish('interrupted', { message });
        return;
      }
      if (turn >= maxTurns) {
        yield finish('max_turns', { message, stopReason });
        return;
      }
    }
  }

  /** One model request, with retries and the streaming fallback. */
  private async *request(turn: number, signal: AbortSignal, runUsage: Usage): AsyncGenerator<AgentEvent, RequestOutcome> {
    let stream = this.options.stream ?? true;
    let compactedForOverflow = false;
    const retries = new RequestRetries(this.retry, this.options.connection.firstByteTimeoutMs);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return { kind: 'aborted', message: emptyAssistantMessage() };
      yield { type: 'request_start', turn, attempt };
      this.requestCount++;

      // What the user has actually been shown; after an abort this, not whatever the
      // adapter received late, is what the history keeps.
      const shown = emptyAssistantMessage();
      const textParts: string[] = [];
      const reasoningParts: string[] = [];
      let visible = false;
      let reported = false;
      let last: { type: 'done'; stopReason: StopReason; message: AssistantMessage } | { type: 'error'; error: ProviderError; message: AssistantMessage } | undefined;

      let provider: Provider;
      try {
        provider = await this.getProvider();
      } catch (err) {
        this.provider = undefined;
        const error: ProviderError = { kind: 'bad_request', retryable: false, message: `could not load the ${this.options.provider} provider: ${err instanceof Error ? err.message : String(err)}` };
        return { kind: 'error', message: shown, error, visible: false };
      }

      const sentMessages = this.history.length;
      // The SDKs add an abort listener to the signal of every request and never remove it: on
      // the run's own signal, a dozen tool round trips would print MaxListenersExceededWarning.
      // Each request gets a signal of its own, linked to the run's only while it lasts.
      const requestAbort = new AbortController();
      const abortRequest = (): void => requestAbort.abort(signal.reason);
      signal.addEventListener('abort', abortRequest, { once: true });
      const events = provider.stream({
        model: this.options.model,
        system: this.options.system,
        messages: this.history,
        tools: this.toolDefinitions(),
        stream,
        maxOutputTokens: this.options.maxOutputTokens,
        options: turn === 1 ? this.options.requestOptions : laterTurnOptions(this.options.requestOptions),
        ...(this.options.cache ? { cache: this.options.cache } : {}),
        signal: requestAbort.signal,
      });

      try {
        for await (const event of events) {
          if (event.type === 'done' || event.type === 'error') {
            last = event;
            continue;
          }
          if (signal.aborted) continue; // late events of a cancelled turn are dropped
          switch (event.type) {
            case 'text':
            case 'reasoning':
            case 'tool_call_start':
              if (!visible) {
                visible = true;
                yield { type: 'first_delta' };
              }
              if (event.type === 'text') textParts.push(event.delta);
              else if (event.type === 'reasoning') reasoningParts.push(event.delta);
              yield event;
              break;
            case 'tool_call':
              shown.toolCalls.push({ id: event.id, name: event.name, arguments: event.arguments });
              yield event;
              break;
            case 'usage':
              reported = true;
              addUsage(runUsage, event.usage);
              addUsage(this.usage, event.usage);
              this.lastUsage = event.usage;
              this.options.compactor?.observe(event.usage, sentMessages);
              yield { type: 'usage', usage: event.usage, total: { ...this.usage } };
              break;
          }
        }
      } finally {
        signal.removeEventListener('abort', abortRequest);
      }
      shown.content = textParts.join('');
      shown.reasoning = reasoningParts.join('');

      if (signal.aborted || (last?.type === 'error' && last.error.kind === 'aborted')) {
        // Keep thinking blocks the adapter completed (they carry signatures), but only the
        // text the user saw.
        shown.reasoningBlocks = last?.message.reasoningBlocks.filter((block) => block.signature || block.redactedData) ?? [];
        // The server worked on the prompt and the part that arrived: it counts, estimated.
        if (visible && !reported) {
          const estimate = interruptedUsage(this.options.compactor?.estimate(this.history.slice(0, sentMessages), this.options.system, this.toolDefinitions()) ?? 0, shown);
          addUsage(runUsage, estimate);
          addUsage(this.usage, estimate);
        }
        return { kind: 'aborted', message: shown };
      }
      if (!last) {
        const error: ProviderError = { kind: 'network', retryable: true, message: 'the stream ended before the answer was complete' };
        last = { type: 'error', error, message: shown };
      }
      if (last.type === 'done') return { kind: 'done', message: last.message, stopReason: last.stopReason };

      const error = last.error;
      // Too long for the model: compact and send it once more (never in a loop).
      if (!visible && !compactedForOverflow && this.options.compactor?.enabled && isContextOverflow(error)) {
        compactedForOverflow = true;
        this.options.compactor.learnFromOverflow(windowFromOverflow(error.message), this.options.compactor.estimate(this.history, this.options.system, this.toolDefinitions()));
        const failure = yield* this.compactHistory(signal, { force: true });
        if (failure) return { kind: 'error', message: shown, error: failure, visible: false };
        attempt--;
        continue;
      }
      if (error.streamingRejected && stream && !visible) {
        stream = false;
        attempt--; // the fallback is not a retry of a failure
        yield { type: 'fallback', reason: 'the server does not stream; asking for the whole answer at once' };
        continue;
      }
      const delay = retries.delay(error, attempt, visible);
      if (delay === undefined) {
        const message = visible ? { ...last.message, content: shown.content, reasoning: shown.reasoning, toolCalls: shown.toolCalls } : shown;
        return { kind: 'error', message, error, visible };
      }
      yield { type: 'retrying', attempt: attempt + 1, delayMs: delay, reason: error.message };
      if (!(await sleep(delay, signal))) return { kind: 'aborted', message: emptyAssistantMessage() };
    }
  }

  /**
   * Compacts the history (see src/agent/context). Yields `compacted`; returns the failure, if
   * any, as a ProviderError so every front end reports it like any other.
   */
  private async *compactHistory(signal: AbortSignal, options: { force?: boolean; focus?: string }): AsyncGenerator<AgentEvent, (ProviderError & { tooLarge?: boolean }) | undefined> {
    const compactor = this.options.compactor;
    if (!compactor) return { kind: 'bad_request', retryable: false, message: 'compaction is switched off' };
    yield { type: 'compacting' };
    try {
      const compaction = await compactor.compact(this.history, {
        system: this.options.system,
        tools: this.toolDefinitions(),
        summariser: (system, prompt, summarySignal) => this.summarise(system, prompt, summarySignal),
        signal,
        ...options,
      });
      this.history.length = 0;
      this.history.push(...compaction.history);
      this.options.onCompaction?.(compaction);
      yield { type: 'compacted', before: compaction.before, after: compaction.after, summarised: compaction.summary !== undefined };
      return compaction.tooLarge ? { kind: 'bad_request', retryable: false, message: compaction.tooLarge, tooLarge: true } : undefined;
    } catch (err) {
      if (signal.aborted) return { kind: 'aborted', retryable: false, message: 'interrupted' };
      const message = err instanceof CompactionError ? err.message : `compaction failed: ${err instanceof Error ? err.message : String(err)}`;
      return { kind: 'bad_request', retryable: false, message };
    }
  }

  /** Compacts on request (/compact [focus]). */
  compact(focus?: string, signal: AbortSignal = new AbortController().signal): AsyncGenerator<AgentEvent, ProviderError | undefined> {
    return this.compactHistory(signal, { force: true, ...(focus ? { focus } : {}) });
  }

  /** One request without tools that returns the model's text: the compaction summary. */
  private async summarise(system: string, prompt: string, signal: AbortSignal): Promise<string> {
    const provider = await this.getProvider();
    const events = provider.stream({
      model: this.options.compactionModel ?? this.options.model,
      system,
      messages: [{ role: 'user', content: prompt }],
      tools: [],
      stream: this.options.stream ?? true,
      maxOutputTokens: this.options.maxOutputTokens,
      signal,
    });
    const parts: string[] = [];
    for await (const event of events) {
      if (event.type === 'text') parts.push(event.delta);
      else if (event.type === 'usage') addUsage(this.usage, event.usage);
      else if (event.type === 'error') throw new CompactionError(`compaction failed: ${event.error.message}`);
    }
    return parts.join('');
  }

  /** What the model is offered: hermes' own tools and those a client of `hermes serve` defined. */
  toolDefinitions() {
    return [...(this.options.tools ?? NO_TOOLS).definitions(), ...(this.options.clientTools ?? [])];
  }

  /** Runs the calls in order. Returns true when interrupted; every call gets a result either way. */
  private async *runTools(calls: ToolCall[], signal: AbortSignal): AsyncGenerator<AgentEvent, boolean> {
    const registry = this.options.tools ?? NO_TOOLS;
    const cwd = this.options.cwd ?? process.cwd();
    for (const call of calls) {
      if (signal.aborted) {
        this.remember({ role: 'tool', toolCallId: call.id, name: call.name, content: INTERRUPTED_TOOL_RESULT, isError: true });
        continue;
      }
      yield { type: 'tool_started', id: call.id, name: call.name, arguments: call.arguments };
      const result = await registry.run(call, { signal, cwd });
      const content = signal.aborted ? INTERRUPTED_TOOL_RESULT : result.content;
      const isError = signal.aborted || result.isError === true;
      this.remember({ role: 'tool', toolCallId: call.id, name: call.name, content, isError });
      yield { type: 'tool_finished', id: call.id, name: call.name, content, isError };
    }
    return signal.aborted;
  }

  /** Puts a cut-short answer in history and answers its tool calls so the next request is valid. */
  private recordInterrupted(message: AssistantMessage): void {
    const hasContent = message.content !== '' || message.toolCalls.length > 0 || message.reasoningBlocks.length > 0;
    if (!hasContent) return;
    this.remember(message);
    for (const call of message.toolCalls) {
      this.remember({ role: 'tool', toolCallId: call.id, name: call.name, content: INTERRUPTED_TOOL_RESULT, isError: true });
    }
  }

  private remember(message: ChatMessage): void {
    this.history.push(message);
    this.options.onMessage?.(message);
  }

  /** Replaces the conversation (a resumed session); onMessage is not called for these. */
  load(messages: readonly ChatMessage[]): void {
    this.history.length = 0;
    this.history.push(...messages);
  }

  private getProvider(): Promise<Provider> {
    const factory = this.options.providerFactory ?? createProvider;
    this.provider ??= factory(this.options.provider, this.options.connection);
    return this.provider;
  }
}

/**
 * Options for the requests after the agent ran its own tools: a forced tool choice ('required',
 * or a named tool) would force another call on every round until maxTurns.
 */
function laterTurnOptions(options: RequestOptions | undefined): RequestOptions | undefined {
  if (options?.toolChoice === undefined || options.toolChoice === 'none' || options.toolChoice === 'auto') return options;
  return { ...options, toolChoice: 'auto' };
}
