import { describe, expect, it } from 'vitest';
import { INTERRUPTED_TOOL_RESULT } from '../../src/agent/agent.js';
import { TOOL_NOT_FINISHED } from '../../src/agent/session/repair.js';
import type { AssistantMessage, ChatMessage } from '../../src/agent/types.js';
import { MarkdownRenderer } from '../../src/tui/markdown.js';
import { replayLines } from '../../src/tui/replay.js';
import { createTheme } from '../../src/tui/theme.js';

const theme = createTheme(false);
const replay = (messages: ChatMessage[]) => replayLines(messages, theme, new MarkdownRenderer({ theme }));

const assistant = (content: string, extra: Partial<AssistantMessage> = {}): AssistantMessage => ({
  role: 'assistant',
  content,
  reasoning: '',
  reasoningBlocks: [],
  toolCalls: [],
  ...extra,
});

describe('replayLines', () => {
  it('draws prompts, answers and one line per tool call with its outcome', () => {
    const calls = [
      { id: 'a', name: 'run_shell', arguments: '{"command":"npm test"}' },
      { id: 'b', name: 'write_file', arguments: '{"path":"x.ts","content":"…"}' },
      { id: 'c', name: 'run_shell', arguments: '{"command":"sleep 100"}' },
      { id: 'd', name: 'read_file', arguments: '{"path":"y.ts"}' },
      { id: 'e', name: 'list_directory', arguments: '{}' },
    ];
    const lines = replay([
      { role: 'user', content: 'first line\nsecond line' },
      assistant('Running.', { toolCalls: calls }),
      { role: 'tool', toolCallId: 'a', name: 'run_shell', content: 'exit code 0\nok\n' },
      { role: 'tool', toolCallId: 'b', name: 'write_file', content: 'denied by the user: not that file', isError: true },
      { role: 'tool', toolCallId: 'c', name: 'run_shell', content: INTERRUPTED_TOOL_RESULT, isError: true },
      { role: 'tool', toolCallId: 'd', name: 'read_file', content: TOOL_NOT_FINISHED, isError: true },
      assistant('Done.'),
    ]);
    expect(lines).toEqual([
      '',
      '› first line',
      '  second line',
      '',
      'Running.',
      '✓ run_shell npm test — 2 lines',
      '✗ write_file x.ts — denied by the user: not that file',
      '⏹ run_shell sleep 100 — interrupted',
      '⏹ read_file y.ts — interrupted',
      '⏹ list_directory — no result',
      'Done.',
    ]);
  });

  it('marks answers that were interrupted or broke off, and shows a refusal', () => {
    expect(replay([assistant('Half', { interrupted: true })])).toEqual(['Half', '⏹ interrupted']);
    expect(replay([assistant('Half', { error: 'connection reset' })])).toEqual(['Half', '✗ the answer broke off: connection reset']);
    expect(replay([assistant('', { refusal: 'I can’t help with that.' })])).toEqual(['I can’t help with that.']);
  });

  it('closes a code block left open by an interrupted answer, so later lines are prose again', () => {
    const lines = replay([assistant('```js\nlet x = 1', { interrupted: true }), { role: 'user', content: 'next' }]);
    expect(lines).toEqual(['  ╭─ js', '  │ let x = 1', '  ╰─', '⏹ interrupted', '', '› next', '']);
  });

  it('never passes terminal controls from stored text through', () => {
    const lines = replay([
      { role: 'user', content: 'hi\x1b[2J' },
      assistant('evil\x1b]0;title\x07 text', { toolCalls: [{ id: 'a', name: 'run\x1b[31m_shell', arguments: '{"command":"x\\u001b[2J"}' }] }),
      { role: 'tool', toolCallId: 'a', name: 'run_shell', content: '\x1b[2Jboom' },
    ]);
    for (const line of lines) expect(line).not.toContain('\x1b');
  });
});
