// The TUI's fixed texts: header, status line, the red error line with what to do next.

import { totalInputTokens, type ProviderError, type ProviderId, type Usage } from '../agent/types.js';
import { redactSecrets } from '../stream/redact.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';

/** 1234 -> "1.2k", 2_500_000 -> "2.5M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trim(n / 1000)}k`;
  return `${trim(n / 1_000_000)}M`;
}

/** A token count that may be an estimate: "~1.2k" then. */
export function formatUsageTokens(n: number, estimated: boolean | undefined): string {
  return `${estimated ? '~' : ''}${formatTokens(n)}`;
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
}

/** "~/src/app" for a folder under the home folder. */
export function shortPath(path: string, home: string | undefined): string {
  if (home && home !== '/' && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
  return path;
}

/** An instruction file as the header names it: relative inside the working folder, else short. */
function instructionLabel(file: string, cwd: string, home: string | undefined): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : shortPath(file, home);
}

/** What the empty prompt shows while nothing is running. */
export const IDLE_PLACEHOLDER = 'ask anything · /help for commands';

/** The first line: hermes, version, model, provider, working folder, instruction files loaded. */
export function headerText(
  theme: { bold(s: string): string; dim(s: string): string },
  info: { version: string; model: string; provider: string; cwd: string; home?: string; instructions?: readonly string[]; session?: string },
): string {
  const folder = sanitizeForTerminal(shortPath(info.cwd, info.home));
  const files = info.instructions?.length ? ` · ${info.instructions.map((file) => sanitizeForTerminal(instructionLabel(file, info.cwd, info.home))).join(', ')}` : '';
  // The id `hermes --resume` takes (absent with --no-session).
  const session = info.session ? ` · session ${info.session}` : '';
  return `${theme.bold('hermes')} ${theme.dim(`${info.version} · ${info.model} · ${info.provider} · ${folder}${files}${session}`)}`;
}

export interface StatusInfo {
  model: string;
  provider: ProviderId;
  usage: Usage;
  /** Tokens the next request would use: what the context holds now. */
  contextTokens?: number;
  contextWindow?: number;
  /** Share of the latest request's input read from the prompt cache, 0-100. */
  cacheHit?: number;
}

export function statusText(info: StatusInfo): string {
  const { usage } = info;
  const parts = [info.model, info.provider, `${formatUsageTokens(usage.inputTokens, usage.estimated)} in · ${formatUsageTokens(usage.outputTokens, usage.estimated)} out`];
  if (info.contextTokens !== undefined && info.contextWindow !== undefined && info.contextWindow > 0) {
    const pct = Math.min(100, Math.round((info.contextTokens / info.contextWindow) * 100));
    parts.push(`context ${formatTokens(info.contextTokens)}/${formatTokens(info.contextWindow)} (${pct}%)`);
  }
  if (info.cacheHit !== undefined) parts.push(`cache ${info.cacheHit}%`);
  return parts.join(' · ');
}

/** The share of a request's input that was read from the cache, when the server reports caching. */
export function cacheHitShare(usage: Usage | undefined): number | undefined {
  if (!usage || (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0) === 0) return undefined;
  const total = totalInputTokens(usage);
  return total > 0 ? Math.round(((usage.cacheReadTokens ?? 0) / total) * 100) : undefined;
}

export interface ErrorContext {
  provider: ProviderId;
  baseURL?: string;
  stallTimeoutMs: number;
  secrets: readonly string[];
}

export function keyVariable(provider: ProviderId): string {
  return provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
}

export function urlVariable(provider: ProviderId): string {
  return provider === 'anthropic' ? 'ANTHROPIC_BASE_URL' : 'OPENAI_BASE_URL';
}

/** One line: what went wrong and what to do about it. Never holds a key or a control. */
export function errorLine(error: ProviderError, partial: boolean, ctx: ErrorContext): string {
  const what = clean(error.message, ctx.secrets);
  const prefix = partial ? 'the answer broke off: ' : '';
  return `${prefix}${what} — ${advice(error, ctx)}`;
}

function advice(error: ProviderError, ctx: ErrorContext): string {
  switch (error.kind) {
    case 'auth':
      return `check ${keyVariable(ctx.provider)} (export it and restart hermes)`;
    case 'rate_limit':
      return 'wait a moment, then ask again';
    case 'server':
      return 'the server had a problem; ask again';
    case 'network':
      return `check the connection${ctx.baseURL ? ` to ${clean(ctx.baseURL, ctx.secrets)}` : ''}, then ask again`;
    case 'stall':
      return `no data for ${Math.round(ctx.stallTimeoutMs / 1000)} s; ask again (HERMES_STALL_TIMEOUT sets the limit)`;
    case 'bad_request':
      return 'check the model (/model) and the request, then ask again';
    case 'stream_error':
      return 'ask again';
    case 'aborted':
      return 'ask again';
  }
}

/** Server and error text is untrusted: no secrets, no controls, one line. */
export function clean(text: string, secrets: readonly string[]): string {
  return sanitizeForTerminal(redactSecrets(text, secrets)).replace(/\s*\n\s*/g, ' ').trim();
}
