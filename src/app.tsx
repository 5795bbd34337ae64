// The interactive TUI's entry: loaded by dynamic import only when stdin and stdout are a
// terminal, so nothing here weighs on the one-shot path. Never the alternate screen: the
// terminal's own scrollback keeps every line.
//
// This module is kept light on purpose. It paints the first screen at once, then loads React
// and Ink (src/tui/run-tui.tsx), which take longer than all of node's own start-up; the
// prompt is usable meanwhile (keys wait in stdin until it reads them).

import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import type { ResolvedConfig } from './agent/config.js';
import type { StartChoice } from './agent/session/open.js';
import type { SessionChoice } from './agent/session/open.js';
import { SessionError } from './agent/session/read.js';
import { signalExitCode } from './agent/signals.js';
import { ToolSelectionError } from './agent/tools/builtin.js';
import { setUpTools, type ToolChoices, type ToolSetup } from './agent/tools/setup.js';
import type { OpenedSession } from './agent/session/open.js';
import { usageFailure } from './cli/usage-error.js';
import { ApprovalQueue } from './tui/approvals.js';
import { ChatSessions } from './tui/chat-sessions.js';
import { setUpConversation } from './agent/conversation.js';
import { hideFetch, restoreFetch } from './tui/fetch-switch.js';
import { IDLE_PLACEHOLDER, headerText, statusText } from './tui/format.js';
import { prepaint } from './tui/prepaint.js';
import { missingKey } from './tui/session-commands.js';
import { colorFromEnv, createTheme } from './tui/theme.js';

/** Set by the bundler when scripts/build.mjs defines it; otherwise read from package.json. */
declare const __HERMES_VERSION__: string | undefined;

/** How many stored sessions the --resume picker offers. */
const PICKER_SESSIONS = 50;

function version(): string {
  if (typeof __HERMES_VERSION__ === 'string') return __HERMES_VERSION__;
  try {
    // dist/*.js and src/*.tsx both sit one folder below package.json
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') return pkg.version;
  } catch {
    // fall through
  }
  return 'unknown';
}

export interface InteractiveOptions {
  /** Which conversation to start with (-c, --resume [id], --no-session); default a new one. */
  session?: StartChoice;
  /** --tools, --no-tools, --yolo, --allow. */
  tools?: ToolChoices;
  /** `hermes "question"`: sent as soon as the chat is ready. */
  firstMessage?: string;
}


/** Runs the interactive chat; resolves with the process exit code. */
export async function runInteractive(config: ResolvedConfig, options: InteractiveOptions = {}): Promise<number> {
  lessEagerOptimizer();
  const cwd = process.cwd();
  // Mistakes in the flags end here, with one line, before anything is drawn.
  const approvals = new ApprovalQueue();
  let tools: ToolSetup;
  try {
    tools = setUpTools(options.tools ?? {}, { ask: approvals.ask });
  } catch (err) {
    if (err instanceof ToolSelectionError) return usageFailure(err.message);
    throw err;
  }
  const sessions = new ChatSessions({ home: config.home, cwd, secrets: config.secrets });
  let choice = options.session ?? { mode: 'new' };
  let opened: OpenedSession;
  try {
    if (choice.mode === 'pick') {
      const picked = await pickStoredSession(sessions);
      if (typeof picked === 'number') return picked;
      choice = picked;
    }
    opened = await sessions.open(choice, config.model, config.provider);
  } catch (err) {
    if (err instanceof SessionError) return usageFailure(err.message);
    throw err;
  }
  if (options.session?.mode === 'pick' && choice.mode === 'new') opened.notices.push('no stored sessions yet; starting a new one');

  const conversation = setUpConversation(config, {
    cwd,
    tools: tools.registry.definitions().map((tool) => tool.name),
    ...(opened.session ? { sessionId: opened.session.id } : {}),
  });
  const instructionFiles = conversation.instructions.files.map((file) => file.path);

  const theme = createTheme(colorFromEnv(process.env));
  const release = version();
  // What Ink's first frame will show: the header, the empty prompt, the status line (or why no
  // request can go out).
  const keyProblem = missingKey(config);
  const [first = ' ', ...rest] = Array.from(IDLE_PLACEHOLDER);
  const prepainted = prepaint(process.stdout, process.stdin, [
    headerText(theme, { version: release, model: config.model, provider: config.provider, cwd, home: os.homedir(), instructions: instructionFiles, session: opened.session?.id }),
    `${theme.cyan('› ')}${theme.inverse(first)}${theme.dim(rest.join(''))}`,
    keyProblem ? theme.yellow(`⚠ ${keyProblem}`) : theme.dim(statusText({ model: config.model, provider: config.provider, usage: { inputTokens: 0, outputTokens: 0 }, contextWindow: conversation.provisionalWindow.tokens })),
  ]);

  let tui: typeof import('./tui/run-tui.js');
  hideFetch();
  try {
    tui = await import('./tui/run-tui.js');
  } catch (err) {
    if (prepainted > 0) {
      process.stdin.setRawMode?.(false);
      process.stdout.write('\x1b[?25h');
    }
    throw err;
  } finally {
    restoreFetch();
  }
  return tui.runTui(config, { theme, version: release, prepainted, tools, approvals, sessions, opened, conversation, ...(options.firstMessage ? { firstMessage: options.firstMessage } : {}) });
}

/** `hermes --resume` without an id: the session chosen in a picker, or the exit code when it was cancelled. */
async function pickStoredSession(sessions: ChatSessions): Promise<SessionChoice | number> {
  const stored = sessions.list(PICKER_SESSIONS);
  if (stored.length === 0) return { mode: 'new' };
  const { pickSession } = await import('./tui/session-picker.js');
  const picked = await pickSession(stored, { home: os.homedir() });
  if (picked === 'cancelled') return 0;
  if (picked === 'interrupted') return signalExitCode('SIGINT');
  return { mode: 'resume', id: picked };
}

/**
 * V8 hands a function to its optimizing compiler once it has run a set amount of bytecode. A
 * chat session runs a great many functions (React, Ink, Yoga, the SDK) a moderate number of
 * times, and at the default threshold compiling them costs more CPU (a quarter of what a
 * 10-second answer at 200 tokens/s costs, on background threads) than the optimized code
 * saves. A higher threshold (10x Node 20's 66 KB, 5x the 132 KB of later V8s) leaves that to
 * the functions that really are hot: the per-token paths still get optimized within the first
 * few hundred tokens. Set before React and Ink are loaded, so it applies to all their code.
 */
function lessEagerOptimizer(): void {
  v8.setFlagsFromString(`--interrupt-budget=${660 * 1024}`);
}
