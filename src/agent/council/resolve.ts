// From what the user typed (--council a,b,c or a saved council's name, --chair, --review) to
// seats: each member a config.json profile or a model name, resolved like `-m NAME`, so each
// brings its own provider, address and key. Shared by every front door.

import { ConfigError, readConfigFile, resolveConfig, type ConfigFlags, type Env } from '../config.js';
import type { CouncilSeat } from './seat.js';

export interface CouncilChoice {
  /** "a,b,c", or the name of a council in config.json `councils`. */
  council: string;
  chair?: string;
  review?: boolean;
}

export interface ResolvedCouncil {
  members: CouncilSeat[];
  chair: CouncilSeat;
  review: boolean;
  /** Every key any seat uses: redact these from anything printed. */
  secrets: string[];
}

export function resolveCouncil(choice: CouncilChoice, options: { flags?: ConfigFlags; env?: Env; cwd?: string; configPath: string }): ResolvedCouncil {
  const file = readConfigFile(options.configPath);
  const saved = !choice.council.includes(',') && file.councils && Object.hasOwn(file.councils, choice.council) ? file.councils[choice.council] : undefined;
  const names = saved ? saved.members : choice.council.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new ConfigError('a council needs at least one member');
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new ConfigError(`council member '${duplicate}' is named twice`);
  if (names.length === 1 && !saved && !file.models?.[names[0]!]) {
    // "--council trio" with no such council is more likely a typo than a council of one.
    if (file.councils) throw new ConfigError(`no council '${names[0]}' in ${options.configPath} (saved: ${Object.keys(file.councils).join(', ') || 'none'}); list members as a,b,c`);
  }
  const secrets = new Set<string>();
  const seatFor = (name: string): CouncilSeat => {
    const config = resolveConfig({ flags: { ...options.flags, model: name }, ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) });
    for (const secret of config.secrets) secrets.add(secret);
    return { name, agent: { provider: config.provider, model: config.model, connection: config.connection, stream: config.stream } };
  };
  const members = names.map(seatFor);
  const chairName = choice.chair ?? saved?.chair ?? names[0]!;
  const chair = members.find((seat) => seat.name === chairName) ?? seatFor(chairName);
  return { members, chair, review: choice.review ?? saved?.review ?? false, secrets: [...secrets] };
}
