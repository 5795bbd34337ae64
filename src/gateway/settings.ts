// The gateway's settings: flags > environment > config.json's `gateway` section > defaults.
// Mistakes are ConfigErrors (one line, exit 2); the token is never quoted in any of them.

import { ConfigError, type Env, type ResolvedConfig } from '../agent/config.js';
import { isHttpURL } from '../agent/config-checks.js';
import { parseUserIds, type BusyPolicy, type GatewayTransportMode } from '../agent/gateway-config.js';
import type { GatewayFlags } from './args.js';

export const DEFAULT_EDIT_INTERVAL_S = 1.0;
export const DEFAULT_CURSOR = ' ▉';
export const DEFAULT_APPROVAL_TIMEOUT_S = 300;

/** What every platform's gateway shares. */
export interface GatewaySettings {
  editIntervalMs: number;
  cursor: string;
  busy: BusyPolicy;
  transport: GatewayTransportMode;
  allowDangerous: boolean;
  approvalTimeoutMs: number;
}

export interface TelegramSettings {
  token: string;
  /** undefined: Telegram's own https://api.telegram.org. */
  apiRoot?: string;
  allowedUsers: ReadonlySet<number>;
}

export function gatewaySettings(config: ResolvedConfig): GatewaySettings {
  const file = config.gateway;
  return {
    editIntervalMs: Math.round((file.editInterval ?? DEFAULT_EDIT_INTERVAL_S) * 1000),
    cursor: file.cursor ?? DEFAULT_CURSOR,
    busy: file.busy ?? 'queue',
    transport: file.transport ?? 'edit',
    allowDangerous: file.allowDangerous ?? false,
    approvalTimeoutMs: Math.round((file.approvalTimeout ?? DEFAULT_APPROVAL_TIMEOUT_S) * 1000),
  };
}

export function telegramSettings(config: ResolvedConfig, flags: GatewayFlags, env: Env): TelegramSettings {
  const file = config.gateway.telegram ?? {};
  const token = env.TELEGRAM_BOT_TOKEN?.trim() || file.token;
  if (!token) {
    throw new ConfigError(`no Telegram bot token: set TELEGRAM_BOT_TOKEN (from @BotFather) or gateway.telegram.token in ${config.configPath}`);
  }
  const envRoot = env.TELEGRAM_API_ROOT?.trim() || undefined;
  if (envRoot !== undefined && !isHttpURL(envRoot)) throw new ConfigError(`TELEGRAM_API_ROOT must be an http:// or https:// URL, not '${envRoot}'`);
  const apiRoot = flags.apiRoot ?? envRoot ?? file.apiRoot;

  const envUsers = env.TELEGRAM_ALLOWED_USERS?.trim() || undefined;
  let allowed = file.allowedUsers ?? [];
  if (envUsers !== undefined) {
    const parsed = parseUserIds(envUsers);
    if (!parsed) throw new ConfigError(`TELEGRAM_ALLOWED_USERS must be numeric Telegram user ids separated by commas, not '${envUsers.slice(0, 60)}'`);
    allowed = parsed;
  }
  return { token, apiRoot: apiRoot?.replace(/\/+$/, ''), allowedUsers: new Set(allowed) };
}
