// Keeps one agent's conversation inside its model's context window: estimates the next
// request from what the server last counted plus what was added since, and compacts the
// history before a request that would not fit (or after the server said it did not).

import { totalInputTokens, type ChatMessage, type ToolDefinition, type Usage } from '../types.js';
import { compactedHistory, planSummary, shortenToolResults } from './compaction.js';
import { compactionLimits, type CompactionLimits } from './limits.js';
import { SUMMARY_SYSTEM, summaryPrompt } from './summary-request.js';
import { estimateTokens, messagesTokens, toolDefinitionTokens } from './tokens.js';

/** After shortening tool output, a request above this share of the threshold is summarised too. */
const SUMMARISE_ABOVE = 0.8;

export interface CompactionSettings {
  /** The model's context window, in tokens. */
  window: number;
  /** config compaction.enabled (default true). */
  enabled?: boolean;
  /** config compaction.threshold: a fraction of the window. */
  thresholdFraction?: number;
  maxOutputTokens?: number;
}

/** Asks a model for a summary: (system, prompt) -> its text. */
export type Summariser = (system: string, prompt: string, signal: AbortSignal) => Promise<string>;

export interface Compaction {
  /** The history to continue with. */
  history: ChatMessage[];
  /** Estimated tokens of the request before and after. */
  before: number;
  after: number;
  /** The summary, when one replaced the older part (else only tool output was shortened). */
  summary?: string;
  /** How many messages of the previous history the new one replaces (all of them). */
  replaces: number;
  /** Why the result still does not fit, when it does not (the recent part alone is too large). */
  tooLarge?: string;
}

export class CompactionError extends Error {
  override readonly name = 'CompactionError';
}

export class Compactor {
  private limits: CompactionLimits;
  /** Input tokens of the last request as the server counted them, and the history length then. */
  private counted?: { tokens: number; messages: number };

  constructor(private settings: CompactionSettings) {
    this.limits = compactionLimits(settings.window, settings);
  }

  get window(): number {
    return this.settings.window;
  }

  get enabled(): boolean {
    return this.settings.enabled !== false;
  }

  setWindow(window: number): void {
    this.settings = { ...this.settings, window };
    this.limits = compactionLimits(window, this.settings);
  }

  /**
   * The server refused a request as too long: its window is what the error names, or else
   * smaller than that request. Returns whether the window shrank.
   */
  learnFromOverflow(named: number | undefined, refusedTokens: number): boolean {
    const window = named ?? Math.floor(refusedTokens * 0.9);
    if (window >= this.settings.window) return false;
    this.setWindow(window);
    return true;
  }

  /** The server's count of a request that sent `messages` messages (cache reads and writes are part of it). */
  observe(usage: Usage, messages: number): void {
    const tokens = totalInputTokens(usage);
    if (tokens > 0) this.counted = { tokens, messages };
  }

  /** Forget the server's count (the history was replaced). */
  reset(): void {
    this.counted = undefined;
  }

  /** Tokens the next request would use. */
  estimate(history: readonly ChatMessage[], system: string | undefined, tools: readonly ToolDefinition[]): number {
    const counted = this.counted;
    if (counted && counted.messages <= history.length) return counted.tokens + messagesTokens(history.slice(counted.messages));
    return estimateTokens(system ?? '') + toolDefinitionTokens(tools) + messagesTokens(history);
  }

  /** Would the next request go over the threshold? */
  needed(history: readonly ChatMessage[], system: string | undefined, tools: readonly ToolDefinition[]): boolean {
    return this.enabled && this.estimate(history, system, tools) > this.limits.threshold;
  }

  /**
   * Compacts `history`: shortens old tool output, then, if that is not enough (or `summarise`
   * is forced by /compact or a server's overflow error), replaces the older part by a summary.
   * A result that still does not fit says so in `tooLarge` (the server has the last word on
   * an estimate). Throws CompactionError when the summary cannot be had.
   */
  async compact(
    history: readonly ChatMessage[],
    request: { system?: string; tools: readonly ToolDefinition[]; summariser: Summariser; signal: AbortSignal; force?: boolean; focus?: string },
  ): Promise<Compaction> {
    const fixed = estimateTokens(request.system ?? '') + toolDefinitionTokens(request.tools);
    const before = Math.max(this.estimate(history, request.system, request.tools), fixed + messagesTokens(history));
    const goal = this.limits.threshold;
    let current = shortenToolResults(history, this.limits.keepToolTokens);
    let summary: string | undefined;
    // Shortened output that still leaves the request near the threshold would only bring the
    // next compaction a turn closer: then the older part is summarised as well.
    if (request.force || fixed + messagesTokens(current) > goal * SUMMARISE_ABOVE) {
      const plan = planSummary(current, this.limits.keepRecentTokens);
      if (plan) {
        const prompt = summaryPrompt(plan.older, plan.previousSummary, request.focus);
        summary = (await request.summariser(SUMMARY_SYSTEM, prompt, request.signal)).trim();
        if (!summary) throw new CompactionError('compaction failed: the model returned an empty summary');
        current = compactedHistory(summary, plan);
      }
    }
    const after = fixed + messagesTokens(current);
    // Never a loop of compactions that do not free enough: the caller stops with this.
    const tooLarge =
      after > goal * 0.95
        ? `the conversation does not fit the context window even after compaction (${format(after)} of ${format(this.settings.window)} tokens, the recent part alone is too large); start a new conversation or raise contextWindow`
        : undefined;
    this.reset();
    return { history: current, before, after, ...(summary !== undefined ? { summary } : {}), replaces: history.length, ...(tooLarge ? { tooLarge } : {}) };
  }
}

function format(tokens: number): string {
  return tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : String(tokens);
}
