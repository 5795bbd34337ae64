// Tool progress in a chat: one status message, edited in place, one line per call (running,
// done, failed), never a message per call. Only tool names are shown: arguments stay out of
// the chat. Updates are coalesced: while a call to the platform is in flight (or waits for the
// chat's budget) newer lines replace older ones, so no identical edit is ever sent.

import { MessageGoneError, RateLimitedError, type ChatBudget, type ChatTransport, type MessageRef } from './chat-transport.js';

export type ToolState = 'running' | 'done' | 'failed' | 'denied';

const MARK: Record<ToolState, string> = { running: '⏳', done: '✅', failed: '❌', denied: '🚫' };

interface Line {
  id: string;
  name: string;
  state: ToolState;
  note?: string;
}

export class ToolStatus {
  readonly #transport: ChatTransport;
  readonly #budget: ChatBudget;
  readonly #onError: (err: unknown) => void;
  readonly #lines: Line[] = [];
  #ref: MessageRef | undefined;
  #shown = '';
  #pump: Promise<void> | undefined;

  constructor(transport: ChatTransport, budget: ChatBudget, onError: (err: unknown) => void) {
    this.#transport = transport;
    this.#budget = budget;
    this.#onError = onError;
  }

  set(id: string, name: string, state: ToolState, note?: string): void {
    const line = this.#lines.find((l) => l.id === id);
    if (line) Object.assign(line, { state, note });
    else this.#lines.push({ id, name, state, note });
    this.#pump ??= this.#run().finally(() => (this.#pump = undefined));
  }

  /** Resolves once the chat shows the latest lines (or showing them failed). */
  async settled(): Promise<void> {
    while (this.#pump) await this.#pump;
  }

  #text(): string {
    return this.#lines.map((l) => `${MARK[l.state]} \`${l.name}\` ${l.state}${l.note ? `: ${l.note}` : ''}`).join('\n');
  }

  async #run(): Promise<void> {
    for (let wanted = this.#text(); wanted !== this.#shown; wanted = this.#text()) {
      try {
        await this.#budget.take();
        wanted = this.#text(); // the freshest lines, after the wait
        if (wanted === this.#shown) return;
        if (this.#ref) await this.#transport.edit(this.#ref, wanted);
        else this.#ref = await this.#transport.send(wanted);
        this.#shown = wanted;
      } catch (err) {
        if (err instanceof RateLimitedError) this.#budget.pause(err.retryAfterMs);
        else if (err instanceof MessageGoneError) {
          this.#ref = undefined;
          this.#shown = '';
        }
        else {
          this.#onError(err);
          return;
        }
      }
    }
  }
}
