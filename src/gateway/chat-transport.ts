// The contract between the platform-neutral gateway core (the stream consumer, the per-chat
// budget) and one chat platform's adapter (Telegram today; Discord or Slack later, one file
// each). Nothing here knows a platform: the core speaks markdown, the adapter renders it.

/** A message the bot sent, as the platform identifies it. */
export interface MessageRef {
  readonly id: string;
}

/** The platform refused a call for flood control; nothing may go to this chat for retryAfterMs. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited for ${Math.ceil(retryAfterMs / 1000)} s`,
  ) {
    super(message);
  }
}

/** The message can no longer be edited (deleted, too old, not the bot's): send a new one. */
export class MessageGoneError extends Error {
  override readonly name = 'MessageGoneError';
}

/** Native draft streaming failed (e.g. not a private chat): fall back to edits. */
export class DraftUnavailableError extends Error {
  override readonly name = 'DraftUnavailableError';
}

/** One chat, as the gateway core sees it. Methods do not take budget: callers do. */
export interface ChatTransport {
  /** Longest text one message holds, in the platform's units, after rendering. */
  readonly maxLength: number;
  /**
   * Splits markdown whose rendered text is longer than maxLength into a head that fits (cut at
   * a paragraph or line boundary, never inside a code block, a surrogate pair or a formatting
   * entity) and the rest (a code block cut in two is reopened there). undefined when it fits.
   */
  splitHead(markdown: string): { head: string; rest: string } | undefined;
  /** Sends a new message. Throws RateLimitedError on flood control. */
  send(markdown: string): Promise<MessageRef>;
  /**
   * Replaces a message's text. Resolves when the platform says it is unchanged too.
   * Throws RateLimitedError or MessageGoneError.
   */
  edit(ref: MessageRef, markdown: string): Promise<void>;
  /** Native draft streaming (Telegram sendMessageDraft), when the platform has it. */
  draft?(markdown: string): Promise<void>;
  /** Shows "typing…" for a few seconds. */
  typing(): Promise<void>;
}

/** Flood control for one chat, shared by everything that talks to it. */
export interface ChatBudget {
  /** true, counting the call, when one may be made now (no retry_after window, under budget). */
  tryTake(): boolean;
  /** Waits until a call may be made (after any retry_after window and within budget), counts it. */
  take(signal?: AbortSignal): Promise<void>;
  /** A 429: no call to this chat until retryAfterMs has passed. */
  pause(retryAfterMs: number): void;
  /** true while a retry_after window runs: calls that take no budget (typing) wait too. */
  isPaused?(): boolean;
}
