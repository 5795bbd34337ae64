// Switching conversations in the TUI: /clear starts a new one, /resume loads a stored one.
// A run in progress is interrupted first, and the switch waits for it to wind down (a few
// milliseconds): the cancelled run still puts its partial answer into the agent's history and
// the current session, and that must land in the old conversation, not the new one.
// The scrollback is never cleared by /resume: the resumed conversation is drawn below a rule.

import type { Agent } from '../agent/agent.js';
import type { ApprovalPolicy } from '../agent/tools/approval.js';
import type { ApprovalQueue } from './approvals.js';
import type { ChatSessions } from './chat-sessions.js';
import { shortPath } from './format.js';
import { resumedTitle, sessionListLines } from './session-list.js';
import type { Theme } from './theme.js';
import { oneLine } from './tool-summary.js';
import type { Transcript } from './transcript.js';
import type { AgentRunner } from './use-agent-run.js';

export interface ConversationDeps {
  agent: Agent;
  sessions?: ChatSessions;
  /** The live approval policy: 'always' answers are forgotten when the conversation changes. */
  policy?: ApprovalPolicy;
  approvals: ApprovalQueue;
  transcript: Transcript;
  runner: AgentRunner;
  theme: Theme;
  cwd: string;
  home?: string;
  publish: () => void;
  /** Clears the visible screen (not the scrollback). */
  clearScreen: () => void;
}

export interface Conversations {
  /** Esc / Ctrl+C: stops the run, and any question it was waiting on. */
  interrupt(): boolean;
  newConversation(): void;
  listSessions(): string[];
  resume(id: string): void;
}

/** How many sessions /sessions shows. */
export const SESSIONS_LISTED = 15;

export function createConversations(deps: ConversationDeps): Conversations {
  const { agent, transcript, runner, theme: t } = deps;
  // What --allow granted stays granted; what an 'always' answer added belongs to one conversation.
  const granted = new Set(deps.policy?.allow ?? []);

  const interrupt = (): boolean => {
    // Abort first: the pending question then ends as "interrupted", never as a denial.
    const stopped = runner.interrupt();
    deps.approvals.cancelAll();
    return stopped;
  };

  const forgetApprovals = (): void => {
    if (!deps.policy) return;
    deps.policy.allow.clear();
    for (const name of granted) deps.policy.allow.add(name);
  };

  return {
    interrupt,

    newConversation() {
      interrupt();
      deps.clearScreen();
      transcript.notice('new conversation', 'dim');
      deps.publish();
      void runner.idle.then(() => {
        agent.clear();
        deps.sessions?.startNew(agent.model, agent.providerId);
        forgetApprovals();
      });
    },

    listSessions() {
      if (!deps.sessions) return ['sessions are not available here'];
      const lines = sessionListLines(deps.sessions.list(SESSIONS_LISTED), { home: deps.home, currentId: deps.sessions.current?.stored ? deps.sessions.current.id : undefined });
      return deps.sessions.enabled ? lines : [...lines, '(--no-session: this chat is not being saved)'];
    },

    resume(id) {
      const sessions = deps.sessions;
      if (!sessions) throw new Error('sessions are not available here');
      interrupt();
      deps.publish();
      void runner.idle.then(() => {
        let resumed;
        try {
          resumed = sessions.resume(id, agent.model, agent.providerId);
        } catch (err) {
          transcript.notice(err instanceof Error ? err.message : String(err), 'error');
          deps.publish();
          return;
        }
        agent.load(resumed.messages);
        forgetApprovals();
        const folder = oneLine(shortPath(resumed.cwd, deps.home), 60);
        const title = resumedTitle({ id: resumed.id, startedAt: resumed.startedAt, cwd: resumed.cwd, messageCount: resumed.messages.length }, deps.home);
        transcript.line('');
        transcript.line(t.dim(`──── ${title} ────`));
        transcript.replay(resumed.messages);
        for (const warning of resumed.warnings) transcript.notice(warning, 'dim');
        if (resumed.cwd !== deps.cwd) transcript.notice(`(it was started in ${folder}; tools work in ${shortPath(deps.cwd, deps.home)})`, 'dim');
        if (!sessions.enabled) transcript.notice('(--no-session: what follows is not saved)', 'dim');
        deps.publish();
      });
    },
  };
}
