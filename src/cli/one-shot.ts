// One prompt through the agent, written to stdout in the chosen format, then an exit code:
// 0 done (or stdout closed by its reader), 1 the model/tool/network failed, 130/143/129 stopped
// by SIGINT/SIGTERM/SIGHUP.

import { Agent } from '../agent/agent.js';
import { agentSettings, type ResolvedConfig } from '../agent/config.js';
import { conversationAgentOptions, setUpConversation } from '../agent/conversation.js';
import type { OpenedSession } from '../agent/session/open.js';
import { signalExitCode } from '../agent/signals.js';
import type { ToolSetup } from '../agent/tools/setup.js';
import type { RunResult } from '../agent/events.js';
import { defaultBaseURL, namingAddress } from '../agent/providers/errors.js';
import type { ProviderError } from '../agent/types.js';
import type { OutputFormat } from './args.js';
import { colorEnabled, safeLine } from './messages.js';
import { OutputWriter, type OutputTarget } from './output-writer.js';
import { createJsonRenderer } from './render-json.js';
import { createTextRenderer } from './render-text.js';
import type { Renderer } from './renderer.js';

export interface OneShotOptions {
  config: ResolvedConfig;
  /** The stored conversation to continue, and where to record this one (none: --no-session). */
  session?: OpenedSession;
  /** The tools offered to the model; calls that need approval are denied and reported. */
  tools?: ToolSetup;
  prompt: string;
  outputFormat: OutputFormat;
  showReasoning: boolean;
  env: Readonly<Record<string, string | undefined>>;
  stdout?: OutputTarget;
  stderr?: OutputTarget & { isTTY?: boolean };
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runOneShot(options: OneShotOptions): Promise<number> {
  const { config } = options;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const controller = new AbortController();
  let readerGone = false;
  let writeFailure: Error | undefined;

  const writer = new OutputWriter(stdout, stderr, {
    onStdoutClosed(failure) {
      // Nobody is reading any more (`| head`): stop the model at once, and that is no error.
      readerGone = failure === undefined;
      writeFailure = failure;
      controller.abort();
    },
  });

  const stderrIsTTY = stderr.isTTY === true;
  const nameAddress = (message: string): string => namingAddress(message, addressOf(config));
  const renderer: Renderer =
    options.outputFormat === 'text'
      ? createTextRenderer({
          writer,
          secrets: config.secrets,
          showReasoning: options.showReasoning || stderrIsTTY,
          showProgress: stderrIsTTY,
          color: colorEnabled(stderrIsTTY, options.env),
          nameAddress,
        })
      : createJsonRenderer({
          writer,
          secrets: config.secrets,
          model: config.model,
          provider: config.provider,
          streaming: options.outputFormat === 'stream-json',
          ...(options.session?.session ? { sessionId: options.session.session.id } : {}),
        });

  // Ctrl+C, a `kill` and a closed terminal all stop the run the same way: the request is
  // aborted, a running tool's process group is killed, the partial answer and the interrupted
  // tool result reach the session, and only then does hermes exit, with the signal's code.
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) {
      // The second signal does not wait for anything.
      writer.flush();
      process.exit(signalExitCode(stoppedBy));
    }
    stoppedBy = signal;
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  if (options.tools?.policy) {
    // Nobody can be asked in one-shot mode: say on stderr what was refused and how to allow it.
    options.tools.policy.onDenied = (request) => {
      const name = request.call.name;
      const how = request.hint ?? `allow it with --yolo or --allow ${name}`;
      writer.err(`hermes: denied ${name} ${safeLine(request.summary, config.secrets)}: ${how}\n`);
    };
  }

  try {
    const cwd = process.cwd();
    const conversation = setUpConversation(config, {
      cwd,
      tools: options.tools?.registry.definitions().map((tool) => tool.name) ?? [],
      ...(options.session?.session ? { sessionId: options.session.session.id } : {}),
      env: options.env,
    });
    const agent = new Agent({
      ...agentSettings(config),
      ...conversationAgentOptions(config, conversation),
      onMessage: options.session?.session?.recorder,
      onCompaction: options.session?.session?.compactionRecorder,
      tools: options.tools?.registry,
      cwd,
    });
    if (options.session) agent.load(options.session.messages);

    let result: RunResult = { status: 'error', usage: { inputTokens: 0, outputTokens: 0 } };
    for await (const event of agent.run(options.prompt, controller.signal)) {
      if (event.type === 'finished') {
        result = event.result;
        break;
      }
      renderer.event(event);
    }
    renderer.finish(result);

    const code = stoppedBy !== undefined ? signalExitCode(stoppedBy) : exitCode(result, readerGone, writeFailure);
    const line = readerGone ? undefined : failureLine(result, config, writeFailure);
    if (line) writer.err(`hermes: ${safeLine(line, config.secrets)}\n`);
    await writer.end();
    return code;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}

function exitCode(result: RunResult, readerGone: boolean, writeFailure: Error | undefined): number {
  if (writeFailure) return EXIT_FAILURE;
  if (readerGone) return EXIT_OK;
  switch (result.status) {
    case 'completed':
      return EXIT_OK;
    case 'interrupted':
    case 'error':
    case 'max_turns':
      return EXIT_FAILURE;
  }
}

/** The one line that explains a run that did not end well, or undefined. */
function failureLine(result: RunResult, config: ResolvedConfig, writeFailure: Error | undefined): string | undefined {
  if (writeFailure) {
    const code = (writeFailure as NodeJS.ErrnoException).code;
    return `cannot write to stdout: ${code ?? writeFailure.message}`;
  }
  switch (result.status) {
    case 'completed':
      if (result.contextFull) return 'the answer was cut off: the context window is full (start a new conversation, without -c or --resume)';
      if (result.stopReason === 'length') return 'the answer was cut off at the output token limit';
      return undefined;
    case 'interrupted':
      return undefined;
    case 'max_turns':
      return `stopped after ${config.maxTurns === 1 ? '1 model request' : `${config.maxTurns} model requests`} (--max-turns) before the task was finished`;
    case 'error':
      return result.error ? describeError(result.error, config) : 'the request failed';
  }
}

function describeError(error: ProviderError, config: ResolvedConfig): string {
  const keyVar = config.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
  if (error.kind === 'auth') return `${error.message} (check ${keyVar})`;
  if (error.kind === 'stall') return `${error.message} (stall timeout ${config.stallTimeoutMs / 1000} s; see --stall-timeout)`;
  return namingAddress(error.message, addressOf(config));
}

/** Where requests go, as the user configured it (or the provider's own address). */
function addressOf(config: ResolvedConfig): string {
  return config.baseURL ?? defaultBaseURL(config.provider);
}
