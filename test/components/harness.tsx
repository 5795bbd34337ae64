// The whole TUI as `hermes` wires it (src/tui/run-tui.tsx): a REAL Agent with the built-in
// tools behind the approval policy, the session store, the App; talking to a loopback server
// over HTTP through the real openai SDK. Keys in, frames and committed lines out.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { Agent } from '../../src/agent/agent.js';
import type { SessionChoice } from '../../src/agent/session/open.js';
import { setUpTools, type ToolChoices, type ToolSetup } from '../../src/agent/tools/setup.js';
import { App, type AppSession } from '../../src/components/App.js';
import { ApprovalQueue } from '../../src/tui/approvals.js';
import { ChatSessions } from '../../src/tui/chat-sessions.js';
import { InputHistory } from '../../src/tui/input-history.js';
import type { SessionTarget } from '../../src/tui/session-commands.js';
import { stripSgr } from '../../src/tui/text-width.js';
import { createTheme } from '../../src/tui/theme.js';
import { startLoopback, type LoopbackServer, type Step } from '../support/loopback.js';

export const KEY = 'sk-test-key-0123456789abcdef';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface HarnessSetup {
  script: Step[] | ((n: number) => Step);
  /** The flags' tool choices (--yolo, --allow, --tools, --no-tools). */
  tools?: ToolChoices;
  /** The working folder (tools act in it). */
  cwd: string;
  /** HERMES_HOME; without it, nothing is stored. */
  home?: string;
  session?: SessionChoice;
  model?: string;
  /** Paint with colour (markdown is then rendered, not shown as typed). */
  color?: boolean;
  /** The terminal's size (ink-testing-library's is 100 columns, and no rows: 24). */
  columns?: number;
  rows?: number;
}

export type Harness = Awaited<ReturnType<typeof startApp>>;

const running: { unmount(): void; server: LoopbackServer }[] = [];

/** Unmounts every app and closes every server started since the last call. */
export async function stopAll(): Promise<void> {
  for (const { unmount, server } of running.splice(0)) {
    unmount();
    await server.close();
  }
}

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function startApp(setup: HarnessSetup) {
  const server = await startLoopback(setup.script as Step[]);
  const model = setup.model ?? 'gpt-4o';
  const target: SessionTarget = {
    provider: 'openai',
    baseURL: server.baseURL,
    apiKey: KEY,
    stallTimeoutMs: 5_000,
    maxTurns: 10,
    stream: true,
    secrets: [KEY],
  };
  const approvals = new ApprovalQueue();
  const tools: ToolSetup = setUpTools(setup.tools ?? {}, { ask: approvals.ask });
  const sessions = setup.home ? new ChatSessions({ home: setup.home, cwd: setup.cwd, secrets: [KEY] }) : undefined;
  const opened = await sessions?.open(setup.session ?? { mode: 'new' }, model, 'openai');
  const agent = new Agent({
    provider: 'openai',
    model,
    connection: { baseURL: target.baseURL, apiKey: target.apiKey, stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    tools: tools.registry,
    cwd: setup.cwd,
    onMessage: sessions?.recorder,
  });
  if (opened) agent.load(opened.messages);

  let session: AppSession | undefined;
  const exits: number[] = [];
  const app = render(
    <App
      agent={agent}
      target={target}
      history={new InputHistory(undefined)}
      theme={createTheme(setup.color ?? false)}
      version="9.9.9"
      cwd={setup.cwd}
      home={os.homedir()}
      env={{}}
      frameMs={10}
      approvals={approvals}
      policy={tools.policy}
      sessions={sessions}
      startup={opened ? { messages: opened.messages, notices: opened.notices } : undefined}
      onExit={(code) => exits.push(code)}
      onSession={(s) => {
        session = s;
      }}
    />,
  );
  running.push({ unmount: () => app.unmount(), server });
  if (setup.columns !== undefined || setup.rows !== undefined) {
    // as a terminal that is resized: Ink and the App read the size again on 'resize'
    Object.defineProperty(app.stdout, 'columns', { value: setup.columns ?? 100, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: setup.rows ?? 24, configurable: true });
    app.stdout.emit('resize');
  }
  await waitFor(() => session !== undefined, 'the app to mount');
  const s = session!;
  const frame = () => stripSgr(app.lastFrame() ?? '');
  const committed = () => s.committed();
  /** The committed lines without colour. */
  const plain = () => s.committed().map(stripSgr);
  const type = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      app.stdin.write(chunk);
      await sleep(20);
    }
  };
  const idle = async () => {
    await waitFor(() => !s.runner.busy, 'the answer to finish');
    await s.runner.idle;
    await sleep(20);
  };
  /** Waits until the approval prompt shows a request. */
  const asked = async () => {
    await waitFor(() => s.approvals.current !== undefined && frame().includes(' interrupt'), 'the approval prompt');
    return frame();
  };
  return { app, agent, server, session: s, sessions, opened, tools, exits, frame, committed, plain, type, idle, asked };
}

/** The messages of the n-th request (1-based) the server received, as [role, content]. */
export function requestMessages(server: LoopbackServer, n: number): [string, string][] {
  const messages = server.requests[n - 1]!.json.messages as { role: string; content: string | null }[];
  return messages.map((m) => [m.role, m.content ?? '']);
}
