// How much of a context window a conversation may fill before hermes compacts it, and how much
// compaction keeps. Every size scales with the window, so a 12,000-token local model compacts
// as well as a 200,000-token one.

export interface CompactionLimits {
  window: number;
  /** A request estimated above this is compacted first. */
  threshold: number;
  /** The newest tool output kept whole, in tokens. */
  keepToolTokens: number;
  /** The recent part of the conversation kept verbatim, in tokens. */
  keepRecentTokens: number;
}

export interface LimitOptions {
  /** The output limit asked of the model, when one is set. */
  maxOutputTokens?: number;
  /** config compaction.threshold: a fraction of the window. */
  thresholdFraction?: number;
}

export function compactionLimits(window: number, options: LimitOptions = {}): CompactionLimits {
  const reserve = Math.min(options.maxOutputTokens ?? 16_000, 16_000, Math.floor(window / 4));
  const fraction = options.thresholdFraction;
  const threshold = fraction !== undefined && fraction > 0 && fraction <= 1 ? Math.floor(window * fraction) : window - reserve;
  return {
    window,
    threshold,
    keepToolTokens: Math.min(40_000, Math.floor(window / 3)),
    keepRecentTokens: Math.min(20_000, Math.floor(window / 3)),
  };
}
