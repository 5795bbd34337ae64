// run_shell: `bash -c` in the working folder, with a timeout and capped output. On timeout or
// interrupt the whole process group is stopped, not just the shell.

import fs from 'node:fs/promises';
import { runInProcessGroup } from './process-group.js';
import { defineTool, INTERRUPTED, numberArg, stringArg, ToolInputError, type BuiltinTool } from './tool.js';

export const SHELL_DEFAULT_TIMEOUT_SECONDS = 120;
export const SHELL_MAX_TIMEOUT_SECONDS = 1800;

export interface RunShellOptions {
  /** Between SIGTERM and SIGKILL (default 2000 ms). */
  graceMs?: number;
  /** Output kept from the start and from the end (default 10 KB and 20 KB). */
  headBytes?: number;
  tailBytes?: number;
  /** The environment commands see (default: hermes's own, without its API keys). */
  env?: NodeJS.ProcessEnv;
}

/** Keys hermes itself holds (the gateway's bot token too); a command's output goes to the model, the session file and a chat. */
const HERMES_SECRETS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN'];

export function shellEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of HERMES_SECRETS) delete copy[key];
  return copy;
}

export function createRunShellTool(options: RunShellOptions = {}): BuiltinTool {
  const headBytes = options.headBytes ?? 10 * 1024;
  const tailBytes = options.tailBytes ?? 20 * 1024;
  return defineTool(
    {
      name: 'run_shell',
      description:
        `Run a command with bash -c in the working folder and return its exit code and output (stdout and stderr together). ` +
        `stdin is empty, so interactive commands get end-of-file. Times out after timeout_seconds (default ${SHELL_DEFAULT_TIMEOUT_SECONDS}); ` +
        `the command and everything it started are then stopped, as are background processes still running when it exits. ` +
        `Long output keeps its first ${Math.round(headBytes / 1024)} KB and last ${Math.round(tailBytes / 1024)} KB.`,
      parameters: {
        type: 'object',
        properties: {
          command: { type: 'string', description: 'The bash command line to run' },
          timeout_seconds: {
            type: 'number',
            exclusiveMinimum: 0,
            maximum: SHELL_MAX_TIMEOUT_SECONDS,
            description: `Seconds before the command is stopped (default ${SHELL_DEFAULT_TIMEOUT_SECONDS})`,
          },
        },
        required: ['command'],
      },
    },
    { readOnly: false, paths: () => [], command: (args) => (typeof args.command === 'string' ? args.command : undefined) },
    async (args, { cwd, signal }) => {
      const command = stringArg(args, 'command');
      if (command.trim() === '') throw new ToolInputError('command is empty');
      const timeoutSeconds = numberArg(args, 'timeout_seconds') ?? SHELL_DEFAULT_TIMEOUT_SECONDS;
      if (timeoutSeconds <= 0 || timeoutSeconds > SHELL_MAX_TIMEOUT_SECONDS) {
        throw new ToolInputError(`timeout_seconds must be more than 0 and at most ${SHELL_MAX_TIMEOUT_SECONDS}`);
      }
      const folder = await fs.stat(cwd).catch(() => undefined);
      if (!folder?.isDirectory()) throw new ToolInputError(`the working folder ${cwd} does not exist`);

      const outcome = await runInProcessGroup({
        command,
        cwd,
        env: options.env ?? shellEnvironment(),
        signal,
        timeoutMs: timeoutSeconds * 1000,
        graceMs: options.graceMs ?? 2000,
        headBytes,
        tailBytes,
      });
      if (outcome.spawnError) throw new ToolInputError(`could not start bash: ${outcome.spawnError}`);

      const output = outcome.output === '' ? '(no output)' : outcome.output;
      if (outcome.aborted) return { content: `${INTERRUPTED}; the command was stopped\n${output}`, isError: true };
      if (outcome.timedOut) {
        return { content: `timed out after ${timeoutSeconds} s; the command and everything it started were stopped\n${output}`, isError: true };
      }
      if (outcome.exitCode === null) return { content: `killed by signal ${outcome.exitSignal ?? 'unknown'}\n${output}`, isError: true };
      return { content: `exit code ${outcome.exitCode}\n${output}`, isError: outcome.exitCode !== 0 };
    },
  );
}

export const runShellTool: BuiltinTool = createRunShellTool();
