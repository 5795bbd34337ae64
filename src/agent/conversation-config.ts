// The configuration of a conversation that lasts (config.json keys beside the model's):
// appendSystem, contextWindow (top level or in a provider's section), compaction and cache.
// Checked like the rest of the file: a bad value names the file and the key.

import type { ConfigError } from './config.js';

export interface CompactionFileConfig {
  /** false: never compact (a long conversation ends with the server's overflow error). */
  enabled?: boolean;
  /** A fraction of the window (0 < t <= 1) above which a request is compacted first. */
  threshold?: number;
  /** The model that writes summaries; default: the conversation's. */
  model?: string;
}

export interface ConversationFileConfig {
  appendSystem?: string;
  contextWindow?: number;
  compaction?: CompactionFileConfig;
  /** enabled: false sends no cache hints (Anthropic breakpoints, OpenAI's cache key). */
  cache?: { ttl?: '5m' | '1h'; enabled?: boolean };
}

type Bad = (key: string, expected: string, value: unknown) => ConfigError;

export function validateConversationConfig(data: Record<string, unknown>, bad: Bad): ConversationFileConfig {
  const out: ConversationFileConfig = {};
  if (data.appendSystem !== undefined) {
    if (typeof data.appendSystem !== 'string') throw bad('appendSystem', 'a string', data.appendSystem);
    out.appendSystem = data.appendSystem;
  }
  if (data.contextWindow !== undefined) out.contextWindow = contextWindowValue('contextWindow', data.contextWindow, bad);
  if (data.compaction !== undefined) {
    const section = data.compaction;
    if (!isObject(section)) throw bad('compaction', 'an object like {"enabled": true, "threshold": 0.8}', section);
    const compaction: CompactionFileConfig = {};
    if (section.enabled !== undefined) {
      if (typeof section.enabled !== 'boolean') throw bad('compaction.enabled', 'true or false', section.enabled);
      compaction.enabled = section.enabled;
    }
    if (section.threshold !== undefined) {
      const t = section.threshold;
      if (typeof t !== 'number' || !(t > 0 && t <= 1)) throw bad('compaction.threshold', 'a fraction of the window above 0 and at most 1', t);
      compaction.threshold = t;
    }
    if (section.model !== undefined) {
      if (typeof section.model !== 'string' || section.model.trim() === '') throw bad('compaction.model', 'a non-empty string', section.model);
      compaction.model = section.model;
    }
    out.compaction = compaction;
  }
  if (data.cache !== undefined) {
    const section = data.cache;
    if (!isObject(section)) throw bad('cache', 'an object like {"ttl": "5m"}', section);
    if (section.ttl !== undefined && section.ttl !== '5m' && section.ttl !== '1h') throw bad('cache.ttl', '"5m" or "1h"', section.ttl);
    if (section.enabled !== undefined && typeof section.enabled !== 'boolean') throw bad('cache.enabled', 'true or false', section.enabled);
    out.cache = { ...(section.ttl ? { ttl: section.ttl } : {}), ...(section.enabled === false ? { enabled: false } : {}) };
  }
  return out;
}

export function contextWindowValue(key: string, value: unknown, bad: Bad): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000) throw bad(key, 'a whole number of tokens (at least 1000)', value);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
