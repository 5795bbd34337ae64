// A small hand-written argv parser: no dependency, because `hermes --version` and one-shot
// start-up time are measured, and the grammar is small enough to own.

import { PROVIDERS, type ConfigFlags } from '../agent/config.js';
import type { ProviderId } from '../agent/types.js';
import { scanFlags } from './flag-scan.js';
import { UsageError } from './usage-error.js';

export type OutputFormat = 'text' | 'json' | 'stream-json';

export interface CliFlags {
  prompt?: string;
  /** `hermes "question"`: the interactive chat starts with this message. */
  firstMessage?: string;
  model?: string;
  provider?: ProviderId;
  baseURL?: string;
  system?: string;
  appendSystem?: string;
  noInstructions?: boolean;
  /** false after --no-stream; undefined when the flag was not given. */
  stream?: boolean;
  outputFormat?: OutputFormat;
  showReasoning?: boolean;
  maxTurns?: number;
  /** Seconds. */
  stallTimeout?: number;
  version?: boolean;
  help?: boolean;
  /** -c: continue the session last used in this folder. */
  continue?: boolean;
  /** --resume <id>: continue the given session (an id or a unique prefix). */
  resume?: string;
  /** --resume without an id: choose one (a picker in the TUI, a list otherwise). */
  pickSession?: boolean;
  /** --no-session: store nothing. */
  noSession?: boolean;
  /** --yolo: approve every tool call (dangerous commands still ask, so are denied in one-shot). */
  yolo?: boolean;
  /** --allow a,b: tools approved without asking. */
  allow?: string[];
  /** --tools a,b: only these tools exist for the model. */
  tools?: string[];
  /** --no-tools: no tools at all. */
  noTools?: boolean;
  /** --council a,b,c or the name of a saved council (config `councils`). */
  council?: string;
  chair?: string;
  review?: boolean;
  councilMode?: 'full' | 'raw';
  quorum?: number;
  showMembers?: boolean;
}

/** The flags that only mean something with --council. */
const COUNCIL_ONLY = { chair: '--chair', review: '--review', councilMode: '--council-mode', quorum: '--quorum', showMembers: '--show-members' } as const;

export { UsageError };

export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'stream-json'];

/** The flags `hermes` and `hermes serve` share: which model, how to reach it, which tools. */
export const MODEL_FLAGS = {
  '-m': 'model',
  '--model': 'model',
  '--provider': 'provider',
  '--base-url': 'baseURL',
  '-s': 'system',
  '--system': 'system',
  '--append-system': 'appendSystem',
  '--max-turns': 'maxTurns',
  '--stall-timeout': 'stallTimeout',
  '--allow': 'allow',
  '--tools': 'tools',
} as const;
export type ModelFlag = (typeof MODEL_FLAGS)[keyof typeof MODEL_FLAGS];

type ValueOption = ModelFlag | 'prompt' | 'outputFormat' | 'resume' | 'council' | 'chair' | 'councilMode' | 'quorum';
type BooleanOption = 'noStream' | 'showReasoning' | 'version' | 'help' | 'continue' | 'noSession' | 'yolo' | 'noTools' | 'noInstructions' | 'review' | 'showMembers';

const VALUE_OPTIONS: Record<string, ValueOption> = {
  ...MODEL_FLAGS,
  '-p': 'prompt',
  '--prompt': 'prompt',
  '--output-format': 'outputFormat',
  '--resume': 'resume',
  '--council': 'council',
  '--chair': 'chair',
  '--council-mode': 'councilMode',
  '--quorum': 'quorum',
};

const BOOLEAN_OPTIONS: Record<string, BooleanOption> = {
  '--no-stream': 'noStream',
  '--show-reasoning': 'showReasoning',
  '-v': 'version',
  '--version': 'version',
  '-h': 'help',
  '--help': 'help',
  '-c': 'continue',
  '--continue': 'continue',
  '--no-session': 'noSession',
  '--yolo': 'yolo',
  '--no-tools': 'noTools',
  '--no-instructions': 'noInstructions',
  '--review': 'review',
  '--show-members': 'showMembers',
};

export function parseArgs(argv: readonly string[]): CliFlags {
  const flags: CliFlags = {};
  const words: string[] = [];
  const { rest, bareResume } = takeBareResume(argv);
  if (bareResume) flags.pickSession = true;
  for (const { name, value } of scanFlags(rest, { values: VALUE_OPTIONS, booleans: BOOLEAN_OPTIONS }, { positional, words })) {
    if (value === undefined) {
      const boolean = BOOLEAN_OPTIONS[name]!;
      if (boolean === 'noStream') flags.stream = false;
      else flags[boolean] = true;
    } else {
      setValue(flags, VALUE_OPTIONS[name]!, name, value);
    }
  }
  if (words.length > 0) {
    if (flags.prompt !== undefined) throw positional(words[0]!);
    flags.firstMessage = words.join(' ');
  }
  checkCombinations(flags);
  return flags;
}

/** `--resume` last, or before another flag: no id given (its value is optional, unlike other flags'). */
function takeBareResume(argv: readonly string[]): { rest: readonly string[]; bareResume: boolean } {
  const isFlag = (arg: string | undefined): boolean => {
    if (arg === undefined || arg === '--') return true;
    const name = arg.startsWith('--') ? arg.split('=', 1)[0]! : arg;
    return name in VALUE_OPTIONS || name in BOOLEAN_OPTIONS;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--resume' && isFlag(argv[i + 1])) return { rest: [...argv.slice(0, i), ...argv.slice(i + 1)], bareResume: true };
    if (arg in VALUE_OPTIONS) i++; // its value, whatever it looks like
  }
  return { rest: argv, bareResume: false };
}

function checkCombinations(flags: CliFlags): void {
  const resume = flags.resume !== undefined || flags.pickSession === true;
  if (flags.resume !== undefined && flags.pickSession) throw new UsageError('--resume is given twice');
  if (flags.continue && resume) throw new UsageError('use either --continue or --resume, not both');
  if (flags.noSession && (flags.continue || resume)) {
    throw new UsageError('--no-session cannot be combined with --continue or --resume');
  }
  if (flags.noTools && flags.tools) throw new UsageError('use either --tools or --no-tools, not both');
  if (flags.council === undefined) {
    for (const [key, flag] of Object.entries(COUNCIL_ONLY)) {
      if (flags[key as keyof typeof COUNCIL_ONLY] !== undefined) throw new UsageError(`${flag} needs --council`);
    }
  }
}

/** "a, b,c" -> ['a', 'b', 'c']; an empty list is a mistake. */
function nameList(value: string, name: string): string[] {
  const names = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`${name} needs a comma-separated list of tool names`);
  return names;
}

function positional(word: string): UsageError {
  const shown = word.length > 40 ? `${word.slice(0, 40)}…` : word;
  return new UsageError(`unexpected argument '${shown}' after -p: quote the prompt as one argument`);
}

function setValue(flags: CliFlags, option: ValueOption, name: string, value: string): void {
  switch (option) {
    case 'prompt':
      flags.prompt = value;
      return;
    case 'resume':
      if (value.trim() === '') throw new UsageError(`${name} needs a non-empty value`);
      flags.resume = value.trim();
      return;
    case 'council':
    case 'chair':
      if (value.trim() === '' || /^[\s,]*$/.test(value)) throw new UsageError(`${name} needs ${option === 'council' ? 'a comma-separated list of profile or model names, or a saved council' : 'a profile or model name'}`);
      flags[option] = value.trim();
      return;
    case 'councilMode':
      if (value !== 'full' && value !== 'raw') throw new UsageError(`${name} must be full or raw, not '${value}'`);
      flags.councilMode = value;
      return;
    case 'quorum':
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a whole number of at least 1, not '${value}'`);
      flags.quorum = Number(value);
      return;
    case 'outputFormat':
      if (!(FORMATS as readonly string[]).includes(value)) {
        throw new UsageError(`unknown output format '${value}' (expected ${FORMATS.join(', ')})`);
      }
      flags.outputFormat = value as OutputFormat;
      return;
    default:
      setModelFlag(flags, option, name, value);
  }
}

/** Sets one of MODEL_FLAGS from its command-line value; a bad value is a UsageError naming the flag. */
export function setModelFlag(flags: ConfigFlags & { allow?: string[]; tools?: string[] }, option: ModelFlag, name: string, value: string): void {
  switch (option) {
    case 'model':
    case 'system':
    case 'appendSystem':
      if (value.trim() === '') throw new UsageError(`${name} needs a non-empty value`);
      flags[option] = value;
      return;
    case 'allow':
    case 'tools':
      flags[option] = nameList(value, name);
      return;
    case 'provider':
      if (!(PROVIDERS as readonly string[]).includes(value)) {
        throw new UsageError(`unknown provider '${value}' (expected ${PROVIDERS.join(', ')})`);
      }
      flags.provider = value as ProviderId;
      return;
    case 'baseURL':
      flags.baseURL = parseBaseURL(value, name);
      return;
    case 'maxTurns':
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a whole number of at least 1, not '${value}'`);
      flags.maxTurns = Number(value);
      return;
    case 'stallTimeout': {
      const seconds = parsePositiveSeconds(value);
      if (seconds === undefined) throw new UsageError(`${name} must be a number of seconds above 0, not '${value}'`);
      flags.stallTimeout = seconds;
      return;
    }
  }
}

/** A positive, finite number of seconds ("30", "2.5"), or undefined. Shared with the config reader. */
export function parsePositiveSeconds(value: string): number | undefined {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(value.trim())) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** An http(s) URL, or a UsageError naming the flag. */
export function parseBaseURL(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} must be an http:// or https:// URL, not '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${name} must be an http:// or https:// URL, not '${value}'`);
  }
  return value;
}
