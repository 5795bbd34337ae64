// Slash commands in the TUI: echoed in the scrollback, their output kept out of the middle of a
// streaming answer, and what they change shown right (the status line's context and --yolo).

import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { stripSgr } from '../../src/tui/text-width.js';
import type { Step } from '../support/loopback.js';
import { chatTextFrames, chatTextSse } from '../support/wire/openai-chat.js';
import { KEY, startApp, stopAll, waitFor } from './harness.js';

afterEach(() => stopAll());

const slow = (frames: string[], delayMs: number): Step => ({ kind: 'stream', chunks: frames, delayMs });

describe('slash commands in the TUI', () => {
  it('echoes a command and prints its output after the answer line it was typed during, never inside it', async () => {
    const frames = chatTextFrames(['First line.\n', 'Second ', 'line ', 'goes ', 'on ', 'and ', 'on ', 'until ', 'it ', 'ends.\n', 'Last line.']);
    const app = await startApp({ cwd: os.tmpdir(), script: [slow(frames, 60)] });
    await app.type('go', '\r');
    await waitFor(() => app.frame().includes('Second line'), 'the second line to be streaming');
    await app.type('/model gpt-other', '\r');
    expect(app.agent.model).toBe('gpt-other');
    // at once, under the answer's unfinished line
    expect(app.frame()).toContain('› /model gpt-other');
    await app.idle();
    const lines = app.plain();
    const second = lines.indexOf('Second line goes on and on until it ends.');
    const echo = lines.indexOf('› /model gpt-other');
    expect(second).toBeGreaterThan(-1);
    expect(echo).toBeGreaterThan(second);
    expect(lines[echo + 1]).toMatch(/gpt-other/);
    expect(lines.filter((line) => line === '› /model gpt-other')).toHaveLength(1);
  });

  it('echoes a command typed at the idle prompt before its output', async () => {
    const app = await startApp({ cwd: os.tmpdir(), script: [] });
    await app.type('/usage', '\r');
    const lines = app.plain();
    const echo = lines.indexOf('› /usage');
    expect(echo).toBeGreaterThan(-1);
    expect(lines.length).toBeGreaterThan(echo + 1);
  });

  it('/clear resets the context figure of the status line', async () => {
    const app = await startApp({ cwd: os.tmpdir(), script: [{ kind: 'stream', chunks: [chatTextSse(['ok'], { usage: true })] }] });
    await app.type('hello', '\r');
    await app.idle();
    await waitFor(() => app.frame().includes('context '), 'the context figure');
    await app.type('/clear', '\r');
    await waitFor(() => !app.frame().includes('context '), 'the context figure to go');
  });

  it('/provider with the provider in use keeps the chosen model', async () => {
    const app = await startApp({ cwd: os.tmpdir(), script: [], env: { OPENAI_API_KEY: KEY, HERMES_HOME: os.tmpdir() } });
    await app.type('/model my-local-model', '\r');
    await app.type('/provider openai', '\r');
    expect(app.agent.model).toBe('my-local-model');
    expect(app.plain().at(-1)).toContain('model: my-local-model');
  });

  it('says in the status line that --yolo is on', async () => {
    const app = await startApp({ cwd: os.tmpdir(), script: [], tools: { yolo: true } });
    expect(stripSgr(app.frame())).toContain('yolo');
    const plain = await startApp({ cwd: os.tmpdir(), script: [] });
    expect(plain.frame()).not.toContain('yolo');
  });
});
