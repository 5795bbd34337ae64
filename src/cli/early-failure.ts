// Failures before the first request (a usage mistake, a missing key, a config file that cannot
// be read): one line on stderr as always, and, when the command line asked for a machine-readable
// format, that format on stdout too, so a script that parses stdout learns why there is no answer.

import { FORMATS, type OutputFormat } from './args.js';

/**
 * The --output-format the command line asks for, read without the full parser (which may be
 * what failed): the last valid `--output-format x` / `--output-format=x` before `--`.
 */
export function requestedFormat(argv: readonly string[]): OutputFormat {
  let format: OutputFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const value = arg === '--output-format' ? argv[++i] : arg.startsWith('--output-format=') ? arg.slice('--output-format='.length) : undefined;
    if (value !== undefined && (FORMATS as readonly string[]).includes(value)) format = value as OutputFormat;
  }
  return format;
}

export type EarlyFailureKind = 'usage' | 'config';

/** The result object of a run that never sent a request (the shape of render-json's result). */
export function earlyFailureLines(format: OutputFormat, kind: EarlyFailureKind, message: string): string[] {
  if (format === 'text') return [];
  const error = { kind, message };
  const result = {
    text: '',
    turns: [],
    reasoning: '',
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    stopReason: null,
    status: 'error',
    error,
  };
  if (format === 'json') return [JSON.stringify(result)];
  return [JSON.stringify({ type: 'error', ...error, partial: false }), JSON.stringify({ type: 'result', ...result })];
}

/** Writes the machine-readable result of an early failure to stdout (nothing for text). */
export function writeEarlyFailure(format: OutputFormat, kind: EarlyFailureKind, message: string, stdout: { write(chunk: string): unknown } = process.stdout): void {
  for (const line of earlyFailureLines(format, kind, message)) stdout.write(`${line}\n`);
}
