// Keys and terminal modes of the built hermes in a real pseudo-terminal (tmux): Shift+Enter
// told apart from Enter (the kitty keyboard protocol's and modifyOtherKeys' forms, sent as the
// bytes such a terminal sends: tmux 3.3's send-keys has no name for Shift+Enter), the modes
// asked for and popped on exit and on a signal, and Ctrl+Z suspending to the shell.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { TmuxServer, hasTmux, type HermesInTmux, type HermesOptions } from './tmux.js';

const terminals = new TmuxServer('keys');
const servers: LoopbackServer[] = [];

const KEYS_ON = '\x1b[>1u\x1b[>4;1m';
const KEYS_OFF = '\x1b[<u\x1b[>4;0m';

async function startHermes(name: string, script: Step[], options: HermesOptions = {}): Promise<HermesInTmux & { server: LoopbackServer }> {
  const server = await startLoopback(script);
  servers.push(server);
  const hermes = await terminals.start(name, { baseURL: server.baseURL, ...options });
  await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
  return { ...hermes, server };
}

describe.skipIf(!hasTmux)('keys in a real terminal (tmux)', () => {
  beforeAll(() => TmuxServer.requireBuild());

  afterAll(async () => {
    await terminals.stop();
    for (const server of servers) await server.close();
  });

  it('inserts a newline on Shift+Enter, Alt+Enter and Ctrl+J, sends on Enter, and pops the keyboard modes on exit', async () => {
    const hermes = await startHermes('shift-enter', [{ kind: 'stream', chunks: [chatTextSse(['Got it.'])] }]);
    const bytes = (text: string) => terminals.tmux('send-keys', '-t', 'shift-enter', '-H', ...Buffer.from(text).toString('hex').match(/../g)!);
    await hermes.type('one');
    await bytes('\x1b[13;2u'); // Shift+Enter, kitty keyboard protocol
    await hermes.type('two');
    await bytes('\x1b[27;2;13~'); // Shift+Enter, xterm modifyOtherKeys
    await hermes.type('three');
    await hermes.key('M-Enter');
    await hermes.type('four');
    await hermes.key('C-j');
    await hermes.type('five');
    await hermes.waitForScreen((s) => s.includes('five'), 'the fifth line');
    expect(hermes.server.requests).toHaveLength(0);
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('Got it.'), 'the answer');
    const messages = hermes.server.requests[0]!.json.messages as { role: string; content: string }[];
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'one\ntwo\nthree\nfour\nfive' });

    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
    const written = hermes.written();
    expect(written).toContain(KEYS_ON);
    expect(written.lastIndexOf(KEYS_OFF)).toBeGreaterThan(written.lastIndexOf(KEYS_ON));
  });

  it('pops the keyboard modes when a signal ends it', async () => {
    const hermes = await startHermes('signal', []);
    // the chat proper is up (not only the first screen painted before it loads)
    await hermes.type('typed');
    await hermes.waitForScreen((s) => s.includes('› typed'), 'the chat');
    const pane = (await terminals.tmux('display-message', '-p', '-t', 'signal', '#{pane_pid}')).stdout.trim();
    await terminals.tmux('run-shell', `pkill -TERM -P ${pane} -f bin/hermes.js`);
    expect(await hermes.exitCode()).toBe('143');
    const written = hermes.written();
    expect(written).toContain(KEYS_ON);
    expect(written.lastIndexOf(KEYS_OFF)).toBeGreaterThan(written.lastIndexOf(KEYS_ON));
  });

  it('suspends to the shell on Ctrl+Z with the terminal restored, and comes back on fg', async () => {
    const hermes = await startHermes('suspend', [{ kind: 'stream', chunks: [chatTextSse(['Back again.'])] }], { inShell: true });
    await hermes.type('draft');
    await hermes.waitForScreen((s) => s.includes('› draft'), 'the draft');
    await hermes.key('C-z');
    await hermes.waitForScreen((s) => /Stopped/.test(s), 'the shell to say it stopped');
    // (the shell's own prompt turns bracketed paste on again afterwards)
    const suspended = hermes.written();
    expect(suspended).toContain(`\x1b[?2004l${KEYS_OFF}\x1b[?25h`);
    expect(suspended.lastIndexOf(KEYS_OFF)).toBeGreaterThan(suspended.lastIndexOf(KEYS_ON));
    // the shell has a cooked terminal: what is typed is echoed by the terminal driver, line by line
    await hermes.type('stty -a | grep -o -- "-icanon\\|icanon" | head -1');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => /^icanon$/m.test(s), 'canonical mode in the shell');

    await hermes.type('fg');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('› draft'), 'hermes to draw itself again');
    expect(hermes.written().lastIndexOf(KEYS_ON)).toBeGreaterThan(hermes.written().lastIndexOf(KEYS_OFF));
    await hermes.type(' sent');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('Back again.'), 'the answer after fg');
    const messages = hermes.server.requests[0]!.json.messages as { role: string; content: string }[];
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'draft sent' });
  });

  it('keeps the input box and the status line with CI set in a real terminal, and gives the tools CI as it was', async () => {
    const hermes = await startHermes(
      'ci',
      [
        { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command: 'echo "CI is $CI"' }) }])] },
        { kind: 'stream', chunks: [chatTextSse(['Streamed in CI.'], { usage: true })] },
      ],
      { env: { CI: 'true' }, args: ['--yolo'] },
    );
    await hermes.type('hello there');
    await hermes.waitForScreen((s) => s.includes('› hello there'), 'the typed text in the input box');
    await hermes.key('Enter');
    const after = await hermes.waitForScreen((s) => s.includes('Streamed in CI.') && /\d+ in · \d+ out/.test(s) && s.includes('ask anything'), 'the answer, the prompt and the status line');
    expect(after).toContain('› hello there');
    const tool = (hermes.server.requests[1]!.json.messages as { role: string; content: string }[]).find((m) => m.role === 'tool');
    expect(tool?.content).toContain('CI is true');
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
  });

  it('names an unknown key of config.json once at start', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'hermes-keys-home-'));
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({ modle: 'gpt-4o' }));
    try {
      const hermes = await startHermes('config', [], { home });
      const screen = await hermes.waitForScreen((s) => s.includes('"modle"'), 'the warning');
      expect(screen.match(/"modle"/g)).toHaveLength(1);
      await hermes.key('C-d');
      expect(await hermes.exitCode()).toBe('0');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
