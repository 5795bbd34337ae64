// The command line proper: parses the arguments, picks the front door (interactive, one-shot,
// piped stdin), resolves the configuration and hands over. Usage and configuration mistakes
// end here with one line and exit code 2; main.ts loads this module with a dynamic import.

import os from 'node:os';
import { ConfigError, ensureHome, resolveConfig } from '../agent/config.js';
import { openSession, sessionChoice, type OpenedSession } from '../agent/session/open.js';
import { SessionError } from '../agent/session/read.js';
import { resumedLine, sessionRows } from '../agent/session/listing.js';
import { SessionStore, sessionsDir } from '../agent/session/store.js';
import { ToolSelectionError } from '../agent/tools/builtin.js';
import { setUpTools, type ToolSetup } from '../agent/tools/setup.js';
import { parseArgs, UsageError, type CliFlags } from './args.js';
import { STDIN_TRUNCATED_NOTE, combinePrompt, readAll, type StdinText } from './stdin.js';
import { requestedFormat, writeEarlyFailure } from './early-failure.js';
import { USAGE_EXIT, usageFailure as usageLine } from './usage-error.js';

/** How long piped stdin may stay silent before a person at a terminal is told we are waiting. */
const STDIN_HINT_AFTER_MS = 3000;
/** How many sessions `hermes --resume` lists without a terminal. */
const SESSIONS_LISTED = 100;


/** An exit code, or which text main.ts should print (it owns the help text and the version). */
export async function run(argv: readonly string[]): Promise<number | 'help' | 'version'> {
  // `hermes serve …` has its own flags and its own chunk: nothing else loads the server.
  if (argv[0] === 'serve') return (await import('../serve/command.js')).runServe(argv.slice(1));
  // `hermes gateway …` likewise: grammY is loaded by that command only.
  if (argv[0] === 'gateway') return (await import('../gateway/command.js')).runGateway(argv.slice(1));
  // Known before anything can fail: a script that asked for JSON gets JSON about the failure.
  const format = requestedFormat(argv);
  const usageFailure = (message: string): number => {
    writeEarlyFailure(format, 'usage', message);
    return usageLine(message);
  };
  let flags: CliFlags;
  try {
    flags = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(err.message);
    throw err;
  }
  if (flags.help) return 'help';
  if (flags.version) return 'version';
  try {
    return await start(flags, usageFailure);
  } catch (err) {
    if (err instanceof ConfigError) {
      const message = err.message.replace(/\s*\n\s*/g, ' ');
      writeEarlyFailure(format, 'config', message);
      process.stderr.write(`hermes: ${message}\n`);
      return USAGE_EXIT;
    }
    throw err;
  }
}

async function start(flags: CliFlags, usageFailure: (message: string) => number): Promise<number> {
  const env = process.env;
  const stdinIsTTY = process.stdin.isTTY === true;
  const stdoutIsTTY = process.stdout.isTTY === true;

  const interactive = flags.prompt === undefined && stdinIsTTY && stdoutIsTTY;
  // Without the chat there is nothing to pick with: the sessions are listed instead.
  if (flags.pickSession && !interactive) return listSessions(resolveConfig({ flags, env, requireApiKey: false }).home);

  if (flags.prompt === undefined && stdinIsTTY) {
    if (!stdoutIsTTY) {
      return usageFailure('no prompt: pass one with -p "...", or pipe text into hermes (the interactive mode needs a terminal)');
    }
    // A missing key must not keep the chat from opening: the TUI reports it on the first prompt.
    const config = resolveConfig({ flags, env, requireApiKey: false });
    // The chat always writes there (input history), so a folder that cannot be made ends here.
    ensureHome(config, env);
    // The TUI (React, Ink) is loaded only here, never on the one-shot path.
    const { runInteractive } = await import('../app.js');
    // Unknown tool names and --resume ids are reported there, before the TUI opens.
    return runInteractive(config, { session: sessionChoice(flags), tools: { ...flags, keepEnv: config.shellEnvKeep }, ...(flags.firstMessage ? { firstMessage: flags.firstMessage } : {}) });
  }
  // Without a terminal there is no chat to start: `hermes "question"` answers it like -p.
  if (flags.prompt === undefined && flags.firstMessage !== undefined) flags.prompt = flags.firstMessage;

  // Configuration first: a missing key fails at once, before waiting for a slow pipe.
  // A council's members bring their own keys (checked as each is resolved).
  const config = resolveConfig({ flags, env, requireApiKey: flags.council === undefined });
  // Loading the agent and the SDK overlaps with reading a slow pipe.
  const oneShot = import('./one-shot.js');
  oneShot.catch(() => {}); // awaited below; this only keeps an early return from leaving it unhandled

  let piped: StdinText | undefined;
  if (!stdinIsTTY) {
    piped = await readStdin(flags.prompt !== undefined);
    if (piped.truncated) process.stderr.write(`${STDIN_TRUNCATED_NOTE}\n`);
  }
  const combined = combinePrompt(flags.prompt, piped?.text);
  if ('usage' in combined) return usageFailure(combined.usage);

  const choice = sessionChoice(flags);
  // Not reached (the list is printed above, before a key is needed); here for the type's sake.
  if (choice.mode === 'pick') return listSessions(config.home);
  if (choice.mode !== 'none') ensureHome(config, env);
  let opened: OpenedSession;
  try {
    opened = await openSession({
      choice,
      home: config.home,
      cwd: process.cwd(),
      model: config.model,
      provider: config.provider,
      secrets: config.secrets,
      onError: (message) => process.stderr.write(`hermes: the session could not be saved: ${message}\n`),
    });
  } catch (err) {
    if (err instanceof SessionError) return usageFailure(err.message);
    throw err;
  }
  // For a person watching (scripts read stdout, and a quiet stderr): which conversation goes on.
  if (opened.resumed && process.stderr.isTTY) process.stderr.write(`hermes: ${resumedLine(opened.resumed)}\n`);
  for (const notice of opened.notices) process.stderr.write(`hermes: ${notice}\n`);

  if (flags.council !== undefined) {
    const { runCouncilOneShot } = await import('./council.js');
    return runCouncilOneShot({ config, flags: { ...flags, council: flags.council }, session: opened, prompt: combined.prompt, env });
  }

  let tools: ToolSetup;
  try {
    tools = setUpTools({ ...flags, keepEnv: config.shellEnvKeep });
  } catch (err) {
    if (err instanceof ToolSelectionError) return usageFailure(err.message);
    throw err;
  }

  const { runOneShot } = await oneShot;
  return runOneShot({
    config,
    session: opened,
    tools,
    prompt: combined.prompt,
    outputFormat: flags.outputFormat ?? 'text',
    showReasoning: flags.showReasoning ?? false,
    env,
  });
}

/** `hermes --resume` without a chat: one line per stored session, last used first, on stdout; exit 0. */
function listSessions(home: string): number {
  let sessions;
  try {
    sessions = new SessionStore(sessionsDir(home)).listSessions({ limit: SESSIONS_LISTED });
  } catch (err) {
    if (err instanceof SessionError) return usageLine(err.message);
    throw err;
  }
  if (sessions.length === 0) {
    process.stderr.write('hermes: no stored sessions yet\n');
    return 0;
  }
  process.stdout.write(`${sessionRows(sessions, { home: os.homedir() }).join('\n')}\n`);
  return 0;
}

async function readStdin(hasPrompt: boolean): Promise<StdinText> {
  // `hermes -p x` started with an inherited pipe that never closes would wait forever; a
  // person watching a terminal gets told why nothing happens.
  const hint =
    hasPrompt && process.stderr.isTTY
      ? setTimeout(() => {
          process.stderr.write('hermes: waiting for stdin to end before sending the prompt (use </dev/null if there is nothing to read)\n');
        }, STDIN_HINT_AFTER_MS)
      : undefined;
  hint?.unref();
  try {
    return await readAll(process.stdin);
  } finally {
    if (hint) clearTimeout(hint);
  }
}
