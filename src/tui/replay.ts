// A stored conversation drawn again, as it looked when it happened: the user's prompts, the
// answers rendered as markdown, each tool call as its one-line summary, and the marks of
// answers that were interrupted or broke off. Used when a session is continued or resumed.
// Everything stored came from the user, the model or a tool: sanitised before it is shown.

import { INTERRUPTED_TOOL_RESULT } from '../agent/agent.js';
import { TOOL_NOT_FINISHED } from '../agent/session/repair.js';
import { INTERRUPTED } from '../agent/tools/tool.js';
import type { AssistantMessage, ChatMessage, ToolResultMessage } from '../agent/types.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';
import type { MarkdownRenderer } from './markdown.js';
import type { Theme } from './theme.js';
import { describeArguments, describeResult, oneLine, toolLine, type ToolOutcome } from './tool-summary.js';

/** The lines a prompt takes in the scrollback (the same as when it was sent). */
export function promptLines(text: string, theme: Theme): string[] {
  const lines = sanitizeForTerminal(text).split('\n');
  return ['', ...lines.map((line, i) => (i === 0 ? `${theme.cyan('›')} ${theme.bold(line)}` : `  ${theme.bold(line)}`)), ''];
}

export function replayLines(messages: readonly ChatMessage[], theme: Theme, markdown: MarkdownRenderer): string[] {
  const results = new Map<string, ToolResultMessage>();
  for (const message of messages) if (message.role === 'tool') results.set(message.toolCallId, message);

  const out: string[] = [];
  for (const message of messages) {
    if (message.role === 'user') out.push(...promptLines(message.content, theme));
    else if (message.role === 'assistant') out.push(...answerLines(message, results, theme, markdown));
  }
  return out;
}

function answerLines(message: AssistantMessage, results: Map<string, ToolResultMessage>, theme: Theme, markdown: MarkdownRenderer): string[] {
  const t = theme;
  const out: string[] = [];
  const text = message.content !== '' ? message.content : (message.refusal ?? '');
  if (text !== '') {
    for (const line of sanitizeForTerminal(text).split('\n')) out.push(...markdown.line(line));
    out.push(...markdown.end());
  }
  for (const call of message.toolCalls) {
    const result = results.get(call.id);
    const name = oneLine(call.name, 40);
    const args = describeArguments(call.arguments);
    const { outcome, summary } = toolOutcome(result);
    out.push(toolLine(t, name, args, outcome, summary));
  }
  if (message.interrupted) out.push(t.yellow('⏹ interrupted'));
  else if (message.error !== undefined) out.push(t.red(`✗ the answer broke off: ${oneLine(message.error, 120)}`));
  return out;
}

function toolOutcome(result: ToolResultMessage | undefined): { outcome: ToolOutcome; summary: string } {
  if (!result) return { outcome: 'interrupted', summary: 'no result' };
  const content = result.content;
  if (result.isError && (content === INTERRUPTED_TOOL_RESULT || content === INTERRUPTED || content === TOOL_NOT_FINISHED)) {
    return { outcome: 'interrupted', summary: 'interrupted' };
  }
  return { outcome: result.isError ? 'failed' : 'done', summary: describeResult(content, result.isError === true) };
}
