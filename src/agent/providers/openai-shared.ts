// What both OpenAI adapters (Chat Completions and Responses) need from the SDK client.

import OpenAI from 'openai';
import type { ProviderConnection, Usage } from '../types.js';
import { SDK_TIMEOUT_MS, type Transport } from './transport.js';

/** Local servers (Ollama, llama.cpp, LM Studio) take any key but the SDK insists on one. */
export const PLACEHOLDER_API_KEY = 'no-key';

/**
 * A fresh client for one request: an aborted request must never leave state behind for the
 * next one. No SDK retries (the agent decides what to retry, and only before visible output).
 */
export function createOpenAIClient(connection: ProviderConnection, transport: Transport): OpenAI {
  return new OpenAI({
    // Undefined lets the SDK read OPENAI_API_KEY / OPENAI_BASE_URL and default to api.openai.com.
    apiKey: connection.apiKey || (connection.baseURL ? PLACEHOLDER_API_KEY : undefined),
    baseURL: connection.baseURL || undefined,
    fetch: transport.fetch,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    // The SDK would print unparsable chunks to the console, under the TUI.
    logLevel: 'off',
  });
}

/** True when requests go to OpenAI itself rather than an OpenAI-compatible server. */
export function isOfficialOpenAI(connection: ProviderConnection): boolean {
  if (!connection.baseURL) return true;
  try {
    return new URL(connection.baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/**
 * OpenAI counts cached tokens inside its input figure; hermes' Usage keeps them apart (as
 * Anthropic reports them), so the input is split here.
 */
export function splitCachedInput(usage: Usage, read: unknown, written?: unknown): Usage {
  if (typeof read === 'number') {
    usage.cacheReadTokens = Math.min(read, usage.inputTokens);
    usage.inputTokens -= usage.cacheReadTokens;
  }
  if (typeof written === 'number') {
    usage.cacheWriteTokens = Math.min(written, usage.inputTokens);
    usage.inputTokens -= usage.cacheWriteTokens;
  }
  return usage;
}
