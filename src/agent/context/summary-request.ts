// The request that asks a model to summarise the older part of a conversation: a transcript
// of it (tool output cut short: the summary needs what was found, not every line), the
// previous summary to update when there is one, and the structure the summary must have.

import type { ChatMessage } from '../types.js';

const TOOL_OUTPUT_CHARS = 2_000;

export const SUMMARY_SYSTEM = `You compact conversations between a user and hermes, an AI assistant with tools in a terminal. Write a summary that lets the assistant continue the work without the original messages. Use these headings, each with terse bullet points (leave a heading out when it has nothing):
## Goal
## Decisions and constraints
## Files and commands (paths, what changed, what was run and what it showed)
## Current state
## Open questions and next steps
Keep exact names, paths, numbers, error messages and the user's own wording of requirements. Do not invent anything. Do not address the user; output only the summary.`;

export function summaryPrompt(older: readonly ChatMessage[], previousSummary?: string, focus?: string): string {
  const parts: string[] = [];
  if (previousSummary) {
    parts.push(`The conversation was compacted before. Update this summary with what followed, keeping what still matters:\n\n<previous-summary>\n${previousSummary}\n</previous-summary>`);
  }
  parts.push(`<conversation>\n${older.map(render).join('\n\n')}\n</conversation>`);
  if (focus?.trim()) parts.push(`The user asks to keep this in focus: ${focus.trim()}`);
  parts.push(previousSummary ? 'Write the updated summary.' : 'Write the summary.');
  return parts.join('\n\n');
}

function render(message: ChatMessage): string {
  switch (message.role) {
    case 'user':
      return `[user]\n${message.content}`;
    case 'assistant': {
      const calls = message.toolCalls.map((call) => `[tool call ${call.name}] ${call.arguments}`);
      return [`[assistant]${message.interrupted ? ' (interrupted)' : ''}`, message.content, ...calls].filter(Boolean).join('\n');
    }
    case 'tool': {
      const content = message.content.length > TOOL_OUTPUT_CHARS ? `${message.content.slice(0, TOOL_OUTPUT_CHARS)}\n[… ${message.content.length - TOOL_OUTPUT_CHARS} more characters]` : message.content;
      return `[tool result ${message.name}${message.isError ? ', failed' : ''}]\n${content}`;
    }
  }
}
