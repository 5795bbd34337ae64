// Which context window hermes plans for: config (a model's section, then the top level), then
// HERMES_CONTEXT_WINDOW, then what the server says when it is not the vendor's own API (a
// local server knows what it was started with; a name in the table does not), then the
// built-in table, then a default that is said out loud. Never 0, never silently unknown.

import { contextWindow as knownWindow } from './known-windows.js';
import { serverContextWindow } from './server-window.js';

export const DEFAULT_CONTEXT_WINDOW = 32_000;

export type WindowSource = 'config' | 'environment' | 'server' | 'table' | 'default';

export interface ContextWindow {
  tokens: number;
  source: WindowSource;
  /** Shown to the user when the figure is a guess. */
  note?: string;
}

export interface WindowQuery {
  model: string;
  /** The provider's address; undefined: its default (the vendor's own API). */
  baseURL?: string;
  /** config.json contextWindow (a model's section first). */
  configured?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** Asks the server; tests and the one-shot path may leave it out. */
  askServer?: (baseURL: string, model: string) => Promise<number | undefined>;
}

const VENDOR_HOSTS = ['api.openai.com', 'api.anthropic.com'];

export async function resolveContextWindow(query: WindowQuery): Promise<ContextWindow> {
  const chosen = chosenWindow(query);
  if (chosen) return chosen;
  if (query.baseURL && !isVendor(query.baseURL)) {
    const served = await (query.askServer ?? serverContextWindow)(query.baseURL, query.model);
    if (served !== undefined) return { tokens: served, source: 'server' };
  }
  return fromTable(query);
}

/** The window known without asking the server (the figure to start with). */
export function knownContextWindow(query: WindowQuery): ContextWindow {
  return chosenWindow(query) ?? fromTable(query);
}

/** What the user set: config, then the environment. */
function chosenWindow(query: WindowQuery): ContextWindow | undefined {
  if (query.configured !== undefined && query.configured > 0) return { tokens: Math.floor(query.configured), source: 'config' };
  const fromEnv = Number(query.env?.HERMES_CONTEXT_WINDOW);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return { tokens: fromEnv, source: 'environment' };
  return undefined;
}

function fromTable(query: WindowQuery): ContextWindow {
  const known = knownWindow(query.model);
  if (known !== undefined) return { tokens: known, source: 'table' };
  return {
    tokens: DEFAULT_CONTEXT_WINDOW,
    source: 'default',
    note: `the context window of ${query.model} is not known: assuming ${DEFAULT_CONTEXT_WINDOW.toLocaleString('en-US')} tokens (set contextWindow in config.json or HERMES_CONTEXT_WINDOW)`,
  };
}

function isVendor(baseURL: string): boolean {
  try {
    return VENDOR_HOSTS.includes(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}
