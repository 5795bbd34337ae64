// The text format's decisions about what goes where: answer text on stdout (sanitised, with a
// final newline), reasoning and progress on stderr only when asked or watched, dimmed only
// when colour is allowed.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent, RunResult } from '../../src/agent/events.js';
import { emptyAssistantMessage } from '../../src/agent/types.js';
import { colorEnabled } from '../../src/cli/messages.js';
import { OutputWriter } from '../../src/cli/output-writer.js';
import { createTextRenderer, type TextRendererOptions } from '../../src/cli/render-text.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

const done: RunResult = { status: 'completed', stopReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };

async function render(events: AgentEvent[], options: Partial<Omit<TextRendererOptions, 'writer'>> = {}) {
  const out = new Sink();
  const err = new Sink();
  const writer = new OutputWriter(out, err);
  const renderer = createTextRenderer({ writer, secrets: ['sk-secret-0123456789'], showReasoning: false, showProgress: false, color: false, ...options });
  for (const event of events) renderer.event(event);
  renderer.finish(done);
  await writer.end();
  return { stdout: out.text, stderr: err.text };
}

const text = (delta: string): AgentEvent => ({ type: 'text', delta });
const reasoning = (delta: string): AgentEvent => ({ type: 'reasoning', delta });

describe('text output', () => {
  it('prints only the answer on stdout, ending with one newline', async () => {
    expect(await render([reasoning('let me think'), text('Hello'), text(' world')])).toEqual({ stdout: 'Hello world\n', stderr: '' });
    expect((await render([text('ends with newline\n')])).stdout).toBe('ends with newline\n');
    expect((await render([])).stdout).toBe('');
  });

  it('strips escape sequences even when they are split across deltas', async () => {
    expect((await render([text('a\u001b]0;ti'), text('tle\u0007b\u001b['), text('2Jc')])).stdout).toBe('abc\n');
  });

  it('shows reasoning on stderr, plain when colour is off, dim when on, and ends its line before the answer', async () => {
    const events = [reasoning('step one, '), reasoning('step two'), text('Answer')];
    expect(await render(events, { showReasoning: true })).toEqual({ stdout: 'Answer\n', stderr: 'step one, step two\n' });
    const dimmed = await render(events, { showReasoning: true, color: true });
    expect(dimmed.stderr).toBe('\u001b[2mstep one, \u001b[22m\u001b[2mstep two\u001b[22m\n');
  });

  it('sanitises reasoning too', async () => {
    expect((await render([reasoning('x\u001b[31my')], { showReasoning: true })).stderr).toBe('xy\n');
  });

  it('reports retries and tools on stderr only when progress is wanted, without the key', async () => {
    const events: AgentEvent[] = [
      { type: 'retrying', attempt: 2, delayMs: 1500, reason: 'HTTP 500: bad key sk-secret-0123456789' },
      { type: 'tool_started', id: '1', name: 'read_file', arguments: '{}' },
      { type: 'tool_finished', id: '1', name: 'read_file', content: 'ok', isError: false },
      text('done'),
    ];
    expect((await render(events)).stderr).toBe('');
    const shown = await render(events, { showProgress: true });
    expect(shown.stderr).toBe('retrying in 1.5 s (attempt 2): HTTP 500: bad key [redacted]\nrunning read_file…\nread_file done\n');
    expect(shown.stdout).toBe('done\n');
  });

  it('closes the text segment before a tool call, so later text starts on a new line', async () => {
    const message = { ...emptyAssistantMessage(), content: 'Let me check.', toolCalls: [{ id: '1', name: 'ls', arguments: '{}' }] };
    const result = await render([text('Let me check.'), { type: 'message', message }, text('Found it.')]);
    expect(result.stdout).toBe('Let me check.\nFound it.\n');
  });
});

describe('colorEnabled', () => {
  it('is on for a terminal unless NO_COLOR is set or TERM is dumb', () => {
    expect(colorEnabled(true, {})).toBe(true);
    expect(colorEnabled(false, {})).toBe(false);
    expect(colorEnabled(undefined, {})).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled(true, { TERM: 'dumb' })).toBe(false);
  });
});
