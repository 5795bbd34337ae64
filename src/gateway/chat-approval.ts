// Approval of a tool call in a chat: one message with the command (whole) or the diff (cut
// after DIFF_LINES, the whole diff attached as a file) and three buttons. The decision belongs
// to the person whose message started the turn; no answer within the timeout denies. Commands
// on the dangerous list are refused outright unless the config allows them (gateway.allowDangerous).

import type { ApprovalDecision, ApprovalPolicy, ApprovalRequest } from '../agent/tools/approval.js';

export const DIFF_LINES = 30;

export interface ChatChoice {
  id: ApprovalDecision['decision'];
  label: string;
}

export interface ChatQuestion {
  markdown: string;
  choices: readonly ChatChoice[];
  /** Sent with the question as a file (the whole diff, or a command too long for a message). */
  attachment?: { fileName: string; content: string };
  /** Only this user's answer counts. */
  userId: number;
}

/** The platform's side: shows the question; resolves with a choice id, or undefined once signal aborts. */
export type AskInChat = (question: ChatQuestion, signal: AbortSignal) => Promise<string | undefined>;

export interface ChatApproverOptions {
  askInChat: AskInChat;
  /** Who started the running turn, and its signal (the question goes when the turn stops). */
  turn: () => { userId: number; signal: AbortSignal } | undefined;
  allowDangerous: boolean;
  timeoutMs: number;
  /** The longest message the platform takes. */
  maxLength: number;
}

const APPROVE: ChatChoice = { id: 'once', label: 'Approve' };
const ALWAYS: ChatChoice = { id: 'always', label: 'Always for this chat' };
const DENY: ChatChoice = { id: 'deny', label: 'Deny' };

export function chatApprover(options: ChatApproverOptions): NonNullable<ApprovalPolicy['ask']> {
  return async (request) => {
    const turn = options.turn();
    if (request.kind === 'always-ask' && !options.allowDangerous) {
      const reason = `refused in a chat: this command ${request.danger?.description ?? 'is on the dangerous list'} (the gateway's config can allow it: gateway.allowDangerous)`;
      return { decision: 'deny', reason };
    }
    if (!turn) return { decision: 'deny', reason: 'nobody is there to approve it' };

    const question = approvalQuestion(request, turn.userId, options.maxLength);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const answer = await options.askInChat(question, AbortSignal.any([turn.signal, timeout]));
    if (answer === 'once' || answer === 'always') return { decision: answer };
    if (answer === undefined && timeout.aborted) return { decision: 'deny', reason: `nobody answered within ${Number((options.timeoutMs / 1000).toFixed(1))} s` };
    return { decision: 'deny' };
  };
}

export function approvalQuestion(request: ApprovalRequest, userId: number, maxLength: number): ChatQuestion {
  const name = request.call.name;
  // A dangerous command is approved one call at a time.
  const choices = request.kind === 'always-ask' ? [APPROVE, DENY] : [APPROVE, ALWAYS, DENY];
  const warning = request.danger ? `\n⚠️ This command ${request.danger.description}.` : '';
  const outside = request.outsideCwd ? '\n(outside the working folder)' : '';

  if (request.diff !== undefined) {
    const lines = request.diff.replace(/\n$/, '').split('\n');
    const shown = lines.slice(0, DIFF_LINES);
    const more = lines.length - shown.length;
    const markdown = `**${name}** wants to change \`${request.summary}\`:${outside}\n${codeBlock(shown.join('\n'), 'diff')}${more > 0 ? `\n… ${more} more lines (the whole diff is attached)` : ''}`;
    return { markdown, choices, userId, ...(more > 0 ? { attachment: { fileName: 'change.diff', content: request.diff } } : {}) };
  }
  const markdown = `**${name}** wants to run:${warning}${outside}\n${codeBlock(request.summary, 'sh')}`;
  // Never cut a command: one too long for a message goes whole as a file.
  if (markdown.length > maxLength - 200) {
    return {
      markdown: `**${name}** wants to run a command of ${request.summary.length} characters (attached).${warning}${outside}`,
      choices,
      userId,
      attachment: { fileName: 'command.sh', content: request.summary },
    };
  }
  return { markdown, choices, userId };
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function codeBlock(text: string, language: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
