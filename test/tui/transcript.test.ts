// The transcript model: AgentEvents in, committed lines (printed once) and a small live view out.

import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { emptyAssistantMessage, type AssistantMessage } from '../../src/agent/types.js';
import { stripSgr } from '../../src/tui/text-width.js';
import { createTheme } from '../../src/tui/theme.js';
import { Transcript } from '../../src/tui/transcript.js';

const errorContext = () => ({ provider: 'openai' as const, stallTimeoutMs: 30_000, secrets: ['sk-secret-key-0123456789'] });

function transcript(options: { color?: boolean; showReasoning?: boolean; now?: () => number } = {}): Transcript {
  return new Transcript({ theme: createTheme(options.color ?? false), errorContext, showReasoning: options.showReasoning, now: options.now });
}

const message = (content: string, extra: Partial<AssistantMessage> = {}): AssistantMessage => ({ ...emptyAssistantMessage(), content, ...extra });
const finished = (content: string): AgentEvent => ({ type: 'finished', result: { status: 'completed', message: message(content), usage: { inputTokens: 1, outputTokens: 1 } } });

/** Everything committed so far, as plain text. */
const committed = (t: Transcript): string[] => t.take().map(stripSgr);

describe('transcript', () => {
  it('commits the prompt, then every finished line at once; only the unfinished line is live', () => {
    const t = transcript();
    t.prompt('hi there');
    expect(committed(t)).toEqual(['', '› hi there', '']);
    expect(t.view(80, 8).waiting).toBeDefined();

    t.event({ type: 'request_start', turn: 1, attempt: 1 });
    t.event({ type: 'first_delta' });
    expect(t.view(80, 8).waiting).toBeUndefined();

    t.text('First line\nSecond li');
    expect(committed(t)).toEqual(['First line']);
    expect(t.view(80, 8).answer).toEqual(['Second li']);

    t.text('ne\nThird');
    expect(committed(t)).toEqual(['Second line']);
    expect(t.view(80, 8).answer).toEqual(['Third']);

    t.event({ type: 'message', message: message('First line\nSecond line\nThird') });
    expect(committed(t)).toEqual(['Third']);
    expect(t.view(80, 8).answer).toEqual([]);
    t.event(finished('First line\nSecond line\nThird'));
    expect(t.phase).toBe('idle');
    expect(t.lastAnswer).toBe('First line\nSecond line\nThird');
  });

  it('never lets the live answer grow past its rows: a long unbroken line shows its end and a note', () => {
    const t = transcript();
    t.prompt('q');
    t.take();
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(' ');
    for (let i = 0; i < words.length; i += 7) t.text(words.slice(i, i + 7));
    expect(t.take()).toEqual([]); // nothing finished yet
    const view = t.view(40, 6);
    expect(view.more).toBe(true);
    expect(view.answer.length).toBeLessThanOrEqual(5);
    for (const row of view.answer) expect(row.length).toBeLessThan(40);
    expect(view.answer.join(' ')).toContain('word1999');

    t.text('\n');
    // committed in full once the line is finished
    expect(committed(t)).toEqual([words]);
    expect(t.view(40, 6).more).toBe(false);
  });

  it('caps a long code block in the live view while the highlighter is loading', () => {
    const loading = { state: () => 'loading' as const, request: () => {}, highlight: (code: string) => code };
    const t = new Transcript({ theme: createTheme(false), errorContext, highlighter: loading });
    t.prompt('q');
    t.take();
    t.text('```js\n');
    for (let i = 0; i < 50; i++) t.text(`line ${i}\n`);
    expect(committed(t)).toEqual(['  ╭─ js']);
    const view = t.view(80, 6);
    expect(view.more).toBe(true);
    expect(view.answer).toHaveLength(5);
    expect(view.answer.at(-1)).toBe('  │ line 49');
  });

  it('commits code fence lines as they finish, framed', () => {
    const t = transcript();
    t.prompt('q');
    t.take();
    t.text('Here:\n```sh\necho hi\n');
    expect(committed(t)).toEqual(['Here:', '  ╭─ sh', '  │ echo hi']);
    t.text('ls');
    expect(t.view(80, 8).answer).toEqual(['  │ ls']);
    t.text('\n```\ndone');
    expect(committed(t)).toEqual(['  │ ls', '  ╰─']);
    t.event(finished('x'));
    expect(committed(t)).toEqual(['done']);
  });

  it('streams reasoning dimmed under "thinking" and collapses it to one line when the answer starts', () => {
    let now = 1_000;
    const t = transcript({ color: true, now: () => now });
    t.prompt('q');
    t.take();
    t.event({ type: 'first_delta' });
    t.reasoning('Let me think about ');
    t.reasoning('this carefully.\nSecond thought');
    const live = t.view(80, 8).reasoning ?? [];
    expect(live.map(stripSgr)).toEqual(['thinking…', '  Let me think about this carefully. Second thought']);
    expect(live[1]).toContain('\x1b[2m'); // dimmed
    expect(t.take()).toEqual([]); // nothing committed while it streams

    now += 3_000;
    t.text('The answer');
    expect(committed(t)).toEqual(['✻ thought for 3 s · 8 words (/reasoning shows it in full)']);
    expect(t.view(80, 8).reasoning).toBeUndefined();
    expect(t.view(80, 8).answer.map(stripSgr)).toEqual(['The answer']);
  });

  it('commits reasoning in full, line by line, once /reasoning turned it on', () => {
    const t = transcript({ showReasoning: false });
    expect(t.toggleReasoning()).toBe(true);
    t.prompt('q');
    t.take();
    t.reasoning('step one\nstep t');
    expect(committed(t)).toEqual(['thinking', '  step one']);
    t.reasoning('wo');
    t.text('Answer\n');
    expect(committed(t)).toEqual(['  step two', 'Answer']);
  });

  it('shows the last collapsed reasoning in full when /reasoning is turned on afterwards', () => {
    const t = transcript();
    t.prompt('q');
    t.reasoning('hidden line one\nhidden line two');
    t.text('answer');
    t.event(finished('answer'));
    t.take();
    t.toggleReasoning();
    expect(committed(t)).toEqual(['thinking', '  hidden line one', '  hidden line two']);
  });

  it('shows one line per tool call while it runs and commits it with a short result', () => {
    const t = transcript();
    t.prompt('q');
    t.take();
    t.text('Let me look.');
    t.event({ type: 'tool_call_start', id: 'a', name: 'read_file' });
    t.event({ type: 'tool_call_start', id: 'b', name: 'grep' });
    expect(t.view(80, 8).tools).toEqual(['⚙ read_file preparing…', '⚙ grep preparing…']);
    t.event({ type: 'tool_call', id: 'a', name: 'read_file', arguments: '{"path":"src/app.tsx"}' });
    t.event({ type: 'tool_call', id: 'b', name: 'grep', arguments: '{"pattern":"TODO","path":"src"}' });
    const calls = [
      { id: 'a', name: 'read_file', arguments: '{"path":"src/app.tsx"}' },
      { id: 'b', name: 'grep', arguments: '{"pattern":"TODO","path":"src"}' },
    ];
    t.event({ type: 'message', message: message('Let me look.', { toolCalls: calls, stopReason: 'tool_calls' }) });
    // the text segment is closed before the tools run
    expect(committed(t)).toEqual(['Let me look.']);
    t.event({ type: 'tool_started', ...calls[0]! });
    expect(t.view(80, 8).tools).toEqual(['⚙ read_file src/app.tsx running…', '⚙ grep src preparing…']);
    t.event({ type: 'tool_finished', id: 'a', name: 'read_file', content: 'line 1\nline 2\nline 3', isError: false });
    expect(committed(t)).toEqual(['✓ read_file src/app.tsx — 3 lines']);
    t.event({ type: 'tool_started', ...calls[1]! });
    t.event({ type: 'tool_finished', id: 'b', name: 'grep', content: 'grep: src: no such folder\nmore', isError: true });
    expect(committed(t)).toEqual(['✗ grep src — grep: src: no such folder']);
    expect(t.view(80, 8).tools).toEqual([]);
    // waiting for the model to read the results
    expect(t.view(80, 8).waiting).toBeDefined();
  });

  it('keeps the partial answer on an interrupt and marks it', () => {
    const t = transcript();
    t.prompt('q');
    t.take();
    t.text('Partial line one\nand half of tw');
    t.event({ type: 'tool_call_start', id: 'a', name: 'slow_tool' });
    t.interrupt();
    expect(committed(t)).toEqual(['Partial line one', 'and half of tw', '⏹ slow_tool — interrupted', '⏹ interrupted']);
    expect(t.phase).toBe('idle');
    expect(t.view(80, 8).answer).toEqual([]);
    expect(t.lastAnswer).toBe('Partial line one\nand half of tw');
    // events of the cancelled run that still arrive change nothing visible once idle
    t.event(finished('late'));
    expect(t.take()).toEqual([]);
  });

  it('shows an error as one red line with what to do, after the partial answer it keeps', () => {
    const t = transcript({ color: true });
    t.prompt('q');
    t.take();
    t.text('Half an ans');
    t.event({ type: 'error', error: { kind: 'network', message: 'connection reset by sk-secret-key-0123456789', retryable: true }, partial: true });
    const lines = t.take();
    expect(lines.map(stripSgr)).toEqual(['Half an ans', '✗ the answer broke off: connection reset by [redacted] — check the connection, then ask again']);
    expect(lines[1]).toMatch(/^\x1b\[31m/);
    t.event({ type: 'finished', result: { status: 'error', usage: { inputTokens: 0, outputTokens: 0 } } });
    expect(t.phase).toBe('idle');
  });

  it('strips terminal escape sequences from model text, even split across deltas', () => {
    const t = transcript();
    t.prompt('q');
    t.take();
    t.text('safe \x1b]0;pwned');
    t.text('\x07text \x1b[2');
    t.text('Jend\n');
    expect(committed(t)).toEqual(['safe text end']);
  });

  it('says when an answer was cut off or the tool loop was stopped', () => {
    const t = transcript();
    t.prompt('q');
    t.text('Half');
    t.event({ type: 'finished', result: { status: 'completed', stopReason: 'length', message: message('Half'), usage: { inputTokens: 1, outputTokens: 1 } } });
    expect(committed(t).slice(-2)).toEqual(['Half', '⚠ the answer was cut off at the output token limit']);
    t.prompt('again');
    t.event({ type: 'finished', result: { status: 'max_turns', stopReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 1 } } });
    expect(committed(t).at(-1)).toMatch(/^⚠ stopped: the model asked for tools more times than allowed/);
  });

  it('shows the retry reason while waiting', () => {
    const t = transcript();
    t.prompt('q');
    t.event({ type: 'request_start', turn: 1, attempt: 1 });
    t.event({ type: 'retrying', attempt: 2, delayMs: 1500, reason: 'HTTP 503' });
    expect(t.view(80, 8).waiting?.note).toBe('retrying in 1.5 s (attempt 2): HTTP 503');
  });
});
