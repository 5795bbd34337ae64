// The built hermes in a real pseudo-terminal (tmux, 120x40), talking to a loopback server:
// a prompt streams, Escape interrupts it (the server sees the connection close at once), the
// partial answer stays marked, the next prompt gets its full answer, Ctrl+D exits with 0.
// Everything the program writes to the terminal is recorded too (pipe-pane), so we can check
// that streaming never clears the screen and that the scrollback holds each line once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { anthropicTextFrames } from '../support/wire/anthropic.js';
import { chatTextFrames, chatTextSse } from '../support/wire/openai-chat.js';
import { conversationOf } from './helpers.js';
import { TmuxServer, hasTmux, sleep, type HermesInTmux } from './tmux.js';

if (!hasTmux) {
  // Said once, plainly, instead of a silent skip: CI installs tmux, so this only happens locally.
  console.warn('test/e2e/tui.test.ts: skipped because `tmux` is not installed (apt-get install tmux)');
}

const terminals = new TmuxServer('tui');
const tmux = (...args: string[]) => terminals.tmux(...args);
const servers: LoopbackServer[] = [];

/** The built hermes in tmux, pointed at a loopback server playing `script`, at its prompt. */
async function startHermes(name: string, script: Step[], columns = 120, rows = 40): Promise<HermesInTmux & { server: LoopbackServer }> {
  const server = await startLoopback(script);
  servers.push(server);
  const hermes = await terminals.start(name, { baseURL: server.baseURL, columns, rows });
  await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
  return { ...hermes, server };
}

// Each line arrives word by word over several frames, so a line is live (redrawn) for a while
// before it is committed: a renderer that left stale frames behind would show up as copies.
const TOKENS = Array.from({ length: 300 }, (_, i) => [`Line`, ` ${i + 1}`, ' of', ' the', ' streamed', ' answer.', '\n']).flat();

describe.skipIf(!hasTmux)('hermes in a real terminal (tmux)', () => {
  beforeAll(() => TmuxServer.requireBuild());

  afterAll(async () => {
    await terminals.stop();
    for (const server of servers) await server.close();
  });

  it('streams, interrupts on Escape, answers again, and exits with 0 on Ctrl+D', async () => {
    const hermes = await startHermes('stream', [
      // the first answer streams slowly and never ends by itself
      { kind: 'stream', chunks: chatTextFrames(TOKENS), delayMs: 15, hang: true },
      { kind: 'stream', chunks: [chatTextSse(['Full answer, first line.\n', 'Second line.\n', 'The end.'], { usage: true })] },
    ]);
    const { server, screen, waitForScreen } = hermes;
    expect(await screen()).toMatch(/^hermes \S+ · gpt-4\.1-mini · openai · /);

    await hermes.type('tell me a long story');
    await hermes.key('Enter');
    // the answer streams in: more lines show up over time
    await waitForScreen((s) => s.includes('Line 3 of'), 'the answer to start');
    const later = await waitForScreen((s) => s.includes('Line 12 of'), 'the answer to go on');
    expect(later).toContain('› tell me a long story');
    expect(later).not.toContain('Line 200 of');

    const request = server.requests[0]!;
    const sent = performance.now();
    await hermes.key('Escape');
    const closedAt = await request.closed;
    expect(closedAt - sent).toBeLessThan(100);

    const stopped = await waitForScreen((s) => s.includes('⏹ interrupted'), 'the interrupted mark');
    expect(stopped).toContain('Line 11 of the streamed answer.');
    expect(stopped).not.toContain('Line 200 of');
    // what was shown stays, marked, and is what the model gets back as its answer
    const screenLines = stopped.split('\n');
    const shown = screenLines.slice(screenLines.indexOf('› tell me a long story') + 2, screenLines.indexOf('⏹ interrupted'));
    // the line that was coming in when Escape landed (maybe only its first word, "Line")
    expect(shown.at(-1)).toMatch(/^Line( 1[1-9]|$)/);

    await hermes.type('again please');
    await hermes.key('Enter');
    const answered = await waitForScreen((s) => s.includes('The end.') && s.includes('ask anything'), 'the second answer');
    expect(answered).toContain('Full answer, first line.');
    expect(answered).toMatch(/gpt-4o-2024-08-06 · openai · .* in · .* out/);
    const second = conversationOf(server.requests[1]!.json) as { role: string; content: string }[];
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[1]!.content.trimEnd()).toBe(shown.join('\n'));

    // every line is in the scrollback exactly once: no frame of the live region was left behind
    const history = (await hermes.scrollback()).split('\n');
    const count = (test: (line: string) => boolean) => history.filter(test).length;
    const numbers = history.map((line) => /^Line (\d+)/.exec(line)?.[1]).filter((n) => n !== undefined);
    expect(numbers.length).toBeGreaterThanOrEqual(12);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(count((line) => line.includes('› tell me a long story'))).toBe(1);
    expect(count((line) => line.includes('The end.'))).toBe(1);
    expect(count((line) => line.startsWith('hermes '))).toBe(1);
    // the prompt and the status line exist once, at the bottom
    expect(count((line) => line.startsWith('gpt-4o-2024-08-06 · openai · '))).toBe(1);
    expect(count((line) => line.startsWith('› ask anything') || line.startsWith('› type to queue'))).toBe(1);

    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');

    // streaming never cleared the screen or the scrollback
    const written = hermes.written();
    expect(written.length).toBeGreaterThan(1000);
    expect(written).not.toContain('\x1b[2J');
    expect(written).not.toContain('\x1b[3J');
  });

  it('shows what a library prints (the Anthropic SDK warns on every request with a deprecated model) as a line of its own, never over the answer', async () => {
    const answer = Array.from({ length: 30 }, (_, i) => [`Row ${i + 1}`, ' of', ' the', ' answer.', '\n']).flat();
    const server = await startLoopback([{ kind: 'stream', chunks: anthropicTextFrames(answer), delayMs: 10 }]);
    servers.push(server);
    const hermes = await terminals.start('warning', {
      args: ['--provider', 'anthropic', '-m', 'claude-sonnet-4-5'],
      env: { ANTHROPIC_BASE_URL: server.origin, ANTHROPIC_API_KEY: 'sk-ant-e2e-test-key-0123456789' },
    });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    let lines: string[] = [];
    const count = (test: (line: string) => boolean) => lines.filter(test).length;
    for (const [round, question] of ['first', 'second'].entries()) {
      await hermes.type(question);
      await hermes.key('Enter');
      // The first answer's last row is still on the screen when the second starts: wait for
      // this round's last row in the scrollback, not for the row on the screen.
      const start = Date.now();
      for (;;) {
        // Idle first, then the scrollback: read the other way round, the prompt could turn idle
        // in between and the lines read would still show it busy.
        if ((await hermes.screen()).includes('ask anything')) {
          lines = (await hermes.scrollback(true)).split('\n');
          if (count((line) => line === 'Row 30 of the answer.') === round + 1) break;
        }
        if (Date.now() - start > 10_000) throw new Error(`timed out waiting for the answer to ${question}; the scrollback shows:\n${lines.join('\n')}`);
        await sleep(30);
      }
    }
    // the warning, once per request, whole, on lines of its own
    expect(count((line) => line === "The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life on November 30th, 2026")).toBe(2);
    // every row of both answers once, untouched; the prompt and the status line once
    for (let row = 1; row <= 30; row++) expect(count((line) => line === `Row ${row} of the answer.`)).toBe(2);
    expect(count((line) => line.startsWith('› first'))).toBe(1);
    expect(count((line) => line.startsWith('claude-sonnet-4-20250514 · anthropic · '))).toBe(1);
    expect(count((line) => line.startsWith('› ask anything'))).toBe(1);
  });

  // tmux re-wraps its grid before the program learns the new size (see below): a frame written in
  // that instant is laid out for the old width, a race no program can win. It is rare, but on a
  // busy machine not rare enough for one run: repeated up to twice, the assertion unchanged.
  it('reflows the live region on resize without leaving copies of it in the scrollback', { retry: 2 }, async () => {
    // long lines, each live over many frames: wider than the narrower sizes below. A token
    // every 100 ms: each frame written in the instant tmux re-wraps its grid (before the program
    // can know) is laid out for the old width, a race no program can win; at this pace the
    // frames are few enough for that to be rare, and every resize still meets a live line.
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const paragraphs = 5;
    const tokens = Array.from({ length: paragraphs }, (_, p) => [`P${p + 1}:`, ...Array.from({ length: 16 }, (_, w) => ` ${words[(p + w) % words.length]}`), '\n']).flat();
    const hermes = await startHermes('resize', [{ kind: 'stream', chunks: chatTextFrames([...tokens, 'Finished.']), delayMs: 100 }]);
    await hermes.type('go');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('P1:'), 'the answer to start');
    // tmux re-wraps its grid at once but tells the program about the new size at most every
    // 250 ms; output written in between is laid out for the old width and no program can
    // account for it. So the sizes change at a pace tmux passes on (a person dragging a window
    // edge fast is not covered; see src/tui/terminal-output.ts).
    for (const columns of [60, 100, 45, 80, 38, 120]) {
      await tmux('resize-window', '-t', hermes.session, '-x', String(columns), '-y', '30');
      await sleep(400);
    }
    await hermes.waitForScreen((s) => s.includes('Finished.') && s.includes('ask anything'), 'the answer to finish', 20_000);
    const lines = (await hermes.scrollback(true)).split('\n');
    const starts = lines.map((line) => /^P(\d+):/.exec(line)?.[1]).filter((n) => n !== undefined);
    // each paragraph starts exactly once: no re-wrapped live row stayed behind
    expect(starts).toEqual(Array.from({ length: paragraphs }, (_, i) => String(i + 1)));
    expect(lines.filter((line) => line.startsWith('› go'))).toHaveLength(1);
    // the status line once, naming the model as the server answered
    expect(lines.filter((line) => line.startsWith('gpt-4o-2024-08-06 · openai · '))).toHaveLength(1);
  });
});
