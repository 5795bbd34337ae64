// `hermes gateway` mistakes as a user meets them: one line on stderr, exit 2, the token never
// quoted; and the config section `gateway` read (and checked) with the rest of config.json.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/agent/config.js';
import { parseGatewayArgs } from '../../src/gateway/args.js';
import { gatewaySettings, telegramSettings } from '../../src/gateway/settings.js';
import { e2eScope, runHermes } from '../e2e/helpers.js';
import { startFakeBotApi } from '../support/telegram/fake-bot-api.js';

const scope = e2eScope();
const TOKEN = '7000001:secret-token-never-shown';

function hermesEnv(extra: Record<string, string> = {}): Record<string, string> {
  const { home, hermesHome } = scope.home();
  return { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', ...extra };
}

describe('hermes gateway: usage and configuration mistakes', () => {
  it.each([
    [['gateway', 'telegram'], {}, /^hermes: no Telegram bot token: set TELEGRAM_BOT_TOKEN/],
    [['gateway'], { TELEGRAM_BOT_TOKEN: TOKEN }, /^hermes: which platform\? e\.g\. hermes gateway telegram/],
    [['gateway', 'slack'], { TELEGRAM_BOT_TOKEN: TOKEN }, /^hermes: unknown gateway platform 'slack'/],
    [['gateway', 'telegram', '--frobnicate'], { TELEGRAM_BOT_TOKEN: TOKEN }, /^hermes: unknown option '--frobnicate' for hermes gateway/],
    [['gateway', 'telegram', '--api-root', 'ftp://x'], { TELEGRAM_BOT_TOKEN: TOKEN }, /^hermes: --api-root must be an http/],
    [['gateway', 'telegram'], { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_ALLOWED_USERS: 'me' }, /^hermes: TELEGRAM_ALLOWED_USERS must be numeric/],
    [['gateway', 'telegram', '--tools', 'nope'], { TELEGRAM_BOT_TOKEN: TOKEN }, /^hermes: unknown tool "nope"/],
  ])('%j %j: one line, exit 2', async (args, env, message) => {
    const result = await runHermes(args, { env: hermesEnv(env) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2); // the line (+ "Try --help")
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.stdout).toBe('');
  });

  it('a token the Bot API refuses: one line without the token, exit 2', async () => {
    const fake = await startFakeBotApi();
    try {
      const result = await runHermes(['gateway', 'telegram', '--api-root', fake.apiRoot], { env: hermesEnv({ TELEGRAM_BOT_TOKEN: TOKEN }) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/refused the bot token/);
      expect(result.stderr).not.toContain(TOKEN);
    } finally {
      await fake.close();
    }
  });

  it('an unreachable Bot API: one line without the token, exit 1', async () => {
    const result = await runHermes(['gateway', 'telegram', '--api-root', 'http://127.0.0.1:9'], { env: hermesEnv({ TELEGRAM_BOT_TOKEN: TOKEN }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot reach the Bot API/);
    expect(result.stderr).toContain('[redacted]');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('--help prints the gateway help', async () => {
    const result = await runHermes(['gateway', '--help'], { env: hermesEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hermes gateway telegram [options]');
  });
});

describe('the config section gateway', () => {
  function configWith(gateway: unknown, env: Record<string, string> = {}) {
    const { hermesHome } = scope.home();
    fs.writeFileSync(path.join(hermesHome, 'config.json'), JSON.stringify({ gateway }));
    return { config: resolveConfig({ env: { HERMES_HOME: hermesHome, OPENAI_API_KEY: 'sk-test-0123456789abcdef', ...env } }), env };
  }

  it('has defaults: 1.0 s edits, cursor " ▉", queue, edit transport, dangerous refused, 5 minutes to approve', () => {
    const { config } = configWith({});
    expect(gatewaySettings(config)).toEqual({ editIntervalMs: 1000, cursor: ' ▉', busy: 'queue', transport: 'edit', allowDangerous: false, approvalTimeoutMs: 300_000 });
  });

  it('reads every key, and the environment beats the file for the token, the API root and the allow list', () => {
    const gateway = {
      editInterval: 0.5,
      cursor: '',
      busy: 'interrupt',
      transport: 'auto',
      allowDangerous: true,
      approvalTimeout: 10,
      telegram: { token: '1:file-token-xxxxxxxx', apiRoot: 'http://127.0.0.1:8081/', allowedUsers: [1, 2] },
    };
    const { config } = configWith(gateway);
    expect(gatewaySettings(config)).toEqual({ editIntervalMs: 500, cursor: '', busy: 'interrupt', transport: 'auto', allowDangerous: true, approvalTimeoutMs: 10_000 });
    const flags = parseGatewayArgs(['telegram']);
    expect(telegramSettings(config, flags, {})).toEqual({ token: '1:file-token-xxxxxxxx', apiRoot: 'http://127.0.0.1:8081', allowedUsers: new Set([1, 2]) });
    const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9000', TELEGRAM_ALLOWED_USERS: '7, 8' };
    expect(telegramSettings(config, flags, env)).toEqual({ token: TOKEN, apiRoot: 'http://127.0.0.1:9000', allowedUsers: new Set([7, 8]) });
    expect(telegramSettings(config, parseGatewayArgs(['telegram', '--api-root', 'http://127.0.0.1:1']), env).apiRoot).toBe('http://127.0.0.1:1');
  });

  it.each([
    [{ editInterval: 0 }, 'gateway.editInterval'],
    [{ busy: 'later' }, 'gateway.busy'],
    [{ transport: 'pigeon' }, 'gateway.transport'],
    [{ allowDangerous: 'yes' }, 'gateway.allowDangerous'],
    [{ telegram: { allowedUsers: ['bob'] } }, 'gateway.telegram.allowedUsers'],
    [{ telegram: { apiRoot: 'nope' } }, 'gateway.telegram.apiRoot'],
    [{ telegram: { token: 42 } }, 'gateway.telegram.token'],
  ])('refuses %j naming the key', (gateway, key) => {
    let error: unknown;
    try {
      configWith(gateway);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`"${key}"`);
  });
});
