// Configuration as a user meets it: flags beat the environment, which beats the config file,
// which beats the defaults; a broken file is reported (file and key) and left exactly as it was.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configPath,
  resolveConfig,
  writeConfig,
  type Env,
  type ResolveOptions,
} from '../../src/agent/config.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-config-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

const KEY = 'sk-test-0123456789abcdef';
const env = (extra: Env = {}): Env => ({ HERMES_HOME: home, OPENAI_API_KEY: KEY, ...extra });
const writeFile = (content: unknown): string => {
  const file = path.join(home, 'config.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
};
const resolve = (options: ResolveOptions = {}) => resolveConfig({ env: env(), ...options });
const configError = (options: ResolveOptions): ConfigError => {
  try {
    resolveConfig(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('resolveConfig did not throw');
};

describe('resolveConfig defaults', () => {
  it('uses openai and gpt-4.1-mini with no file, no flags and only a key', () => {
    const config = resolve();
    expect(config).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      baseURL: undefined,
      apiKey: KEY,
      stream: true,
      maxTurns: 25,
      stallTimeoutMs: 120_000,
      firstByteTimeoutMs: 600_000,
      configPath: path.join(home, 'config.json'),
      home,
    });
    expect(config.connection).toEqual({ baseURL: undefined, apiKey: KEY, stallTimeoutMs: 120_000, firstByteTimeoutMs: 600_000 });
  });

  it('has a default model for each provider', () => {
    expect(resolve({ flags: { provider: 'openai-responses' } }).model).toBe('gpt-5-mini');
    expect(resolveConfig({ env: env({ ANTHROPIC_API_KEY: 'sk-ant-0123456789' }), flags: { provider: 'anthropic' } }).model).toBe('claude-sonnet-4-6');
  });

  it('makes the first-byte limit the longer of 600 s and five stall timeouts', () => {
    expect(resolve({ flags: { stallTimeout: 30 } })).toMatchObject({ stallTimeoutMs: 30_000, firstByteTimeoutMs: 600_000 });
    expect(resolve({ flags: { stallTimeout: 300 } })).toMatchObject({ stallTimeoutMs: 300_000, firstByteTimeoutMs: 1_500_000 });
  });
});

describe('resolveConfig precedence', () => {
  it('flags > environment > config file > defaults', () => {
    writeFile({ provider: 'openai', model: 'file-model', baseURL: 'http://file.example/v1', system: 'file system', stallTimeout: 10, maxTurns: 4, stream: false });

    const fromFile = resolve();
    expect(fromFile).toMatchObject({ model: 'file-model', baseURL: 'http://file.example/v1', system: 'file system', stallTimeoutMs: 10_000, maxTurns: 4, stream: false });

    const fromEnv = resolveConfig({ env: env({ HERMES_MODEL: 'env-model', OPENAI_BASE_URL: 'http://env.example/v1', HERMES_STALL_TIMEOUT: '20' }) });
    expect(fromEnv).toMatchObject({ model: 'env-model', baseURL: 'http://env.example/v1', stallTimeoutMs: 20_000, maxTurns: 4 });

    const fromFlags = resolveConfig({
      env: env({ HERMES_MODEL: 'env-model', OPENAI_BASE_URL: 'http://env.example/v1', HERMES_STALL_TIMEOUT: '20' }),
      flags: { model: 'flag-model', baseURL: 'http://flag.example/v1', stallTimeout: 30, maxTurns: 9, stream: true, system: 'flag system' },
    });
    expect(fromFlags).toMatchObject({ model: 'flag-model', baseURL: 'http://flag.example/v1', stallTimeoutMs: 30_000, maxTurns: 9, stream: true, system: 'flag system' });
    expect(fromFlags.connection.baseURL).toBe('http://flag.example/v1');
  });

  it('picks the provider from the flag, then HERMES_PROVIDER, then the file', () => {
    writeFile({ provider: 'openai-responses' });
    const keys = { ANTHROPIC_API_KEY: 'sk-ant-0123456789' };
    expect(resolveConfig({ env: env(keys) }).provider).toBe('openai-responses');
    expect(resolveConfig({ env: env({ ...keys, HERMES_PROVIDER: 'anthropic' }) }).provider).toBe('anthropic');
    expect(resolveConfig({ env: env({ ...keys, HERMES_PROVIDER: 'anthropic' }), flags: { provider: 'openai' } }).provider).toBe('openai');
  });

  it('chooses anthropic for a claude model when no provider is named', () => {
    const keys = { ANTHROPIC_API_KEY: 'sk-ant-0123456789' };
    expect(resolveConfig({ env: env(keys), flags: { model: 'claude-opus-4-1' } })).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-1', apiKey: 'sk-ant-0123456789' });
    expect(resolveConfig({ env: env({ ...keys, HERMES_MODEL: 'claude-3-5-haiku-latest' }) }).provider).toBe('anthropic');
    writeFile({ model: 'claude-sonnet-4-5' });
    expect(resolveConfig({ env: env(keys) }).provider).toBe('anthropic');
    // A named provider wins over the guess (an OpenAI-compatible gateway serving Claude).
    expect(resolveConfig({ env: env(keys), flags: { model: 'claude-sonnet-4-5', provider: 'openai' } }).provider).toBe('openai');
    expect(resolve({ flags: { model: 'gpt-4.1' } }).provider).toBe('openai');
  });

  it('takes the base URL variable that belongs to the provider', () => {
    const e = env({ OPENAI_BASE_URL: 'http://openai.local/v1', ANTHROPIC_BASE_URL: 'http://anthropic.local', ANTHROPIC_API_KEY: 'sk-ant-0123456789' });
    expect(resolveConfig({ env: e }).baseURL).toBe('http://openai.local/v1');
    expect(resolveConfig({ env: e, flags: { provider: 'openai-responses' } }).baseURL).toBe('http://openai.local/v1');
    expect(resolveConfig({ env: e, flags: { provider: 'anthropic' } }).baseURL).toBe('http://anthropic.local');
  });

  it("does not apply the file's model to another provider chosen by flag", () => {
    writeFile({ provider: 'openai', model: 'gpt-4.1', anthropic: { model: 'claude-opus-4-1' } });
    const keys = env({ ANTHROPIC_API_KEY: 'sk-ant-0123456789' });
    expect(resolveConfig({ env: keys }).model).toBe('gpt-4.1');
    expect(resolveConfig({ env: keys, flags: { provider: 'anthropic' } }).model).toBe('claude-opus-4-1');
    expect(resolveConfig({ env: keys, flags: { provider: 'openai-responses' } }).model).toBe('gpt-5-mini');
  });

  it('hands the thinkTags setting of the file to the provider connection', () => {
    expect(resolve().connection.thinkTags).toBeUndefined();
    writeFile({ thinkTags: 'implicit' });
    expect(resolve().connection.thinkTags).toBe('implicit');
  });

  it('treats empty environment variables as unset', () => {
    writeFile({ model: 'file-model' });
    expect(resolveConfig({ env: env({ HERMES_MODEL: '', HERMES_PROVIDER: '', OPENAI_BASE_URL: '' }) })).toMatchObject({ model: 'file-model', provider: 'openai', baseURL: undefined });
  });
});

describe('shellEnv', () => {
  it('keep names the secret-looking variables run_shell passes on (none by default)', () => {
    expect(resolve().shellEnvKeep).toEqual([]);
    writeFile({ shellEnv: { keep: ['GITHUB_TOKEN', 'NPM_TOKEN'] } });
    expect(resolve().shellEnvKeep).toEqual(['GITHUB_TOKEN', 'NPM_TOKEN']);
  });
});

describe('the config file location', () => {
  it('is config.json inside HERMES_HOME, relative paths resolved against cwd', () => {
    expect(configPath({ HERMES_HOME: home })).toBe(path.join(home, 'config.json'));
    expect(configPath({ HERMES_HOME: 'rel/dir' }, '/base')).toBe(path.resolve('/base/rel/dir/config.json'));
    writeFile({ model: 'from-home' });
    expect(resolve().model).toBe('from-home');
  });

  it("is env-paths' config folder for 'hermes' without the -nodejs suffix when HERMES_HOME is unset", () => {
    expect(configPath({})).toBe(path.join(envPaths('hermes', { suffix: '' }).config, 'config.json'));
    expect(configPath({})).not.toContain('nodejs');
    if (process.platform === 'linux') {
      expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/hermes/config.json');
    }
  });

  it('is the file conf writes, and what conf writes is read back', async () => {
    const xdg = path.join(home, 'xdg');
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = xdg; // conf's env-paths reads the live environment
    try {
      const written = await writeConfig({ model: 'gpt-4.1', anthropic: { model: 'claude-opus-4-1' } }, { env: { XDG_CONFIG_HOME: xdg } });
      expect(written).toBe(configPath({ XDG_CONFIG_HOME: xdg }));
      expect(JSON.parse(fs.readFileSync(written, 'utf8'))).toEqual({ model: 'gpt-4.1', anthropic: { model: 'claude-opus-4-1' } });
      expect(resolveConfig({ env: { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: KEY } }).model).toBe('gpt-4.1');
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });

  it('is not created by reading', () => {
    const missing = path.join(home, 'not-yet');
    resolveConfig({ env: { HERMES_HOME: missing, OPENAI_API_KEY: KEY } });
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('a broken config file', () => {
  it('that is not JSON: names the file, and the file is left byte for byte', async () => {
    const original = '{"model": "gpt-4.1",\n  oops\n';
    const file = writeFile(original);
    const err = configError({ env: env() });
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).not.toContain('\n');
    // Writing through conf must refuse too rather than replace the file.
    await expect(writeConfig({ model: 'x' }, { env: env() })).rejects.toBeInstanceOf(ConfigError);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  it('with a key of the wrong type: names the file and the key, and leaves the file', async () => {
    const cases: [unknown, string][] = [
      [{ maxTurns: 'ten' }, '"maxTurns"'],
      [{ maxTurns: 0 }, '"maxTurns"'],
      [{ stallTimeout: '30' }, '"stallTimeout"'],
      [{ stream: 'no' }, '"stream"'],
      [{ provider: 'gemini' }, '"provider"'],
      [{ model: 42 }, '"model"'],
      [{ baseURL: 'localhost:1234' }, '"baseURL"'],
      [{ anthropic: { model: 7 } }, '"anthropic.model"'],
      [{ openai: 'gpt' }, '"openai"'],
      [{ thinkTags: 'always' }, '"thinkTags"'],
      [{ shellEnv: ['GITHUB_TOKEN'] }, '"shellEnv"'],
      [{ shellEnv: { keep: 'GITHUB_TOKEN' } }, '"shellEnv.keep"'],
      [{ shellEnv: { keep: [7] } }, '"shellEnv.keep"'],
    ];
    for (const [content, key] of cases) {
      const file = writeFile(content);
      const before = fs.readFileSync(file);
      const err = configError({ env: env() });
      expect(err.message).toContain(file);
      expect(err.message).toContain(key);
      await expect(writeConfig({ system: 'x' }, { env: env() })).rejects.toBeInstanceOf(ConfigError);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    }
  });

  it('that is JSON but not an object is reported', () => {
    const file = writeFile('[1, 2]');
    expect(configError({ env: env() }).message).toContain(file);
  });

  it('holding an API key is refused: keys live in the environment only', () => {
    writeFile({ apiKey: 'sk-file-0123456789' });
    const err = configError({ env: env() });
    expect(err.message).toMatch(/"apiKey".*environment/);
    expect(err.message).not.toContain('sk-file-0123456789');
  });

  it('ignores keys it does not know (a newer hermes may have written them)', () => {
    writeFile({ model: 'm', sessions: { keep: 10 } });
    expect(resolve().model).toBe('m');
  });
});

describe('writeConfig', () => {
  it('never stores an API key', async () => {
    await expect(writeConfig({ apiKey: KEY } as never, { env: env() })).rejects.toBeInstanceOf(ConfigError);
    await writeConfig({ model: 'gpt-4.1' }, { env: env() });
    expect(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).not.toContain(KEY);
  });

  it('keeps the keys it does not touch and removes keys set to undefined', async () => {
    writeFile({ model: 'a', maxTurns: 3 });
    await writeConfig({ model: 'b', maxTurns: undefined }, { env: env() });
    expect(JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8'))).toEqual({ model: 'b' });
  });
});

describe('API keys and environment errors', () => {
  it('needs OPENAI_API_KEY at the default address and says how to fix it', () => {
    const err = configError({ env: { HERMES_HOME: home } });
    expect(err.message).toBe('OPENAI_API_KEY is not set. Export it, or point --base-url at a local OpenAI-compatible server.');
    expect(configError({ env: { HERMES_HOME: home }, flags: { provider: 'openai-responses' } }).message).toMatch(/^OPENAI_API_KEY is not set/);
    expect(configError({ env: { HERMES_HOME: home }, flags: { baseURL: 'https://api.openai.com/v1' } }).message).toMatch(/^OPENAI_API_KEY is not set/);
  });

  it('needs ANTHROPIC_API_KEY for anthropic, even when OPENAI_API_KEY is set', () => {
    expect(configError({ env: env(), flags: { provider: 'anthropic' } }).message).toMatch(/^ANTHROPIC_API_KEY is not set\. Export it/);
  });

  it('needs no key with a custom base URL', () => {
    const config = resolveConfig({ env: { HERMES_HOME: home }, flags: { baseURL: 'http://127.0.0.1:11434/v1' } });
    expect(config.apiKey).toBeUndefined();
    expect(resolveConfig({ env: { HERMES_HOME: home, OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' } }).baseURL).toBe('http://127.0.0.1:8080/v1');
  });

  it('lists the keys found in the environment as secrets to redact', () => {
    const config = resolveConfig({ env: env({ ANTHROPIC_API_KEY: 'sk-ant-abcdefgh12345' }) });
    expect(config.secrets).toEqual([KEY, 'sk-ant-abcdefgh12345']);
  });

  it('rejects bad HERMES_PROVIDER, HERMES_STALL_TIMEOUT and base URL variables by name', () => {
    expect(configError({ env: env({ HERMES_PROVIDER: 'gemini' }) }).message).toMatch(/^HERMES_PROVIDER must be one of/);
    expect(configError({ env: env({ HERMES_STALL_TIMEOUT: 'soon' }) }).message).toMatch(/^HERMES_STALL_TIMEOUT must be/);
    expect(configError({ env: env({ HERMES_STALL_TIMEOUT: '0' }) }).message).toMatch(/^HERMES_STALL_TIMEOUT/);
    expect(configError({ env: env({ OPENAI_BASE_URL: 'localhost:1' }) }).message).toMatch(/^OPENAI_BASE_URL must be/);
  });
});

describe('a conversation that lasts: config keys', () => {
  it('reads appendSystem, contextWindow (a provider section first), compaction and cache', () => {
    writeFile({ appendSystem: 'Answer in French.', contextWindow: 16_384, anthropic: { contextWindow: 100_000 }, compaction: { enabled: false, threshold: 0.7, model: 'small' }, cache: { ttl: '1h' } });
    const openai = resolve();
    expect(openai).toMatchObject({ appendSystem: 'Answer in French.', contextWindow: 16_384, compaction: { enabled: false, threshold: 0.7, model: 'small' }, cacheTtl: '1h', instructions: true });
    expect(resolve({ env: env({ ANTHROPIC_API_KEY: 'sk-ant-0123456789' }), flags: { provider: 'anthropic' } }).contextWindow).toBe(100_000);
    expect(resolve({ flags: { appendSystem: 'flag wins', noInstructions: true } })).toMatchObject({ appendSystem: 'flag wins', instructions: false });
    expect(openai.cacheEnabled).toBe(true);
    writeFile({ cache: { enabled: false } });
    expect(resolve().cacheEnabled).toBe(false);
  });

  it('names the key of a bad value', () => {
    for (const [content, key] of [
      [{ contextWindow: 0 }, 'contextWindow'],
      [{ openai: { contextWindow: 'big' } }, 'openai.contextWindow'],
      [{ compaction: { threshold: 2 } }, 'compaction.threshold'],
      [{ compaction: { enabled: 'yes' } }, 'compaction.enabled'],
      [{ cache: { ttl: '10m' } }, 'cache.ttl'],
      [{ cache: { enabled: 'no' } }, 'cache.enabled'],
      [{ appendSystem: 3 }, 'appendSystem'],
    ] as const) {
      writeFile(content);
      expect(() => resolve()).toThrow(`bad value for "${key}"`);
    }
  });
});
