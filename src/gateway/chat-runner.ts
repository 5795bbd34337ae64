// One chat's agent runs, platform-neutral: a message becomes a run whose text streams through
// the stream consumer, whose tools report in one status message, and whose end (finished,
// stopped, failed) is said in the chat. One run at a time per chat: a message arriving while an
// answer streams waits its turn (gateway.busy "queue") or stops the answer ("interrupt").

import type { RunResult } from '../agent/events.js';
import { redactSecrets } from '../stream/redact.js';
import type { ChatBudget, ChatTransport } from './chat-transport.js';
import type { ChatConversation } from './chat-conversation.js';
import type { GatewaySettings } from './settings.js';
import { ToolStatus } from './tool-status.js';

export interface IncomingMessage {
  userId: number;
  text: string;
}

/** One streamed answer (the stream consumer's side the runner uses): text in, the final text exactly once. */
export interface AnswerStream {
  push(delta: string): void;
  /** Delivers the final text (plus an optional note, e.g. that it was stopped). */
  finish(options?: { note?: string }): Promise<unknown>;
}

export interface ChatRunnerOptions {
  /** For the log: e.g. "chat 42" or "chat -100123 topic 7". */
  label: string;
  transport: ChatTransport;
  budget: ChatBudget;
  settings: GatewaySettings;
  conversation: ChatConversation;
  startAnswer: () => AnswerStream;
  secrets: readonly string[];
  log: (line: string) => void;
}

interface Turn {
  userId: number;
  controller: AbortController;
  /** Said at the end of the stopped answer. */
  stopNote?: string;
}

export const STOPPED_NOTE = '⏹ stopped';

export class ChatRunner {
  readonly #options: ChatRunnerOptions;
  readonly #queue: IncomingMessage[] = [];
  #turn: Turn | undefined;
  #draining: Promise<void> | undefined;

  constructor(options: ChatRunnerOptions) {
    this.#options = options;
  }

  get conversation(): ChatConversation {
    return this.#options.conversation;
  }

  /** The running turn's user and signal (for approvals). */
  get turn(): { userId: number; signal: AbortSignal } | undefined {
    return this.#turn && { userId: this.#turn.userId, signal: this.#turn.controller.signal };
  }

  get busy(): boolean {
    return this.#turn !== undefined;
  }

  receive(message: IncomingMessage): void {
    if (this.#turn && this.#options.settings.busy === 'interrupt') this.stop(`${STOPPED_NOTE}: a new message came in`);
    this.#queue.push(message);
    this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
  }

  /** Stops the running answer (its partial text stays); true when one was running. Queued messages are dropped. */
  stop(note = STOPPED_NOTE): boolean {
    this.#queue.length = 0;
    const turn = this.#turn;
    if (!turn) return false;
    turn.stopNote ??= note;
    turn.controller.abort();
    return true;
  }

  /** Resolves when nothing runs any more. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
      try {
        await this.#answer(next);
      } catch (err) {
        this.#options.log(`${this.#options.label}: ${this.#oneLine(err instanceof Error ? err.message : String(err))}`);
      }
    }
  }

  async #answer(message: IncomingMessage): Promise<void> {
    const { conversation, transport, budget } = this.#options;
    const turn: Turn = { userId: message.userId, controller: new AbortController() };
    this.#turn = turn;
    const started = performance.now();
    // Created before the first token, so the chat shows "typing…" while the model thinks.
    let answer: AnswerStream | undefined = this.#options.startAnswer();
    let status: ToolStatus | undefined;
    let result: RunResult | undefined;
    let failure: string | undefined;
    try {
      for await (const event of conversation.agent.run(message.text, turn.controller.signal)) {
        switch (event.type) {
          case 'text':
            (answer ??= this.#options.startAnswer()).push(event.delta);
            break;
          case 'message':
            // The text before a tool call is its own message; what follows the tools starts a new one.
            if (event.message.toolCalls.length > 0) {
              await answer?.finish();
              answer = undefined;
            }
            break;
          case 'tool_finished':
            status?.set(event.id, event.name, event.isError ? (/^denied/.test(event.content) ? 'denied' : 'failed') : 'done');
            // The answer after the tools goes below their status message, never above it.
            answer ??= afterwards(status?.settled() ?? Promise.resolve(), this.#options.startAnswer);
            break;
          case 'tool_started':
            (status ??= new ToolStatus(transport, budget, (err) => this.#logFailure('tool status', err))).set(event.id, event.name, 'running');
            break;
          case 'error':
            failure = event.error.message;
            break;
          case 'finished':
            result = event.result;
            break;
        }
      }
    } finally {
      this.#turn = undefined;
    }
    await status?.settled();

    const note =
      result?.status === 'interrupted'
        ? (turn.stopNote ?? STOPPED_NOTE)
        : result?.status === 'error'
          ? `⚠️ ${this.#oneLine(failure ?? 'the model failed')}`
          : result?.status === 'max_turns'
            ? '⚠️ stopped: too many tool rounds in one answer'
            : undefined;
    await (answer ?? this.#options.startAnswer()).finish({ note });
    const usage = result?.usage;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.#options.log(
      `${this.#options.label} user ${message.userId}: ${result?.status ?? 'failed'} in ${seconds} s, ${usage?.inputTokens ?? 0} in / ${usage?.outputTokens ?? 0} out tokens`,
    );
  }

  #logFailure(what: string, err: unknown): void {
    this.#options.log(`${this.#options.label}: ${what} failed: ${this.#oneLine(err instanceof Error ? err.message : String(err))}`);
  }

  #oneLine(text: string): string {
    return redactSecrets(text, this.#options.secrets).replace(/\s*\n\s*/g, ' ');
  }
}

/** An answer stream that starts once `ready` settles; text arriving before then waits for it. */
function afterwards(ready: Promise<void>, start: () => AnswerStream): AnswerStream {
  let stream: AnswerStream | undefined;
  const early: string[] = [];
  const started = ready.then(() => {
    stream = start();
    for (const delta of early.splice(0)) stream.push(delta);
    return stream;
  });
  return {
    push(delta) {
      if (stream) stream.push(delta);
      else early.push(delta);
    },
    async finish(options) {
      return (await started).finish(options);
    },
  };
}
