// One chat's conversation: the agent and the hermes session it is stored in. The session is
// found again through the gateway's index after a restart (and opens with `hermes --resume`).
// /new starts another; /model switches the model and records it in the session.

import { Agent, type AgentOptions } from '../agent/agent.js';
import { SessionError } from '../agent/session/read.js';
import type { Session } from '../agent/session/session.js';
import type { SessionStore } from '../agent/session/store.js';
import type { ToolRegistry } from '../agent/tools.js';
import type { GatewayState } from './gateway-state.js';

export interface ConversationDeps {
  key: string;
  agent: Omit<AgentOptions, 'tools' | 'onMessage'>;
  tools: ToolRegistry;
  store: SessionStore;
  state: GatewayState;
  cwd: string;
  /** Session warnings (damaged lines, repaired calls): one line each for the log. */
  notice: (line: string) => void;
}

export class ChatConversation {
  readonly agent: Agent;
  #session: Session;
  readonly #deps: ConversationDeps;

  constructor(deps: ConversationDeps) {
    this.#deps = deps;
    this.agent = new Agent({ ...deps.agent, tools: deps.tools, cwd: deps.cwd, onMessage: (message) => this.#session.append(message) });
    this.#session = this.#resume() ?? this.#fresh();
  }

  get sessionId(): string {
    return this.#session.id;
  }

  /** /new: the next message starts another session; the old one stays on disk. */
  renew(): void {
    this.agent.clear();
    this.#session = this.#fresh();
  }

  setModel(model: string): void {
    this.agent.setModel(model);
    this.#session.switchModel(model, this.agent.providerId);
  }

  #fresh(): Session {
    const session = this.#deps.store.createSession({ cwd: this.#deps.cwd, model: this.agent.model, provider: this.agent.providerId });
    this.#deps.state.setSession(this.#deps.key, session.id);
    return session;
  }

  #resume(): Session | undefined {
    const id = this.#deps.state.session(this.#deps.key);
    if (id === undefined) return undefined;
    try {
      const resumed = this.#deps.store.resumeSession(id);
      for (const warning of resumed.warnings) this.#deps.notice(warning);
      this.agent.load(resumed.messages);
      // The conversation goes on with the model it last used.
      if (resumed.provider === this.agent.providerId) this.agent.setModel(resumed.model);
      return resumed.session;
    } catch (err) {
      // A session that never got its first message has no file; one deleted by hand neither.
      if (err instanceof SessionError) return undefined;
      throw err;
    }
  }
}
