// The TUI as a user drives it: keys in, frames out, a REAL Agent talking to a loopback server
// over HTTP through the real openai SDK. Nothing of ours is mocked.

import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { DEFAULT_MODELS } from '../../src/agent/config.js';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { App, type AppSession, type LivePane } from '../../src/components/App.js';
import { InputHistory } from '../../src/tui/input-history.js';
import type { SessionTarget } from '../../src/tui/session-commands.js';
import { stripSgr } from '../../src/tui/text-width.js';
import { TerminalOutput } from '../../src/tui/terminal-output.js';
import { createTheme } from '../../src/tui/theme.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { FakeTerminal, Screen } from '../support/terminal.js';
import { anthropicTextSse } from '../support/wire/anthropic.js';
import { chatFrame, chatTextFrames, chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';

const KEY = 'sk-test-key-0123456789abcdef';
let server: LoopbackServer | undefined;
let other: LoopbackServer | undefined;
let unmount: (() => void) | undefined;

afterEach(async () => {
  unmount?.();
  unmount = undefined;
  await server?.close();
  await other?.close();
  server = undefined;
  other = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Setup {
  script: Step[] | ((n: number) => Step);
  tools?: Tool[];
  target?: Partial<SessionTarget>;
  env?: Record<string, string | undefined>;
  noServer?: boolean;
  pane?: LivePane;
}

async function start(setup: Setup) {
  if (!setup.noServer) server = await startLoopback(setup.script as Step[]);
  const baseURL = setup.noServer ? undefined : server!.baseURL;
  const target: SessionTarget = {
    provider: 'openai',
    baseURL,
    apiKey: KEY,
    stallTimeoutMs: 5_000,
    maxTurns: 10,
    stream: true,
    secrets: [KEY],
    ...setup.target,
  };
  const agent = new Agent({
    provider: 'openai',
    model: 'gpt-4o',
    connection: { baseURL: target.baseURL, apiKey: target.apiKey, stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    tools: setup.tools ? new StaticToolRegistry(setup.tools) : undefined,
  });
  let session: AppSession | undefined;
  const exits: number[] = [];
  const app = render(
    <App
      agent={agent}
      target={target}
      history={new InputHistory(undefined)}
      theme={createTheme(false)}
      version="9.9.9"
      cwd="/home/user/project"
      home="/home/user"
      env={setup.env ?? {}}
      frameMs={10}
      pane={setup.pane}
      onExit={(code) => exits.push(code)}
      onSession={(s) => {
        session = s;
      }}
    />,
  );
  unmount = () => app.unmount();
  await waitFor(() => session !== undefined, 'the app to mount');
  const frame = () => stripSgr(app.lastFrame() ?? '');
  const committed = () => session!.committed();
  const type = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      app.stdin.write(chunk);
      await sleep(20);
    }
  };
  const idle = async () => {
    await waitFor(() => !session!.runner.busy, 'the answer to finish');
    await session!.runner.idle;
    await sleep(20);
  };
  return { app, agent, session: session!, exits, frame, committed, type, idle };
}

/** A stream step that sends each SSE frame as its own write, `delayMs` apart. */
const slow = (frames: string[], delayMs: number, extra: Partial<Extract<Step, { kind: 'stream' }>> = {}): Step => ({ kind: 'stream', chunks: frames, delayMs, ...extra });

/** What hermes has in a terminal: the pane painted by src/tui/terminal-output.ts, here over a
 *  recorded terminal; every paint's rows are kept. */
function recordedPane(columns = 80, rows = 30) {
  const terminal = new FakeTerminal(columns, rows);
  const output = new TerminalOutput(terminal as unknown as NodeJS.WriteStream, { reflows: true });
  const painted: string[][] = [];
  const pane: LivePane = {
    paint(committed, paneRows) {
      painted.push([...paneRows]);
      output.paint(committed, paneRows);
    },
  };
  /** What the terminal shows (scrollback and screen): the lines sent through the pane. */
  const screen = (): string[] => {
    const view = new Screen(columns, rows);
    for (const write of terminal.writes) view.feed(write);
    return view.text.split('\n');
  };
  return { pane, output, painted, screen };
}

const readTwice: Step = {
  kind: 'stream',
  chunks: [
    chatToolCallSse(
      [
        { id: 'call_1', name: 'read_file', arguments: '{"path":"src/app.tsx"}' },
        { id: 'call_2', name: 'read_file', arguments: '{"path":"README.md"}' },
      ],
      { textBefore: ['Let me ', 'look.'], fragments: 4 },
    ),
  ],
};
const readFile: Tool = {
  definition: { name: 'read_file', description: 'reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
  async run() {
    return { content: 'a\nb\nc' };
  },
};

describe('App', () => {
  it('shows a header, the prompt and a status line with model, provider and tokens', async () => {
    const app = await start({ script: [{ kind: 'stream', chunks: [chatTextSse(['Hi!'], { usage: true, promptTokens: 1200 })] }] });
    expect(app.committed()[0]).toBe('hermes 9.9.9 · gpt-4o · openai · ~/project');
    expect(app.frame()).toContain('gpt-4o · openai · 0 in · 0 out');
    await app.type('hello', '\r');
    await app.idle();
    expect(app.frame()).toMatch(/gpt-4o-2024-08-06 · openai · 1\.2k in · 1 out · context 1\.2k\/128k \(1%\)/);
  });

  it('shows the spinner from Enter until the first visible delta, and not after', async () => {
    const frames = chatTextFrames(['Hello', ' there', '\n', 'bye']);
    // the role chunk carries no visible text: the spinner stays until "Hello"
    const app = await start({ script: [slow(frames, 150)] });
    await app.type('hi', '\r');
    await waitFor(() => app.frame().includes('esc to interrupt'), 'the spinner');
    expect(app.frame()).not.toContain('Hello');
    await waitFor(() => app.frame().includes('Hello'), 'the first delta');
    await app.idle();
    const all = app.app.frames.map(stripSgr);
    const firstText = all.findIndex((f) => f.includes('Hello'));
    expect(all.slice(0, firstText).some((f) => f.includes('esc to interrupt'))).toBe(true);
    for (const f of all.slice(firstText)) expect(f).not.toContain('esc to interrupt');
  });

  it('moves every finished line to the committed output while the unfinished one stays live', async () => {
    const frames = chatTextFrames(['# Title\n', 'line one\nline t', 'wo is **long']);
    const app = await start({ script: [slow(frames, 20, { hang: true }), { kind: 'stream', chunks: [chatTextSse(['ok'])] }] });
    await app.type('go', '\r');
    await waitFor(() => app.frame().includes('two is'), 'the unfinished line');
    // finished lines are committed; the unfinished one is not
    expect(app.committed()).toEqual(expect.arrayContaining(['› go', '# Title', 'line one']));
    expect(app.committed().join('\n')).not.toContain('two is');
    expect(app.frame()).toContain('line two is **long');
    // the interrupt commits the partial line, marked
    await app.type('\x1b');
    await app.idle();
    expect(app.committed()).toEqual(expect.arrayContaining(['line two is **long', '⏹ interrupted']));
  });

  it('with a pane (a real terminal), streams outside React: each finished line reaches the scrollback once, in order, and a text frame costs no render', async () => {
    const terminal = recordedPane();
    let inkFrame = (): string => '';
    /** An unfinished line as painted, and Ink's frame at that moment. */
    let live: { row: string; inkFrame: string } | undefined;
    const pane: LivePane = {
      paint(committed, rows) {
        terminal.pane.paint(committed, rows);
        const row = rows.find((r) => /^line \d+ o/.test(r));
        if (live === undefined && row !== undefined) live = { row, inkFrame: inkFrame() };
      },
    };
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the answer`);
    // each line in three deltas, the last one also opening the next line
    const deltas = lines.flatMap((line) => [line.slice(0, 5), line.slice(5, 12), `${line.slice(12)}\n`]);
    const app = await start({ script: [slow(chatTextFrames([...deltas, 'the end']), 4)], pane });
    inkFrame = app.frame;
    const framesBefore = app.app.frames.length;
    await app.type('go', '\r');
    await app.idle();
    // an unfinished line was in the pane, not in Ink's frame
    expect(live).toBeDefined();
    expect(live!.inkFrame).not.toContain(live!.row);
    // the answer took many paints and only a few renders (the prompt, the spinner, the first
    // delta, the status line's tokens, the idle prompt): not one per frame of text
    const paints = terminal.painted.length;
    const renders = app.app.frames.length - framesBefore;
    expect(paints).toBeGreaterThan(15);
    expect(renders).toBeLessThan(Math.min(15, paints / 2));
    expect(terminal.output.pane).toEqual([]);
    // a blank line sets the prompt off from what came before
    expect(terminal.screen()).toEqual(['', '› go', '', ...lines, 'the end']);
    expect(app.committed()).toEqual(expect.arrayContaining(['› go', ...lines, 'the end']));
  });

  it('with a pane, reasoning streams in it and collapses to one line; tool calls are one line each, never their arguments', async () => {
    const terminal = recordedPane();
    const script: Step[] = [
      slow(chatTextFrames(['The answer.'], { reasoning: ['Weighing ', 'the options'] }), 60),
      readTwice,
      { kind: 'stream', chunks: [chatTextSse(['Both ', 'read.'])] },
    ];
    const app = await start({ script, tools: [readFile], pane: terminal.pane });
    await app.type('think', '\r');
    await app.idle();
    expect(terminal.painted.some((rows) => rows[0] === 'thinking…' && rows.some((row) => row.includes('Weighing the options')))).toBe(true);
    await app.type('read them', '\r');
    await app.idle();
    const screen = terminal.screen();
    expect(screen.join('\n')).not.toContain('Weighing');
    expect(screen.some((line) => /^✻ thought for \d+ s · 3 words/.test(line))).toBe(true);
    const at = (text: string) => screen.indexOf(text);
    expect(at('The answer.')).toBeGreaterThan(0);
    expect(at('Let me look.')).toBeGreaterThan(at('The answer.'));
    expect(at('✓ read_file src/app.tsx — 3 lines')).toBeGreaterThan(at('Let me look.'));
    expect(at('✓ read_file README.md — 3 lines')).toBeGreaterThan(at('✓ read_file src/app.tsx — 3 lines'));
    expect(at('Both read.')).toBeGreaterThan(at('✓ read_file README.md — 3 lines'));
    for (const rows of terminal.painted) expect(rows.join('\n')).not.toContain('{"path"');
    for (const f of app.app.frames) expect(f).not.toContain('{"path"');
  });

  it('never shows tool-call argument chunks: one line per call, then its result', async () => {
    const script: Step[] = [readTwice, { kind: 'stream', chunks: [chatTextSse(['Both ', 'read.'])] }];
    const app = await start({ script, tools: [readFile] });
    await app.type('read them', '\r');
    await app.idle();
    for (const f of app.app.frames) {
      expect(f).not.toContain('{"path"');
      expect(f).not.toContain('"}');
    }
    const lines = app.committed();
    const at = (text: string) => lines.indexOf(text);
    expect(at('Let me look.')).toBeGreaterThan(0);
    expect(at('✓ read_file src/app.tsx — 3 lines')).toBeGreaterThan(at('Let me look.'));
    expect(at('✓ read_file README.md — 3 lines')).toBeGreaterThan(at('✓ read_file src/app.tsx — 3 lines'));
    expect(at('Both read.')).toBeGreaterThan(at('✓ read_file README.md — 3 lines'));
  });

  it('streams reasoning live under "thinking" and collapses it to one line when the answer starts', async () => {
    const frames = chatTextFrames(['The answer.'], { reasoning: ['Weighing ', 'the options'] });
    const app = await start({ script: [slow(frames, 120)] });
    await app.type('think', '\r');
    await waitFor(() => app.frame().includes('Weighing the options'), 'the reasoning');
    expect(app.frame()).toContain('thinking…');
    await app.idle();
    expect(app.frame()).not.toContain('Weighing');
    const lines = app.committed();
    expect(lines.some((line) => /^✻ thought for \d+ s · 3 words/.test(line))).toBe(true);
    expect(lines).toContain('The answer.');
    expect(lines.join('\n')).not.toContain('Weighing');

    // /reasoning shows it in full
    await app.type('/reasoning', '\r');
    expect(app.committed()).toEqual(expect.arrayContaining(['reasoning: shown in full', 'thinking', '  Weighing the options']));
  });

  it('interrupts on Esc: the server sees the request close, the partial answer stays marked and in history, the next prompt works', async () => {
    const partial = chatTextFrames(['Partial ', 'answer']).slice(0, 3);
    const app = await start({ script: [slow(partial, 10, { hang: true }), { kind: 'stream', chunks: [chatTextSse(['Second ', 'answer.'])] }] });
    await app.type('first', '\r');
    await waitFor(() => app.frame().includes('Partial answer'), 'the partial answer');
    const request = server!.requests[0]!;
    const pressed = performance.now();
    app.app.stdin.write('\x1b');
    const closedAt = await request.closed;
    expect(closedAt - pressed).toBeLessThan(100);
    await app.idle();
    expect(app.committed()).toEqual(expect.arrayContaining(['Partial answer', '⏹ interrupted']));
    expect(app.agent.history.at(-1)).toMatchObject({ role: 'assistant', content: 'Partial answer', interrupted: true });

    await app.type('second', '\r');
    await app.idle();
    expect(app.committed()).toContain('Second answer.');
    const messages = server!.requests[1]!.json.messages as { role: string; content: string }[];
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'first'],
      ['assistant', 'Partial answer'],
      ['user', 'second'],
    ]);
  });

  it('keeps what was typed on Esc and clears it on Ctrl+C', async () => {
    const hang = chatTextFrames(['Working']).slice(0, 2);
    const app = await start({ script: [slow(hang, 5, { hang: true })] });
    await app.type('one', '\r');
    await waitFor(() => app.frame().includes('Working'), 'the answer');
    await app.type('draft');
    await app.type('\x1b');
    await app.idle();
    expect(app.frame()).toContain('› draft');
    await app.type('\r');
    await waitFor(() => app.frame().includes('Working') && app.session.runner.busy, 'the second answer');
    await app.type('more text', '\x03');
    await app.idle();
    expect(app.frame()).not.toContain('more text');
    expect(app.committed().filter((line) => line === '⏹ interrupted')).toHaveLength(2);
  });

  it('queues what is sent while an answer streams and sends it next', async () => {
    const script = (n: number): Step =>
      n === 1 ? slow(chatTextFrames(['First ', 'answer', ' done.']), 80) : { kind: 'stream', chunks: [chatTextSse(['Queued reply.'])] };
    const app = await start({ script });
    await app.type('first', '\r');
    await waitFor(() => app.frame().includes('First'), 'the first answer');
    await app.type('next one', '\r');
    expect(app.frame()).toContain('⋯ queued: next one');
    expect(server!.requests).toHaveLength(1);
    await waitFor(() => app.committed().includes('Queued reply.'), 'the queued prompt to be answered');
    await app.idle();
    const lines = app.committed();
    expect(lines.indexOf('› next one')).toBeGreaterThan(lines.indexOf('First answer done.'));
    const messages = server!.requests[1]!.json.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.content)).toEqual(['first', 'First answer done.', 'next one']);
  });

  it('sends slash commands to the agent, never to the model', async () => {
    const app = await start({ script: [{ kind: 'stream', chunks: [chatTextSse(['ok'], { usage: true })] }] });
    await app.type('/model gpt-test-2', '\r');
    expect(app.agent.model).toBe('gpt-test-2');
    await app.type('/system Answer in French.', '\r');
    expect(app.agent.system).toBe('Answer in French.');
    await app.type('hello', '\r');
    await app.idle();
    const body = server!.requests[0]!.json;
    expect(body.model).toBe('gpt-test-2');
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer in French.' });

    await app.type('/usage', '\r');
    expect(app.committed()).toContain('this session: 12 tokens in · 1 out · 1 request');
    await app.type('/model', '\r');
    expect(app.committed().some((line) => line.startsWith('model: gpt-test-2'))).toBe(true);
    await app.type('/nonsense', '\r');
    expect(app.committed().some((line) => line.startsWith('unknown command /nonsense'))).toBe(true);

    await app.type('/clear', '\r');
    expect(app.agent.history).toEqual([]);
    await app.type('again', '\r');
    await app.idle();
    expect(server!.requests[1]!.json.messages.map((m: { content: string }) => m.content)).toEqual(['Answer in French.', 'again']);
    expect(server!.requests).toHaveLength(2);
  });

  it('switches provider with /provider, and says which variable is missing when it cannot', async () => {
    other = await startLoopback([{ kind: 'stream', chunks: [anthropicTextSse(['From ', 'Claude.'])] }]);
    const app = await start({ script: [{ kind: 'stream', chunks: [chatTextSse(['x'])] }], env: { HERMES_HOME: '/nonexistent-hermes-home' } });
    await app.type('/provider anthropic', '\r');
    expect(app.committed().some((line) => line.includes('ANTHROPIC_API_KEY is not set'))).toBe(true);
    expect(app.agent.providerId).toBe('openai');

    unmount?.();
    const app2 = await start({
      script: [{ kind: 'stream', chunks: [chatTextSse(['x'])] }],
      env: { HERMES_HOME: '/nonexistent-hermes-home', ANTHROPIC_BASE_URL: other.origin, ANTHROPIC_API_KEY: 'sk-ant-test-0123456789' },
    });
    await app2.type('/provider anthropic', '\r');
    expect(app2.agent.providerId).toBe('anthropic');
    expect(app2.agent.model).toBe(DEFAULT_MODELS.anthropic);
    await app2.type('hi claude', '\r');
    await app2.idle();
    expect(app2.committed()).toContain('From Claude.');
    expect(other.requests[0]!.url).toBe('/v1/messages');
    // the status line names the model as the server answered (a dated snapshot)
    expect(app2.frame()).toContain("claude-sonnet-4-20250514 · anthropic");
  });

  it('starts without an API key and shows a red line on the first prompt; the chat goes on', async () => {
    const app = await start({ script: [], noServer: true, target: { apiKey: undefined, baseURL: undefined } });
    await app.type('hello', '\r');
    await app.idle();
    expect(app.committed()).toContain('✗ OPENAI_API_KEY is not set — export it and restart hermes, or set OPENAI_BASE_URL to a server that needs no key');
    expect(app.frame()).toContain('› ask anything');
  });

  it('shows HTTP errors and dropped streams as one red line, keeping the partial answer', async () => {
    const dropped = chatTextFrames(['Half ', 'an answer']).slice(0, 3);
    const script: Step[] = [
      { kind: 'json', status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } },
      slow(dropped, 5, { drop: true }),
      { kind: 'stream', chunks: [chatTextSse(['Fine now.'])] },
    ];
    const app = await start({ script });
    await app.type('one', '\r');
    await app.idle();
    const auth = app.committed().find((line) => line.startsWith('✗'));
    expect(auth).toMatch(/Incorrect API key provided.* — check OPENAI_API_KEY/);
    expect(auth).not.toContain(KEY);

    await app.type('two', '\r');
    await app.idle();
    const lines = app.committed();
    expect(lines).toContain('Half an answer');
    expect(lines.at(-1)).toMatch(/^✗ the answer broke off: .* — /);

    await app.type('three', '\r');
    await app.idle();
    expect(app.committed()).toContain('Fine now.');
  });

  it('copies the last answer with /copy (OSC 52) and redraws on Ctrl+L', async () => {
    const app = await start({ script: [{ kind: 'stream', chunks: [chatTextSse(['Copy ', 'me ✓'])] }] });
    await app.type('/copy', '\r');
    expect(app.committed()).toContain('nothing to copy yet');
    await app.type('hi', '\r');
    await app.idle();
    await app.type('/copy', '\r');
    const osc = `\x1b]52;c;${Buffer.from('Copy me ✓').toString('base64')}\x07`;
    expect(app.app.frames.some((f) => f.startsWith(osc))).toBe(true);
    expect(app.committed().some((line) => line.startsWith('copied the last answer (9 characters)'))).toBe(true);

    const before = app.app.frames.length;
    await app.type('\x0c');
    // Ink erases the live region, writes this, and draws the live region again
    expect(app.app.frames.slice(before).some((f) => f.startsWith('\x1b[2J\x1b[H'))).toBe(true);
  });

  it('exits on Ctrl+D at an empty prompt', async () => {
    const app = await start({ script: [{ kind: 'stream', chunks: [chatFrame('x')] }] });
    await app.type('\x04');
    expect(app.exits).toEqual([0]);
  });
});
