// Every chat a gateway talks to, platform-neutral: each gets, on its first message, its
// conversation (agent + session), its own tool approvals ("Always for this chat" stays in that
// chat) and its runner. A platform adapter hands in the chat's transport, budget and buttons.

import { agentSettings, type ResolvedConfig } from '../agent/config.js';
import { conversationAgentOptions, setUpConversation } from '../agent/conversation.js';
import { SessionStore, sessionsDir } from '../agent/session/store.js';
import { setUpTools, type ToolChoices } from '../agent/tools/setup.js';
import { chatApprover, type AskInChat } from './chat-approval.js';
import { ChatConversation } from './chat-conversation.js';
import { ChatRunner } from './chat-runner.js';
import type { ChatBudget, ChatTransport } from './chat-transport.js';
import type { GatewayState } from './gateway-state.js';
import type { GatewaySettings } from './settings.js';
import { StreamConsumer } from './stream-consumer.js';

export interface ChatPlace {
  /** Stable across restarts: the session index is keyed by it. */
  key: string;
  /** For the log. */
  label: string;
  transport: ChatTransport;
  budget: ChatBudget;
  /** How answers stream here: edits, or the platform's native drafts. */
  mode: 'edit' | 'draft';
  askInChat: AskInChat;
}

export interface ChatHubOptions {
  config: ResolvedConfig;
  settings: GatewaySettings;
  tools: ToolChoices;
  state: GatewayState;
  /** Everything to cut from logs and sessions: API keys and the bot token. */
  secrets: readonly string[];
  log: (line: string) => void;
  cwd?: string;
}

export class ChatHub {
  readonly #options: ChatHubOptions;
  readonly #store: SessionStore;
  readonly #runners = new Map<string, ChatRunner>();

  constructor(options: ChatHubOptions) {
    this.#options = options;
    this.#store = new SessionStore(sessionsDir(options.config.home), {
      secrets: options.secrets,
      onError: (message) => options.log(message),
    });
  }

  /** The chat's runner, created with its conversation on first use. */
  runner(place: ChatPlace): ChatRunner {
    const existing = this.#runners.get(place.key);
    if (existing) return existing;
    const { config, settings, state, secrets, log } = this.#options;
    let runner: ChatRunner | undefined;
    const { registry } = setUpTools(this.#options.tools, {
      ask: chatApprover({
        askInChat: place.askInChat,
        turn: () => runner?.turn,
        allowDangerous: settings.allowDangerous,
        timeoutMs: settings.approvalTimeoutMs,
        maxLength: place.transport.maxLength,
      }),
    });
    const cwd = this.#options.cwd ?? process.cwd();
    // The chat's key is its prompt-cache key: the same chat, the same cached prefix.
    const setUp = setUpConversation(config, { cwd, tools: registry.definitions().map((tool) => tool.name), sessionId: place.key, surface: 'chat' });
    const conversation = new ChatConversation({
      key: place.key,
      agent: { ...agentSettings(config), ...conversationAgentOptions(config, setUp) },
      tools: registry,
      store: this.#store,
      state,
      cwd,
      notice: (line) => log(`${place.label}: ${line}`),
    });
    runner = new ChatRunner({
      label: place.label,
      transport: place.transport,
      budget: place.budget,
      settings,
      conversation,
      startAnswer: () =>
        new StreamConsumer({
          transport: place.transport,
          budget: place.budget,
          mode: place.mode,
          editIntervalMs: settings.editIntervalMs,
          cursor: settings.cursor,
          onError: (err) => log(`${place.label}: an interim update failed: ${err instanceof Error ? err.message : String(err)}`),
        }),
      secrets,
      log,
    });
    this.#runners.set(place.key, runner);
    return runner;
  }

  /** Stops every running answer (each says so in its last edit) and waits for them, at most timeoutMs. */
  async stopAll(note: string, timeoutMs: number): Promise<void> {
    const runners = [...this.#runners.values()];
    for (const runner of runners) runner.stop(note);
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(runners.map((r) => r.idle())), limit]);
    clearTimeout(timer);
  }
}
