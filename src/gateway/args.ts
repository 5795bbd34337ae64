// `hermes gateway telegram` flags. The model flags mean what they mean for `hermes -p` (one
// table and one setter, from the one-shot parser); the gateway adds where the Bot API is.

import type { ConfigFlags } from '../agent/config.js';
import { MODEL_FLAGS, parseBaseURL, setModelFlag, UsageError, type ModelFlag } from '../cli/args.js';
import { scanFlags } from '../cli/flag-scan.js';

export const PLATFORMS = ['telegram'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface GatewayFlags extends ConfigFlags {
  platform?: Platform;
  apiRoot?: string;
  help?: boolean;
  /** Tools offered to the model (default: all built-in tools). */
  tools?: string[];
  /** Tools that run without asking in the chat. */
  allow?: string[];
  noTools?: boolean;
}

type ValueOption = ModelFlag | 'apiRoot';

const VALUE_OPTIONS: Record<string, ValueOption> = {
  ...MODEL_FLAGS,
  '--api-root': 'apiRoot',
};

const BOOLEAN_OPTIONS: Record<string, 'noStream' | 'noTools' | 'help'> = {
  '--no-stream': 'noStream',
  '--no-tools': 'noTools',
  '-h': 'help',
  '--help': 'help',
};

/** argv after `gateway`: the platform first, then flags. */
export function parseGatewayArgs(argv: readonly string[]): GatewayFlags {
  const flags: GatewayFlags = {};
  let rest = argv;
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-')) {
    if (!(PLATFORMS as readonly string[]).includes(first)) {
      throw new UsageError(`unknown gateway platform '${first.slice(0, 40)}' (expected ${PLATFORMS.join(', ')})`);
    }
    flags.platform = first as Platform;
    rest = argv.slice(1);
  }
  const positional = (word: string): UsageError =>
    new UsageError(`unexpected argument '${word.length > 40 ? `${word.slice(0, 40)}…` : word}' for hermes gateway`);
  for (const { name, value } of scanFlags(rest, { values: VALUE_OPTIONS, booleans: BOOLEAN_OPTIONS }, { positional, unknownSuffix: ' for hermes gateway' })) {
    if (value === undefined) {
      const boolean = BOOLEAN_OPTIONS[name]!;
      if (boolean === 'noStream') flags.stream = false;
      else flags[boolean] = true;
    } else if (VALUE_OPTIONS[name] === 'apiRoot') {
      flags.apiRoot = parseBaseURL(value, name);
    } else {
      setModelFlag(flags, VALUE_OPTIONS[name] as ModelFlag, name, value);
    }
  }
  if (flags.noTools && flags.tools) throw new UsageError('use either --tools or --no-tools, not both');
  if (!flags.help && flags.platform === undefined) throw new UsageError(`which platform? e.g. hermes gateway telegram`);
  return flags;
}
