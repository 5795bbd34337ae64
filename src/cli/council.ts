// `hermes -p "q" --council a,b,c`: the one-shot front end of a council. Text mode streams the
// synthesis to stdout (with --show-members, each member's whole answer first, in member order)
// and, on a terminal, a live roster on stderr; stream-json prints the core's events one per line;
// json prints the result once. Exit: 0 complete or partial (the status is in the output), 1
// failed, 130/143/129 when a signal stopped it.

import { type ResolvedConfig } from '../agent/config.js';
import { setUpConversation } from '../agent/conversation.js';
import { runCouncil } from '../agent/council/council.js';
import type { CouncilEvent, CouncilResult } from '../agent/council/events.js';
import { resolveCouncil } from '../agent/council/resolve.js';
import type { OpenedSession } from '../agent/session/open.js';
import { signalExitCode } from '../agent/signals.js';
import { emptyAssistantMessage } from '../agent/types.js';
import { redactSecrets } from '../stream/redact.js';
import { createTerminalSanitizer } from '../stream/sanitize.js';
import type { CliFlags } from './args.js';
import { CouncilRoster } from './council-roster.js';
import { safeLine } from './messages.js';
import { OutputWriter, type OutputTarget } from './output-writer.js';

export interface CouncilOneShotOptions {
  config: ResolvedConfig;
  flags: CliFlags & { council: string };
  session?: OpenedSession;
  prompt: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout?: OutputTarget;
  stderr?: OutputTarget & { isTTY?: boolean; columns?: number; rows?: number };
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Throws ConfigError for a member that cannot be reached (no key, bad name): exit 2 upstream. */
export async function runCouncilOneShot(options: CouncilOneShotOptions): Promise<number> {
  const { config, flags } = options;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const council = resolveCouncil(
    { council: flags.council, ...(flags.chair ? { chair: flags.chair } : {}), ...(flags.review ? { review: true } : {}) },
    { flags: { ...flags, model: undefined }, env: options.env, configPath: config.configPath },
  );
  const secrets = [...new Set([...config.secrets, ...council.secrets])];
  const controller = new AbortController();
  let readerGone = false;
  const writer = new OutputWriter(stdout, stderr, {
    onStdoutClosed(failure) {
      readerGone = failure === undefined;
      controller.abort();
    },
  });
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) {
      writer.flush();
      process.exit(signalExitCode(stoppedBy));
    }
    stoppedBy = signal;
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  const format = flags.outputFormat ?? 'text';
  const onTerminal = stderr.isTTY === true && format === 'text';
  const roster = onTerminal
    ? new CouncilRoster({ writer, members: council.members.map((m) => m.name), columns: () => stderr.columns ?? 80, rows: () => stderr.rows ?? 24, secrets })
    : undefined;
  const synthesisText = createTerminalSanitizer();
  let outAtLineStart = true;
  const out = (text: string): void => {
    if (text === '') return;
    writer.out(text);
    outAtLineStart = text.endsWith('\n');
  };
  // While the roster is drawn in place, a line printed under it would throw its redraw off.
  let rosterLive = roster !== undefined;
  const held: string[] = [];
  const note = (line: string): void => {
    const text = `hermes: ${safeLine(line, secrets)}\n`;
    if (rosterLive) held.push(text);
    else writer.err(text);
  };
  const stopRoster = (): void => {
    if (!rosterLive) return;
    roster?.stop();
    rosterLive = false;
    for (const text of held.splice(0)) writer.err(text);
  };
  let membersShown = false;
  const showMembers = (result: { name: string; text: string; state: string }[], synthesisFollows: boolean): void => {
    if (membersShown || !flags.showMembers) return;
    membersShown = true;
    for (const member of result) {
      if (member.state !== 'answered') continue;
      out(`## ${safeLine(member.name, secrets)}\n\n`);
      out(createTerminalSanitizer().push(redactSecrets(member.text, secrets)) + '\n\n');
    }
    if (synthesisFollows) out('## synthesis\n\n');
  };
  const answers = new Map<string, { name: string; text: string; state: string }>();

  try {
    const conversation = setUpConversation(config, { cwd: process.cwd(), tools: [], env: options.env, askServer: false });
    let result: CouncilResult | undefined;
    const run = runCouncil(
      {
        members: council.members,
        chair: council.chair,
        review: council.review,
        mode: flags.councilMode ?? 'full',
        ...(flags.quorum !== undefined ? { quorum: flags.quorum } : {}),
        system: conversation.system,
        history: options.session?.messages ?? [],
        prompt: options.prompt,
      },
      controller.signal,
    );
    for await (const event of run) {
      if (format === 'stream-json') writer.out(`${redactSecrets(JSON.stringify(event), secrets)}\n`);
      if (event.type === 'council_done') result = event.result;
      if (format !== 'text') continue;
      textEvent(event);
    }
    stopRoster();
    if (format === 'text') {
      out(synthesisText.flush());
      if (!outAtLineStart) out('\n');
    }
    if (format === 'json' && result) writer.out(`${redactSecrets(JSON.stringify({ type: 'council_result', ...result }), secrets)}\n`);
    record(options.session, options.prompt, result);
    if (result && format === 'text' && !readerGone) {
      if (result.status === 'partial') note(`partial council: ${result.reason ?? 'not every member answered'}`);
      if (result.status === 'failed') note(`the council failed: ${result.reason ?? 'no synthesis'}`);
    } else if (result?.status === 'failed' && !readerGone) note(`the council failed: ${result.reason ?? 'no synthesis'}`);
    await writer.end();
    if (stoppedBy !== undefined) return signalExitCode(stoppedBy);
    if (readerGone) return 0;
    return result?.status === 'complete' || result?.status === 'partial' ? 0 : 1;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }

  function textEvent(event: CouncilEvent): void {
    switch (event.type) {
      case 'member_delta':
        roster?.delta(event.member);
        break;
      case 'member_done':
        roster?.finished(event.member, true, event.ms);
        answers.set(event.member, { name: event.member, text: event.text, state: 'answered' });
        break;
      case 'member_error':
        roster?.finished(event.member, false, event.ms);
        if (event.error.kind !== 'aborted') note(`member ${event.member} failed: ${event.error.message}`);
        break;
      case 'synthesis_start':
        stopRoster();
        showMembers(council.members.map((m) => answers.get(m.name) ?? { name: m.name, text: '', state: 'missing' }), true);
        if (event.replaces) {
          out(synthesisText.flush());
          if (!outAtLineStart) out('\n');
          note(`chair ${event.replaces} failed; ${event.chair} writes the synthesis instead`);
        }
        break;
      case 'synthesis_delta':
        out(synthesisText.push(redactSecrets(event.delta, secrets)));
        break;
      case 'synthesis_error':
        if (event.error.kind !== 'aborted') note(`chair ${event.chair} failed: ${event.error.message}`);
        break;
      case 'council_done':
        stopRoster();
        showMembers(event.result.members, false);
        break;
      default:
        break;
    }
  }
}

/** The question, the council's record and the synthesis (the only part that continues the conversation). */
function record(session: OpenedSession | undefined, prompt: string, result: CouncilResult | undefined): void {
  const store = session?.session;
  if (!store || !result) return;
  const synthesis = result.synthesis !== undefined
    ? { ...emptyAssistantMessage(), content: result.synthesis, ...(result.status === 'interrupted' ? { interrupted: true } : {}) }
    : undefined;
  store.appendCouncil({ role: 'user', content: prompt }, result, synthesis);
}
