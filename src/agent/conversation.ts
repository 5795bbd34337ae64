// What every front door sets up for a conversation that lasts: the system prompt (built once,
// so the prefix providers cache stays the same for the whole session), the project
// instructions in it, the compactor with the best window known at start (refined from the
// server in the background), and the prompt-cache hints.

import os from 'node:os';
import type { AgentOptions } from './agent.js';
import type { ResolvedConfig } from './config.js';
import { Compactor, type CompactionSettings } from './context/compactor.js';
import { knownContextWindow, resolveContextWindow, type ContextWindow } from './context/window.js';
import { findGitRoot } from './prompt/git-root.js';
import { loadInstructions, type Instructions } from './prompt/instructions.js';
import { localDate, systemPrompt } from './prompt/system-prompt.js';
import type { PromptCache } from './types.js';

export interface Conversation {
  /** The effective system prompt. */
  system: string;
  instructions: Instructions;
  compactor: Compactor;
  /** The window as known at start; `window` settles with the server's figure where it has one. */
  provisionalWindow: ContextWindow;
  window: Promise<ContextWindow>;
  /** undefined: caching switched off in config. */
  cache?: PromptCache;
}

export interface ConversationOptions {
  cwd: string;
  /** Names of the tools the model is offered. */
  tools: readonly string[];
  /** The session id: the prompt-cache key. */
  sessionId?: string;
  now?: Date;
  env?: Readonly<Record<string, string | undefined>>;
  /** false: do not ask the server for its window (tests of other things, or no network wanted). */
  askServer?: boolean;
  /** Where the answers are read (the gateway: a chat). */
  surface?: 'terminal' | 'chat';
}

const NO_INSTRUCTIONS: Instructions = { files: [], text: '', truncated: false, notes: [] };

export function setUpConversation(config: ResolvedConfig, options: ConversationOptions): Conversation {
  const env = options.env ?? process.env;
  const instructions = config.instructions ? loadInstructions({ cwd: options.cwd, home: config.home }) : NO_INSTRUCTIONS;
  const gitRoot = findGitRoot(options.cwd);
  const system = systemPrompt({
    environment: {
      cwd: options.cwd,
      platform: os.platform(),
      shell: 'bash',
      date: localDate(options.now),
      ...(options.surface ? { surface: options.surface } : {}),
      ...(gitRoot ? { gitRoot } : {}),
    },
    tools: options.tools,
    ...(config.system !== undefined ? { replace: config.system } : {}),
    ...(config.appendSystem ? { append: config.appendSystem } : {}),
    instructions: instructions.text,
  });

  const query = { model: config.model, baseURL: config.baseURL, configured: config.contextWindow, env };
  const provisionalWindow = knownContextWindow(query);
  const compactor = new Compactor(compactionSettings(config, provisionalWindow.tokens));
  const window =
    options.askServer === false || provisionalWindow.source === 'config' || provisionalWindow.source === 'environment'
      ? Promise.resolve(provisionalWindow)
      : resolveContextWindow(query).then((resolved) => {
          compactor.setWindow(resolved.tokens);
          return resolved;
        });
  window.catch(() => {});
  return {
    system,
    instructions,
    compactor,
    provisionalWindow,
    window,
    ...(config.cacheEnabled ? { cache: { ...(options.sessionId ? { key: options.sessionId } : {}), ...(config.cacheTtl ? { ttl: config.cacheTtl } : {}) } } : {}),
  };
}

/** The compactor's settings from config, for a model with this window. */
export function compactionSettings(config: ResolvedConfig, window: number): CompactionSettings {
  return {
    window,
    ...(config.compaction.enabled !== undefined ? { enabled: config.compaction.enabled } : {}),
    ...(config.compaction.threshold !== undefined ? { thresholdFraction: config.compaction.threshold } : {}),
  };
}

/** What an Agent takes from the conversation set-up. */
export function conversationAgentOptions(config: ResolvedConfig, conversation: Conversation): Pick<AgentOptions, 'system' | 'compactor' | 'cache' | 'compactionModel'> {
  return {
    system: conversation.system,
    compactor: conversation.compactor,
    ...(conversation.cache ? { cache: conversation.cache } : {}),
    ...(config.compaction.model ? { compactionModel: config.compaction.model } : {}),
  };
}
