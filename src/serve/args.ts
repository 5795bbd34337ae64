// `hermes serve` flags. The model flags mean what they mean for `hermes -p`; the validators and
// UsageError come from the one-shot parser so both commands word their mistakes the same way.

import type { ConfigFlags } from '../agent/config.js';
import { MODEL_FLAGS, setModelFlag, UsageError, type ModelFlag } from '../cli/args.js';
import { scanFlags } from '../cli/flag-scan.js';

export interface ServeFlags extends ConfigFlags {
  host?: string;
  port?: number;
  key?: string;
  corsOrigins: string[];
  maxConcurrent?: number;
  storeSize?: number;
  help?: boolean;
  /** Tools offered to the model; none unless --tools, --allow or --yolo is given. */
  tools?: string[];
  allow?: string[];
  yolo?: boolean;
}

type ValueOption = ModelFlag | 'host' | 'port' | 'key' | 'corsOrigin' | 'maxConcurrent' | 'storeSize';

const VALUE_OPTIONS: Record<string, ValueOption> = {
  ...MODEL_FLAGS,
  '--host': 'host',
  '--port': 'port',
  '--key': 'key',
  '--cors-origin': 'corsOrigin',
  '--max-concurrent': 'maxConcurrent',
  '--store-size': 'storeSize',
};

const BOOLEAN_OPTIONS: Record<string, 'noStream' | 'help' | 'yolo'> = {
  '--no-stream': 'noStream',
  '--yolo': 'yolo',
  '-h': 'help',
  '--help': 'help',
};

export function parseServeArgs(argv: readonly string[]): ServeFlags {
  const flags: ServeFlags = { corsOrigins: [] };
  const positional = (word: string): UsageError =>
    new UsageError(`unexpected argument '${word.length > 40 ? `${word.slice(0, 40)}…` : word}' for hermes serve`);
  for (const { name, value } of scanFlags(argv, { values: VALUE_OPTIONS, booleans: BOOLEAN_OPTIONS }, { positional, unknownSuffix: ' for hermes serve' })) {
    if (value === undefined) {
      const boolean = BOOLEAN_OPTIONS[name]!;
      if (boolean === 'noStream') flags.stream = false;
      else flags[boolean] = true;
    } else {
      setValue(flags, VALUE_OPTIONS[name]!, name, value);
    }
  }
  return flags;
}

function wholeNumber(value: string, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any size' : max}, not '${value}'`);
  }
  return Number(value);
}

function setValue(flags: ServeFlags, option: ValueOption, name: string, value: string): void {
  switch (option) {
    case 'host':
      if (value.trim() === '') throw new UsageError(`${name} needs a non-empty value`);
      flags.host = value;
      return;
    case 'key':
      // Not quoted back: it is a secret.
      if (value.trim().length < 8) throw new UsageError(`${name} must be at least 8 characters long`);
      flags.key = value.trim();
      return;
    case 'corsOrigin':
      flags.corsOrigins.push(parseOrigin(value, name));
      return;
    case 'port':
      flags.port = wholeNumber(value, name, 0, 65535);
      return;
    case 'maxConcurrent':
      flags.maxConcurrent = wholeNumber(value, name, 1);
      return;
    case 'storeSize':
      flags.storeSize = wholeNumber(value, name, 0);
      return;
    default:
      setModelFlag(flags, option, name, value);
  }
}

/** A browser origin as browsers send it (scheme://host[:port], no path), or '*'. */
function parseOrigin(value: string, name: string): string {
  if (value === '*') return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} must be an origin like https://chat.example.com, not '${value}'`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || value.endsWith('/')) {
    throw new UsageError(`${name} must be an origin like https://chat.example.com (no path or trailing slash), not '${value}'`);
  }
  return url.origin;
}
