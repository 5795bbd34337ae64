// The --resume picker: moving through more sessions than the terminal has rows, choosing and
// cancelling.

import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../src/agent/session/store.js';
import { SessionPicker, type PickResult } from '../../src/tui/session-picker.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

function sessions(n: number): SessionSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `id${String(i).padStart(6, '0')}`,
    file: `/s/${i}.jsonl`,
    startedAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-02T10:00:00.000Z',
    cwd: '/p/project',
    model: 'm',
    provider: 'openai',
    firstPrompt: `prompt number ${i}`,
    messageCount: 2,
  }));
}

function setup(n: number) {
  const results: PickResult[] = [];
  const app = render(<SessionPicker sessions={sessions(n)} onDone={(r) => results.push(r)} />);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await tick();
    }
  };
  // eslint-disable-next-line no-control-regex
  const plain = () => (app.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  const chosen = () => plain().split('\n').find((row) => row.startsWith('›'));
  return { app, results, press, chosen };
}

describe('the session picker', () => {
  it('starts on the session used last, moves with the arrows and resumes the chosen one on Enter', async () => {
    const { results, press, chosen } = setup(3);
    expect(chosen()).toContain('prompt number 0');
    await press('\x1b[B', '\x1b[B', '\x1b[B');
    expect(chosen()).toContain('prompt number 2');
    await press('\x1b[A');
    expect(chosen()).toContain('prompt number 1');
    await press('\r');
    expect(results).toEqual(['id000001']);
  });

  it('shows only as many rows as fit, keeping the choice in view, and says where it is', async () => {
    const { app, press, chosen } = setup(60);
    const rows = () => (app.lastFrame() ?? '').split('\n').filter((row) => row.includes('prompt number'));
    expect(rows().length).toBeLessThan(60);
    await press('\x1b[F'); // End
    expect(chosen()).toContain('prompt number 59');
    expect(app.lastFrame()).toContain('60/60');
    await press('\x1b[H'); // Home
    expect(chosen()).toContain('prompt number 0');
  });

  it('Esc cancels and Ctrl+C interrupts', async () => {
    const esc = setup(2);
    await esc.press('\x1b');
    expect(esc.results).toEqual(['cancelled']);
    const ctrlC = setup(2);
    await ctrlC.press('\x03');
    expect(ctrlC.results).toEqual(['interrupted']);
  });
});
