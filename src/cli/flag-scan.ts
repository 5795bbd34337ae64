// The grammar both `hermes` and `hermes serve` share: `-x value`, `--long value`,
// `--long=value`, boolean flags, `--` ending the options, plain words where a command takes them. Each command keeps
// its own table of flags and turns the scanned pairs into its own settings.

import { UsageError } from './usage-error.js';

export interface FlagTable {
  values: Readonly<Record<string, unknown>>;
  booleans: Readonly<Record<string, unknown>>;
}

export interface ScannedFlag {
  name: string;
  /** undefined for a boolean flag. */
  value?: string;
}

export interface ScanWording {
  /** The error for a plain word (serve takes none). */
  positional(word: string): UsageError;
  /** Takes plain words instead of refusing them (hermes: the chat's first message). */
  words?: string[];
  /** e.g. " for hermes serve", appended to "unknown option '--x'". */
  unknownSuffix?: string;
}

export function scanFlags(argv: readonly string[], table: FlagTable, wording: ScanWording): ScannedFlag[] {
  const known = (arg: string): boolean => {
    const name = arg.startsWith('--') ? arg.split('=', 1)[0]! : arg;
    return name in table.values || name in table.booleans;
  };
  const out: ScannedFlag[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      const rest = argv[i + 1];
      if (rest === undefined) break;
      if (!wording.words) throw wording.positional(rest);
      wording.words.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!wording.words) throw wording.positional(arg);
      wording.words.push(arg);
      continue;
    }

    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);

    if (name in table.booleans) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      out.push({ name });
      continue;
    }
    if (!(name in table.values)) throw new UsageError(`unknown option '${name}'${wording.unknownSuffix ?? ''}`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // A following flag means the value was forgotten (`-p --model x`); a value that really
      // starts with a dash can be given as --flag=-value.
      if (next === undefined || next === '--' || known(next)) throw new UsageError(`${name} needs a value`);
      value = next;
      i++;
    }
    out.push({ name, value });
  }
  return out;
}
