import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_HINT, InputBox, colourAllowed, type InputBoxProps } from '../../src/components/InputBox.js';
import { InputHistory } from '../../src/tui/input-history.js';

// Long enough for Ink to flush a lone Esc (it waits one setImmediate) and for React to commit.
const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

function setup(overrides: Partial<InputBoxProps> = {}) {
  const calls = {
    submitted: [] as string[],
    interrupts: [] as string[],
    exits: 0,
    redraws: 0,
    hints: [] as (string | undefined)[],
  };
  const history = overrides.history ?? new InputHistory(undefined);
  const props = (extra: Partial<InputBoxProps> = {}): InputBoxProps => ({
    busy: false,
    history,
    onSubmit: (text) => calls.submitted.push(text),
    onInterrupt: (kind) => calls.interrupts.push(kind),
    onExit: () => calls.exits++,
    onRedraw: () => calls.redraws++,
    onHint: (text) => calls.hints.push(text),
    width: 60,
    ...overrides,
    ...extra,
  });
  const app = render(<InputBox {...props()} />);
  const type = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      app.stdin.write(chunk);
      await tick();
    }
  };
  const setBusy = async (busy: boolean) => {
    app.rerender(<InputBox {...props({ busy })} />);
    await tick();
  };
  /** The prompt as shown, without the marker and trailing cursor cell. */
  const shown = () => (app.lastFrame() ?? '').replace(/^›[ ]?/, '').trimEnd();
  return { app, calls, history, type, setBusy, shown };
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
  vi.useRealTimers();
});

async function mounted(overrides: Partial<InputBoxProps> = {}) {
  const box = setup(overrides);
  cleanups.push(() => box.app.unmount());
  await tick();
  return box;
}

describe('InputBox', () => {
  it('shows what is typed and sends it on Enter, clearing the prompt', async () => {
    const box = await mounted();
    await box.type('h', 'i', ' ', 'there');
    expect(box.shown()).toBe('hi there');
    await box.type('\r');
    expect(box.calls.submitted).toEqual(['hi there']);
    expect(box.shown()).toBe('');
    expect(box.history.entries).toEqual(['hi there']);
  });

  it('does not send blank input', async () => {
    const box = await mounted();
    await box.type('\r', '   ', '\r');
    expect(box.calls.submitted).toEqual([]);
  });

  it('inserts a new line for Shift+Enter, Alt+Enter and Ctrl+J instead of sending', async () => {
    const box = await mounted();
    await box.type('a', '\x1b[13;2u', 'b', '\x1b\r', 'c', '\n', 'd');
    expect(box.calls.submitted).toEqual([]);
    expect(box.shown().split('\n').map((line) => line.trim())).toEqual(['a', 'b', 'c', 'd']);
    await box.type('\r');
    expect(box.calls.submitted).toEqual(['a\nb\nc\nd']);
  });

  it('edits with the readline keys', async () => {
    const box = await mounted();
    await box.type('hello big world', '\x17'); // Ctrl+W
    expect(box.shown()).toBe('hello big');
    await box.type('\x01', '> ', '\x05', '!'); // Ctrl+A, type, Ctrl+E, type
    expect(box.shown()).toBe('> hello big !');
    await box.type('\x1b[D', '\x1b[D', '\x7f', '\x1b[3~'); // left, left, backspace, delete
    expect(box.shown()).toBe('> hello bi!');
    await box.type('\x01', '\x1b[C', '\x1b[C', '\x0b'); // start, right, right, Ctrl+K
    expect(box.shown()).toBe('>');
    await box.type('\x05', '\x15'); // Ctrl+E, Ctrl+U
    expect(box.shown()).toBe('');
  });

  it('walks history with Up/Down and gives back the draft', async () => {
    const history = new InputHistory(undefined);
    history.add('older');
    history.add('newer');
    const box = await mounted({ history });
    await box.type('my draft', '\x1b[A');
    expect(box.shown()).toBe('newer');
    await box.type('\x1b[A');
    expect(box.shown()).toBe('older');
    await box.type('\x1b[B', '\x1b[B');
    expect(box.shown()).toBe('my draft');
    await box.type('\x1b[A', '\r');
    expect(box.calls.submitted).toEqual(['newer']);
  });

  it('moves between the lines of a multi-line prompt before walking history', async () => {
    const history = new InputHistory(undefined);
    history.add('from history');
    const box = await mounted({ history });
    await box.type('one', '\n', 'two', '\x1b[A', 'X');
    expect(box.shown().split('\n').map((line) => line.trim())).toEqual(['oneX', 'two']);
    await box.type('\x1b[A');
    expect(box.shown()).toBe('from history');
  });

  it('inserts a paste split across reads as one block and does not send it', async () => {
    const box = await mounted();
    await box.type('\x1b[200~first line\r', 'second line\r\nthi', 'rd line\x1b[20', '1~');
    expect(box.calls.submitted).toEqual([]);
    expect(box.shown().split('\n').map((line) => line.trim())).toEqual(['first line', 'second line', 'third line']);
    await box.type('\r');
    expect(box.calls.submitted).toEqual(['first line\nsecond line\nthird line']);
  });

  it('does not send the lines of a paste from a terminal without bracketed paste', async () => {
    const box = await mounted();
    await box.type('one\rtwo\rthree');
    expect(box.calls.submitted).toEqual([]);
    await box.type('\r');
    expect(box.calls.submitted).toEqual(['one\ntwo\nthree']);
  });

  it('Esc interrupts only while busy, and keeps the typed text', async () => {
    const box = await mounted();
    await box.type('keep me', '\x1b');
    expect(box.calls.interrupts).toEqual([]);
    expect(box.shown()).toBe('keep me');
    await box.setBusy(true);
    await box.type('\x1b');
    expect(box.calls.interrupts).toEqual(['esc']);
    expect(box.shown()).toBe('keep me');
  });

  it('stays usable while busy: typing and Enter still work', async () => {
    const box = await mounted({ busy: true });
    await box.type('next question', '\r');
    expect(box.calls.submitted).toEqual(['next question']);
  });

  it('Ctrl+C while busy interrupts and clears the input', async () => {
    const box = await mounted({ busy: true });
    await box.type('half typed', '\x03');
    expect(box.calls.interrupts).toEqual(['ctrl-c']);
    expect(box.shown()).toBe('');
    expect(box.calls.exits).toBe(0);
  });

  it('Ctrl+C when idle clears the text first, then asks for a second press to exit', async () => {
    const box = await mounted();
    await box.type('text', '\x03');
    expect(box.shown()).toBe('');
    expect(box.calls.exits).toBe(0);
    expect(box.calls.interrupts).toEqual([]);
    await box.type('\x03');
    expect(box.calls.hints).toEqual([EXIT_HINT]);
    expect(box.calls.exits).toBe(0);
    await box.type('\x03');
    expect(box.calls.exits).toBe(1);
  });

  it('does not exit on two Ctrl+C presses more than 2 s apart', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const box = await mounted();
    await box.type('\x03');
    vi.setSystemTime(Date.now() + 2500);
    await box.type('\x03');
    expect(box.calls.exits).toBe(0);
    expect(box.calls.hints.at(-1)).toBe(EXIT_HINT);
  });

  it('a key between the two Ctrl+C presses cancels the exit', async () => {
    const box = await mounted();
    await box.type('\x03', 'a', '\x7f', '\x03');
    expect(box.calls.exits).toBe(0);
    expect(box.calls.hints).toEqual([EXIT_HINT, undefined, EXIT_HINT]);
  });

  it('Ctrl+D exits on an empty prompt and deletes forward otherwise', async () => {
    const box = await mounted();
    await box.type('ab', '\x1b[D', '\x04');
    expect(box.shown()).toBe('a');
    expect(box.calls.exits).toBe(0);
    await box.type('\x7f', '\x04');
    expect(box.calls.exits).toBe(1);
  });

  it('Ctrl+L asks for a redraw', async () => {
    const box = await mounted();
    await box.type('\x0c');
    expect(box.calls.redraws).toBe(1);
    expect(box.shown()).toBe('');
  });

  it('lists matching slash commands while typing one, and Tab completes it', async () => {
    const box = await mounted();
    await box.type('/');
    const frame = box.app.lastFrame() ?? '';
    expect(frame).toContain('/model [name]');
    expect(frame).toContain('/help');
    await box.type('mo');
    expect(box.app.lastFrame()).toContain('/model [name]');
    expect(box.app.lastFrame()).not.toContain('/help');
    await box.type('\t', 'gpt-4o');
    expect(box.app.lastFrame()).toMatch(/^› \/model gpt-4o/);
    await box.type('\r');
    expect(box.calls.submitted).toEqual(['/model gpt-4o']);
    expect(box.app.lastFrame()).not.toContain('[name]');
  });

  it('never echoes control characters or unknown escape sequences', async () => {
    const box = await mounted();
    await box.type('a', '\x1b[15~', '\x00', '\x1bx', '\x1b[I', 'b');
    expect(box.shown()).toBe('ab');
    expect(box.app.lastFrame()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('shows the placeholder only while the prompt is empty', async () => {
    const box = await mounted({ placeholder: 'Ask anything' });
    expect(box.app.lastFrame()).toContain('Ask anything');
    await box.type('x');
    expect(box.app.lastFrame()).not.toContain('Ask anything');
  });

  it('keeps a long multi-line prompt to a window of rows', async () => {
    const box = await mounted();
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    await box.type(`\x1b[200~${lines.join('\n')}\x1b[201~`);
    const frame = box.app.lastFrame() ?? '';
    expect(frame).toContain('line 39');
    expect(frame).not.toContain('line 0\n');
    expect(frame).toContain('more lines above');
    expect(frame.split('\n').length).toBeLessThan(12);
  });
});

describe('colourAllowed', () => {
  it('is off when NO_COLOR is set to anything but the empty string', () => {
    expect(colourAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ NO_COLOR: '' })).toBe(true);
    expect(colourAllowed({})).toBe(true);
  });
});
