// The slash commands' effects on the session: the agent's model, provider, system prompt and
// history, and the terminal (clear, clipboard). Parsing and help text live in slash-commands.ts.

import type { Agent } from '../agent/agent.js';
import { PROVIDERS, configPath, resolveConfig, type Env } from '../agent/config.js';
import { resolveCouncil, type ResolvedCouncil } from '../agent/council/resolve.js';
import { totalInputTokens, type ProviderId } from '../agent/types.js';
import { contextBreakdown, formatBreakdown } from '../agent/context/breakdown.js';
import { contextWindow } from '../agent/context/known-windows.js';
import { clean, formatTokens, formatUsageTokens, keyVariable, urlVariable } from './format.js';
import { osc52Copy, type SlashCommandContext } from './slash-commands.js';

/** What the session knows about where requests go (the agent keeps the connection itself). */
export interface SessionTarget {
  provider: ProviderId;
  baseURL?: string;
  apiKey?: string;
  stallTimeoutMs: number;
  maxTurns: number;
  stream: boolean;
  secrets: readonly string[];
}

export interface SessionCommandDeps {
  agent: Agent;
  target: () => SessionTarget;
  setTarget: (target: SessionTarget) => void;
  env: Env;
  cwd?: string;
  toggleReasoning: () => boolean;
  lastAnswer: () => string;
  /** Raw bytes for the terminal (OSC 52, clearing the screen), written around the live region. */
  writeTerminal: (data: string) => void;
  /** /clear: the agent forgets, the screen clears, a new session begins. */
  newConversation: () => void;
  /** /sessions: the lines to print. */
  listSessions?: () => string[];
  /** /resume ID. */
  resume?: (id: string) => void;
  /** /compact: run through the prompt queue, so no prompt goes out while it runs. */
  compact?: (focus: string) => void;
  /** The project instructions inside the system prompt (for /context). */
  instructions?: string;
  /** /council: the council prompts go to from now on (undefined: the agent alone). */
  setCouncil?: (council: ResolvedCouncil | undefined) => void;
  council?: () => ResolvedCouncil | undefined;
  /** The model or provider changed (the session file records it). */
  switchModel?: (model: string, provider: ProviderId) => void;
  exit: () => void;
  print: (line: string, tone?: 'info' | 'error') => void;
}

/** Why a request cannot go out (no API key for the provider's own address), or undefined. */
export function missingKey(target: Pick<SessionTarget, 'provider' | 'baseURL' | 'apiKey'>): string | undefined {
  if (target.apiKey) return undefined;
  if (!isDefaultAddress(target.provider, target.baseURL)) return undefined;
  const keyVar = keyVariable(target.provider);
  return `${keyVar} is not set — export it and restart hermes, or set ${urlVariable(target.provider)} to a server that needs no key`;
}

function isDefaultAddress(provider: ProviderId, baseURL: string | undefined): boolean {
  if (baseURL === undefined) return true;
  try {
    return new URL(baseURL).hostname === (provider === 'anthropic' ? 'api.anthropic.com' : 'api.openai.com');
  } catch {
    return false;
  }
}

export function createSessionCommands(deps: SessionCommandDeps): SlashCommandContext {
  const { agent } = deps;
  const resolveFor = (flags: { provider?: ProviderId; model?: string }, requireApiKey: boolean) => {
    const current = deps.target();
    try {
      return resolveConfig({
        flags: { ...flags, stallTimeout: current.stallTimeoutMs / 1000, maxTurns: current.maxTurns, stream: current.stream },
        // HERMES_MODEL / HERMES_PROVIDER chose the first provider's model, not this one's
        env: { ...deps.env, HERMES_MODEL: undefined, HERMES_PROVIDER: undefined },
        cwd: deps.cwd,
        requireApiKey,
      });
    } catch (err) {
      throw new Error(err instanceof Error ? err.message : String(err));
    }
  };
  const switchTo = (resolved: ReturnType<typeof resolveConfig>): void => {
    agent.setProvider(resolved.provider, resolved.connection);
    agent.setModel(resolved.model);
    deps.switchModel?.(agent.model, agent.providerId);
    deps.setTarget({
      provider: resolved.provider,
      baseURL: resolved.baseURL,
      apiKey: resolved.apiKey,
      stallTimeoutMs: resolved.stallTimeoutMs,
      maxTurns: resolved.maxTurns,
      stream: resolved.stream,
      secrets: resolved.secrets,
    });
  };
  return {
    showModel() {
      const window = contextWindow(agent.model);
      return `model: ${agent.model}${window ? ` (context window ${formatTokens(window)} tokens)` : ''} — /model NAME switches`;
    },
    setModel(name) {
      const model = name.trim();
      if (model === '' || /\s/.test(model)) throw new Error('a model name is one word, e.g. /model gpt-4.1-mini');
      // A config.json profile brings its own provider, address and key.
      const profile = resolveFor({ model }, false);
      if (profile.profile !== undefined) {
        resolveFor({ model }, true);
        switchTo(profile);
        return `model: ${profile.profile} (${profile.provider} ${profile.model}; from the next prompt on; the conversation is kept)`;
      }
      agent.setModel(model);
      deps.switchModel?.(agent.model, agent.providerId);
      return `model: ${model} (from the next prompt on; the conversation is kept)`;
    },
    council(args) {
      const choice = args.trim();
      const names = (council: ResolvedCouncil): string => `${council.members.map((m) => m.name).join(', ')} (chair: ${council.chair.name}${council.review ? ', with review' : ''})`;
      if (choice === '') {
        const current = deps.council?.();
        return current ? `council: ${names(current)} — /council off asks one model again` : 'no council: prompts go to one model — /council a,b,c or a saved council\'s name';
      }
      if (choice === 'off') {
        deps.setCouncil?.(undefined);
        return `council off: prompts go to ${agent.model} again`;
      }
      const current = deps.target();
      const env = { ...deps.env, HERMES_MODEL: undefined, HERMES_PROVIDER: undefined };
      let council: ResolvedCouncil;
      try {
        council = resolveCouncil({ council: choice }, { flags: { stallTimeout: current.stallTimeoutMs / 1000, maxTurns: current.maxTurns, stream: current.stream }, env, ...(deps.cwd ? { cwd: deps.cwd } : {}), configPath: configPath(env, deps.cwd) });
      } catch (err) {
        throw new Error(err instanceof Error ? err.message : String(err));
      }
      deps.setCouncil?.(council);
      return `council: ${names(council)} — every prompt goes to all of them until /council off`;
    },
    showProvider() {
      const target = deps.target();
      const address = target.baseURL ? clean(target.baseURL, target.secrets) : 'its default address';
      return `provider: ${target.provider} at ${address} — one of ${PROVIDERS.join(', ')}; /provider NAME switches`;
    },
    setProvider(name) {
      const id = name.trim().toLowerCase();
      if (!(PROVIDERS as readonly string[]).includes(id)) {
        throw new Error(`unknown provider '${clean(name, []).slice(0, 40)}' — one of ${PROVIDERS.join(', ')}`);
      }
      const provider = id as ProviderId;
      const resolved = resolveFor({ provider }, false);
      const problem = missingKey(resolved);
      if (problem !== undefined) throw new Error(`cannot switch to ${provider}: ${problem}`);
      switchTo(resolved);
      return `provider: ${provider} · model: ${resolved.model} (the conversation is kept)`;
    },
    showSystem() {
      const system = agent.system;
      if (!system) return ['no system prompt — /system TEXT sets one'];
      return [`system prompt (${system.length} characters; /system TEXT replaces it, /system --clear removes it):`, ...clean(system, deps.target().secrets).split('\n').map((line) => `  ${line}`)];
    },
    setSystem(text) {
      agent.setSystem(text);
      return text === undefined ? 'system prompt removed' : `system prompt set (${text.length} characters)`;
    },
    compact(focus) {
      if (!deps.compact || !agent.compactor) throw new Error('compaction is not available here');
      deps.compact(focus);
    },
    context() {
      const window = agent.compactor?.window ?? contextWindow(agent.model);
      if (window === undefined) return ['the context window of this model is not known'];
      const used = agent.contextInUse();
      return formatBreakdown(
        contextBreakdown({
          system: agent.system,
          instructions: deps.instructions,
          tools: agent.toolDefinitions(),
          history: agent.history,
          window,
          ...(used !== undefined ? { used } : {}),
        }),
      );
    },
    toggleReasoning() {
      return deps.toggleReasoning() ? 'reasoning: shown in full' : 'reasoning: one summary line';
    },
    usage() {
      const u = agent.usage;
      const extra: string[] = [];
      if (u.reasoningTokens) extra.push(`${formatTokens(u.reasoningTokens)} reasoning`);
      if ((u.cacheReadTokens ?? 0) + (u.cacheWriteTokens ?? 0) > 0) {
        const read = u.cacheReadTokens ?? 0;
        const total = totalInputTokens(u);
        extra.push(`cache: ${formatTokens(read)} read, ${formatTokens(u.cacheWriteTokens ?? 0)} written, ${total > 0 ? Math.round((read / total) * 100) : 0}% of input from the cache`);
      }
      const requests = agent.requestCount === 1 ? '1 request' : `${agent.requestCount} requests`;
      const estimate = u.estimated ? ' · ~ estimated: an interrupted answer the server did not count' : '';
      return `this session: ${formatUsageTokens(u.inputTokens, u.estimated)} tokens in · ${formatUsageTokens(u.outputTokens, u.estimated)} out${extra.length ? ` (${extra.join(', ')})` : ''} · ${requests}${estimate}`;
    },
    copyLastAnswer() {
      const answer = deps.lastAnswer();
      if (answer === '') return 'nothing to copy yet';
      deps.writeTerminal(osc52Copy(answer));
      const note = deps.env.TMUX ? ' (inside tmux this needs `set -g set-clipboard on`)' : '';
      return `copied the last answer (${answer.length} characters) to the clipboard via OSC 52${note}`;
    },
    listSessions() {
      return deps.listSessions ? deps.listSessions() : ['sessions are not available here'];
    },
    resume(id) {
      if (!deps.resume) throw new Error('sessions are not available here');
      deps.resume(id);
    },
    clear() {
      deps.newConversation();
    },
    exit() {
      deps.exit();
    },
    print(line, tone) {
      deps.print(line, tone);
    },
  };
}
