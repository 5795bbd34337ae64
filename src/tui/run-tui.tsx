// The interactive chat proper: Ink, React and the App. Loaded by src/app.tsx after it has
// painted the first screen, so this module's weight (React, Ink, Yoga) does not delay it.

import { render } from 'ink';
import os from 'node:os';
import path from 'node:path';
import { Agent } from '../agent/agent.js';
import { agentSettings, type ResolvedConfig } from '../agent/config.js';
import { conversationAgentOptions, type Conversation } from '../agent/conversation.js';
import { signalExitCode } from '../agent/signals.js';
import { continueLine } from '../agent/session/listing.js';
import type { OpenedSession } from '../agent/session/open.js';
import type { ToolSetup } from '../agent/tools/setup.js';
import { App, type AppSession } from '../components/App.js';
import type { ApprovalQueue } from './approvals.js';
import type { ChatSessions } from './chat-sessions.js';
import { captureConsole } from './console-capture.js';
import { shortPath } from './format.js';
import { resumedTitle } from './session-list.js';
import { InputHistory } from './input-history.js';
import { TerminalOutput, terminalReflows } from './terminal-output.js';
import type { Theme } from './theme.js';

const WARM_UP_DELAY_MS = 100;
/** After a signal, how long the answer in progress may take to stop (a tool's process group
 *  gets SIGTERM, then SIGKILL after its grace period) before hermes exits anyway. */
const STOP_WAIT_MS = 5000;

export interface TuiStart {
  theme: Theme;
  version: string;
  /** Rows src/app.tsx painted before Ink was loaded; Ink's first frame replaces them. */
  prepainted: number;
  /** The tools offered to the model; their policy asks through `approvals`. */
  tools: ToolSetup;
  approvals: ApprovalQueue;
  sessions: ChatSessions;
  /** The conversation the flags chose (a continued one is drawn before the prompt). */
  opened: OpenedSession;
  /** Its system prompt, instructions, compactor and cache key. */
  conversation: Conversation;
  /** `hermes "question"`: the first message. */
  firstMessage?: string;
}

/** Runs the chat until the user quits; resolves with the exit code. */
export async function runTui(config: ResolvedConfig, start: TuiStart): Promise<number> {
  const env = process.env;
  // Ink writes through this: it keeps a resize from leaving bits of the live region behind.
  const output = new TerminalOutput(process.stdout, { reflows: terminalReflows(env), prepainted: start.prepainted });
  const stdout = output as unknown as NodeJS.WriteStream;
  const restoreWarnings = silenceWarnings();
  const logs = captureConsole(config.secrets);

  const history = new InputHistory(path.join(config.home, 'history.jsonl'));
  history.load();

  const agent = new Agent({
    ...agentSettings(config),
    ...conversationAgentOptions(config, start.conversation),
    cwd: process.cwd(),
    tools: start.tools.registry,
    onMessage: start.sessions.recorder,
    onCompaction: start.sessions.compactionRecorder,
  });
  agent.load(start.opened.messages);

  let app: AppSession | undefined;
  let finish: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const instance = render(
    <App
      agent={agent}
      target={{
        provider: config.provider,
        baseURL: config.baseURL,
        apiKey: config.apiKey,
        stallTimeoutMs: config.stallTimeoutMs,
        maxTurns: config.maxTurns,
        stream: config.stream,
        secrets: config.secrets,
      }}
      history={history}
      approvals={start.approvals}
      policy={start.tools.policy}
      sessions={start.sessions}
      startup={{ messages: start.opened.messages, notices: startupNotices(start.opened, process.cwd(), os.homedir()) }}
      theme={start.theme}
      version={start.version}
      cwd={process.cwd()}
      home={os.homedir()}
      env={env}
      animate={env.TERM !== 'dumb'}
      pane={inkDrawsFrames(env) ? output : undefined}
      logs={logs}
      conversation={{
        instructionFiles: start.conversation.instructions.files.map((file) => file.path),
        instructions: start.conversation.instructions.text,
        window: start.conversation.window,
      }}
      {...(start.firstMessage ? { firstMessage: start.firstMessage } : {})}
      onSession={(session) => (app = session)}
      onExit={(code) => finish(code)}
    />,
    // incrementalRendering stays off: in Ink 6.8.0 it moves the cursor up one row too few
    // whenever the frame ends with a newline (always, below full screen), so every frame lands
    // one row lower and the previous ones stay in the scrollback (seen in tmux). Ink redraws the
    // whole live region; TerminalOutput sends only the rows that changed.
    // patchConsole stays off: console output goes to the transcript (console-capture.ts).
    { stdout, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: 60 },
  );

  // The provider's SDK loads while the user is still typing, not after the first Enter; so does
  // Node's fetch implementation (undici), which the first Headers of every SDK's request loads.
  // Not at once: the first keys typed are drawn first.
  const warmUp = setTimeout(() => {
    agent.warmUp();
    new Headers();
  }, WARM_UP_DELAY_MS);
  warmUp.unref();

  // Ctrl+C at the keyboard arrives as a key (raw mode); these are signals from elsewhere (kill,
  // a closed terminal). The answer in progress stops as an interrupt does: its tool's processes
  // are killed and the partial answer and interrupted tool result reach the session first.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signalExitCode(signal);
    if (stopping || !app) return finish(code);
    stopping = true;
    app.runner.interrupt();
    app.approvals.cancelAll();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    void Promise.race([app.runner.idle, waited]).then(() => {
      clearTimeout(timer);
      finish(code);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let code: number | undefined;
  try {
    code = await exited;
    // Asked for before unmount: when the last write completes at once, Ink resolves its exit
    // promise inside unmount(), and one made afterwards would never settle (the process then
    // ran out of work and exited 0, whatever code the chat ended with).
    const inkDone = instance.waitUntilExit().catch(() => {});
    instance.unmount();
    await inkDone;
  } finally {
    clearTimeout(warmUp);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    restoreWarnings();
    logs.restore();
    output.dispose();
    // Nothing may keep the process alive once the chat is over (stdin was in raw mode).
    process.stdin.pause();
    process.stdin.unref?.();
  }
  // Below the chat, once it is gone: how to come back to it. Not after a hangup (no terminal).
  const stored = start.sessions.current?.stored ? start.sessions.current.id : undefined;
  if (stored && code !== signalExitCode('SIGHUP')) process.stdout.write(`${continueLine(stored)}\n`);
  return code;
}

/** What a continued conversation shows under its replayed messages: which one it is, then its notices. */
function startupNotices(opened: OpenedSession, cwd: string, home: string): string[] {
  const title = opened.resumed ? [resumedTitle(opened.resumed, home)] : [];
  return [...title, ...opened.notices, ...folderNote(opened, cwd, home)];
}

/** Ink draws live frames, unless it thinks it runs in CI (is-in-ci's rule): then it prints only
 *  <Static> output and its last frame, and the answer must be part of that frame. */
function inkDrawsFrames(env: NodeJS.ProcessEnv): boolean {
  const set = (key: string): boolean => key in env && env[key] !== '0' && env[key] !== 'false';
  return !set('CI') && !set('CONTINUOUS_INTEGRATION');
}

/** A resumed conversation from another folder: its tools now work here, which is worth saying. */
function folderNote(opened: OpenedSession, cwd: string, home: string): string[] {
  const started = opened.messages.length > 0 ? opened.session?.header?.cwd : undefined;
  // '' : a file whose header was lost does not know where it was started.
  if (started === undefined || started === '' || started === path.resolve(cwd)) return [];
  return [`(it was started in ${shortPath(started, home)}; tools work in ${shortPath(cwd, home)})`];
}

/** Node's warnings (experimental features, deprecations in dependencies) would print over the
 *  screen; while the TUI runs they are dropped. */
function silenceWarnings(): () => void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  const ignore = (): void => {};
  process.on('warning', ignore);
  return () => {
    process.off('warning', ignore);
    for (const listener of listeners) process.on('warning', listener);
  };
}
