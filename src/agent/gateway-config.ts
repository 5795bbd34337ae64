// The `gateway` section of config.json: how the chat gateways stream and whom they answer.
// Checked with the rest of the file (a bad value names the file and the key); the gateway
// command lays the environment and its flags over it.

import { isHttpURL, isPlainObject } from './config-checks.js';

export type BusyPolicy = 'queue' | 'interrupt';
export type GatewayTransportMode = 'edit' | 'draft' | 'auto';

export const BUSY_POLICIES: readonly BusyPolicy[] = ['queue', 'interrupt'];
export const TRANSPORT_MODES: readonly GatewayTransportMode[] = ['edit', 'draft', 'auto'];

export interface TelegramFileConfig {
  /** The bot token (TELEGRAM_BOT_TOKEN wins). Never printed. */
  token?: string;
  /** Another Bot API server, e.g. a self-hosted telegram-bot-api. */
  apiRoot?: string;
  /** Numeric Telegram user ids allowed to talk to the bot. */
  allowedUsers?: number[];
}

export interface GatewayFileConfig {
  /** Seconds between edits of a streaming message (default 1.0). */
  editInterval?: number;
  /** Shown at the end of a message while it streams (default " ▉"). */
  cursor?: string;
  /** A message that arrives while an answer streams: queued (default) or interrupts it. */
  busy?: BusyPolicy;
  transport?: GatewayTransportMode;
  /** Commands on the dangerous list may be approved in a chat (default false: refused). */
  allowDangerous?: boolean;
  /** Seconds an approval question waits before it counts as denied (default 300). */
  approvalTimeout?: number;
  telegram?: TelegramFileConfig;
}

type Bad = (key: string, expected: string, value: unknown) => Error;

/** Checks the section's types; `bad` words the error as the config reader does. */
export function validateGatewayConfig(section: unknown, bad: Bad): GatewayFileConfig {
  if (!isPlainObject(section)) throw bad('gateway', 'an object like {"telegram": {...}}', section);
  const out: GatewayFileConfig = {};
  for (const key of ['editInterval', 'approvalTimeout'] as const) {
    const value = section[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw bad(`gateway.${key}`, 'a number of seconds above 0', value);
    out[key] = value;
  }
  if (section.cursor !== undefined) {
    if (typeof section.cursor !== 'string') throw bad('gateway.cursor', 'a string ("" for none)', section.cursor);
    out.cursor = section.cursor;
  }
  if (section.busy !== undefined) {
    if (!(BUSY_POLICIES as readonly unknown[]).includes(section.busy)) throw bad('gateway.busy', BUSY_POLICIES.join(' or '), section.busy);
    out.busy = section.busy as BusyPolicy;
  }
  if (section.transport !== undefined) {
    if (!(TRANSPORT_MODES as readonly unknown[]).includes(section.transport)) throw bad('gateway.transport', TRANSPORT_MODES.join(', '), section.transport);
    out.transport = section.transport as GatewayTransportMode;
  }
  if (section.allowDangerous !== undefined) {
    if (typeof section.allowDangerous !== 'boolean') throw bad('gateway.allowDangerous', 'true or false', section.allowDangerous);
    out.allowDangerous = section.allowDangerous;
  }
  if (section.telegram !== undefined) out.telegram = validateTelegram(section.telegram, bad);
  return out;
}

function validateTelegram(section: unknown, bad: Bad): TelegramFileConfig {
  if (!isPlainObject(section)) throw bad('gateway.telegram', 'an object like {"allowedUsers": [123]}', section);
  const out: TelegramFileConfig = {};
  if (section.token !== undefined) {
    // The value is a secret: the error does not quote it.
    if (typeof section.token !== 'string' || section.token.trim() === '') throw bad('gateway.telegram.token', 'a non-empty string', typeof section.token);
    out.token = section.token.trim();
  }
  if (section.apiRoot !== undefined) {
    if (typeof section.apiRoot !== 'string' || !isHttpURL(section.apiRoot)) throw bad('gateway.telegram.apiRoot', 'an http:// or https:// URL', section.apiRoot);
    out.apiRoot = section.apiRoot;
  }
  if (section.allowedUsers !== undefined) {
    const users = typeof section.allowedUsers === 'string' ? parseUserIds(section.allowedUsers) : section.allowedUsers;
    if (!Array.isArray(users) || !users.every(isUserId)) {
      throw bad('gateway.telegram.allowedUsers', 'a list of numeric Telegram user ids like [123456789]', section.allowedUsers);
    }
    out.allowedUsers = users;
  }
  return out;
}

/** "123, 456" -> [123, 456]; undefined when any part is not a user id. */
export function parseUserIds(text: string): number[] | undefined {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  if (!parts.every((part) => /^\d{1,16}$/.test(part))) return undefined;
  return parts.map(Number);
}

function isUserId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
