// Configuration: command-line flags > environment > config file > defaults.
//
// The file is conf's (projectName 'hermes', no '-nodejs' suffix; HERMES_HOME as conf's `cwd`),
// but the one-shot path does not import conf: `import('conf')` costs about 80 ms on Node 20
// (ajv, ajv-formats, semver, atomically), more than node's own start-up, and `hermes -p` is
// benchmarked against a bare SDK script. So reading is a small JSON reader at exactly the path
// conf uses (env-paths' rule, reproduced in configPath(); a test checks it against conf), and
// conf is loaded only to write (writeConfig). Reading never creates, rewrites or clears the
// file: a broken file is the user's to fix, and we say which file and which key.
//
// API keys come from the environment only; they are never read from or written to the file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ThinkTagSetting } from '../stream/think-tags.js';
import { contextWindowValue, validateConversationConfig, type CompactionFileConfig, type ConversationFileConfig } from './conversation-config.js';
import { makeDirs } from './make-dirs.js';
import { isHttpURL, isPlainObject } from './config-checks.js';
import { validateGatewayConfig, type GatewayFileConfig } from './gateway-config.js';
import { profileKeyVariables, profileNamed, validateProfilesConfig, type ProfilesFileConfig } from './model-profiles.js';
import type { ProviderConnection, ProviderId } from './types.js';

export const PROVIDERS: readonly ProviderId[] = ['openai', 'anthropic', 'openai-responses'];

export const DEFAULT_MODELS: Readonly<Record<ProviderId, string>> = {
  openai: 'gpt-4.1-mini',
  'openai-responses': 'gpt-5-mini',
  // Not claude-sonnet-4-5: @anthropic-ai/sdk 1.12 lists it as deprecated and console.warns two
  // lines on every request with it, which would land on the user's stderr.
  anthropic: 'claude-sonnet-4-6',
};

export const DEFAULT_STALL_TIMEOUT_S = 120;
export const DEFAULT_MAX_TURNS = 25;
/** The first byte of an answer may take long (queues, long prompts, reasoning models). */
const MIN_FIRST_BYTE_TIMEOUT_S = 600;

/** A bad config file, environment variable or missing key: one line, exit 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Per-provider settings in the file, e.g. {"anthropic": {"model": "claude-opus-4-1"}}. */
export interface ProviderFileConfig {
  model?: string;
  baseURL?: string;
  contextWindow?: number;
}

/** What config.json may hold. Unknown keys are ignored (later versions may add some). */
export interface FileConfig extends ConversationFileConfig, ProfilesFileConfig {
  provider?: ProviderId;
  model?: string;
  baseURL?: string;
  system?: string;
  /** Seconds. */
  stallTimeout?: number;
  maxTurns?: number;
  stream?: boolean;
  /** How `<think>` tags in answers are read: 'auto' (by the model's name), 'implicit' or 'off'. */
  thinkTags?: ThinkTagSetting;
  /** What run_shell's commands see of the environment: {"keep": ["GITHUB_TOKEN"]} passes those on. */
  shellEnv?: { keep?: string[] };
  openai?: ProviderFileConfig;
  anthropic?: ProviderFileConfig;
  'openai-responses'?: ProviderFileConfig;
  /** The chat gateways (hermes gateway telegram). */
  gateway?: GatewayFileConfig;
}

/** The flags that take part in configuration (a subset of the CLI's flags). */
export interface ConfigFlags {
  provider?: ProviderId;
  model?: string;
  baseURL?: string;
  system?: string;
  /** --append-system: added to the system prompt (built-in or replaced). */
  appendSystem?: string;
  /** --no-instructions: leave AGENTS.md / CLAUDE.md out. */
  noInstructions?: boolean;
  stream?: boolean;
  maxTurns?: number;
  /** Seconds. */
  stallTimeout?: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolvedConfig {
  provider: ProviderId;
  model: string;
  /** undefined: the provider's default address. */
  baseURL?: string;
  apiKey?: string;
  system?: string;
  stream: boolean;
  maxTurns: number;
  stallTimeoutMs: number;
  firstByteTimeoutMs: number;
  /** What the agent hands to the provider adapter. */
  connection: ProviderConnection;
  /** Every API key present in the environment: redact these from anything printed. */
  secrets: string[];
  /** Secret-looking variables passed on to run_shell anyway (config.json shellEnv.keep). */
  shellEnvKeep: string[];
  /** The config file that was (or would be) read. */
  configPath: string;
  /** The folder for config, sessions and history. */
  home: string;
  /** Added to the system prompt (--append-system, config appendSystem). */
  appendSystem?: string;
  /** false: no project instructions (--no-instructions). */
  instructions: boolean;
  /** The window configured for this provider's model (its section, then the top level). */
  contextWindow?: number;
  compaction: CompactionFileConfig;
  cacheTtl?: '5m' | '1h';
  /** false: no prompt-cache hints at all (config cache.enabled). */
  cacheEnabled: boolean;
  /** The file's gateway section (checked; the gateway command adds environment and flags). */
  gateway: GatewayFileConfig;
  /** The config.json profile `-m` named (models.NAME), if it named one. */
  profile?: string;
}

/** What a resolved configuration fixes for an agent; each front end adds tools, session and cwd. */
export function agentSettings(config: ResolvedConfig): Pick<ResolvedConfig, 'provider' | 'model' | 'connection' | 'system' | 'maxTurns' | 'stream'> {
  const { provider, model, connection, system, maxTurns, stream } = config;
  return { provider, model, connection, system, maxTurns, stream };
}

export interface ResolveOptions {
  flags?: ConfigFlags;
  env?: Env;
  /** Relative HERMES_HOME paths resolve against this. */
  cwd?: string;
  /** false: no error when the key is missing (a front end that can ask for one later). */
  requireApiKey?: boolean;
}

const PROJECT_NAME = 'hermes';
const CONFIG_FILE = 'config.json';

/**
 * The folder conf keeps the config in: HERMES_HOME when set, else env-paths' `config` folder
 * for 'hermes' (suffix ''): linux $XDG_CONFIG_HOME/hermes or ~/.config/hermes,
 * macOS ~/Library/Preferences/hermes, Windows %APPDATA%\hermes\Config.
 */
export function hermesHome(env: Env = process.env, cwd: string = process.cwd()): string {
  const home = nonEmpty(env.HERMES_HOME);
  if (home) return path.resolve(cwd, home);
  // env-paths reads os.homedir() (which honours HOME) and the XDG/APPDATA variables.
  const userHome = os.homedir();
  if (process.platform === 'darwin') return path.join(userHome, 'Library', 'Preferences', PROJECT_NAME);
  if (process.platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? path.join(userHome, 'AppData', 'Roaming');
    return path.join(appData, PROJECT_NAME, 'Config');
  }
  return path.join(nonEmpty(env.XDG_CONFIG_HOME) ?? path.join(userHome, '.config'), PROJECT_NAME);
}

/** The config file's path: the same one `new Conf({projectName: 'hermes', projectSuffix: ''})` uses. */
export function configPath(env: Env = process.env, cwd: string = process.cwd()): string {
  return path.resolve(hermesHome(env, cwd), CONFIG_FILE);
}

/** Reads and checks the file. A missing file is an empty config; nothing is ever written. */
export function readConfigFile(file: string): FileConfig {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    throw new ConfigError(`cannot read the config file ${file}: ${code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    const reason = (err as Error).message.split('\n', 1)[0];
    throw new ConfigError(`the config file ${file} is not valid JSON (${reason}); fix it or move it away (hermes leaves it as it is)`);
  }
  return validateFileConfig(data, file);
}

/** Checks every known key's type; the error names the file and the key. */
export function validateFileConfig(data: unknown, file: string): FileConfig {
  if (!isPlainObject(data)) throw new ConfigError(`the config file ${file} must hold a JSON object ({...})`);
  const bad = (key: string, expected: string, value: unknown): ConfigError =>
    new ConfigError(`the config file ${file} has a bad value for "${key}": expected ${expected}, found ${describe(value)}`);

  for (const key of ['apiKey', 'api_key', 'key']) {
    if (key in data) {
      throw new ConfigError(`the config file ${file} has "${key}": API keys are read from the environment only (OPENAI_API_KEY, ANTHROPIC_API_KEY); remove it from the file`);
    }
  }

  const out: FileConfig = {
    ...validateConversationConfig(data, bad),
    ...validateProfilesConfig(data, {
      bad,
      isProvider,
      isHttpURL,
      contextWindow: (key, value) => contextWindowValue(key, value, bad),
      keyInFile: (key) => new ConfigError(`the config file ${file} has "${key}": API keys are read from the environment only; name the variable with apiKeyEnv instead`),
    }),
  };
  if (data.provider !== undefined) {
    if (typeof data.provider !== 'string' || !isProvider(data.provider)) throw bad('provider', `one of ${PROVIDERS.join(', ')}`, data.provider);
    out.provider = data.provider;
  }
  for (const key of ['model', 'system'] as const) {
    const value = data[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || (key === 'model' && value.trim() === '')) throw bad(key, 'a non-empty string', value);
    out[key] = value;
  }
  if (data.baseURL !== undefined) {
    if (typeof data.baseURL !== 'string' || !isHttpURL(data.baseURL)) throw bad('baseURL', 'an http:// or https:// URL', data.baseURL);
    out.baseURL = data.baseURL;
  }
  if (data.stallTimeout !== undefined) {
    if (typeof data.stallTimeout !== 'number' || !Number.isFinite(data.stallTimeout) || data.stallTimeout <= 0) {
      throw bad('stallTimeout', 'a number of seconds above 0', data.stallTimeout);
    }
    out.stallTimeout = data.stallTimeout;
  }
  if (data.maxTurns !== undefined) {
    if (typeof data.maxTurns !== 'number' || !Number.isInteger(data.maxTurns) || data.maxTurns < 1) {
      throw bad('maxTurns', 'a whole number of at least 1', data.maxTurns);
    }
    out.maxTurns = data.maxTurns;
  }
  if (data.stream !== undefined) {
    if (typeof data.stream !== 'boolean') throw bad('stream', 'true or false', data.stream);
    out.stream = data.stream;
  }
  if (data.thinkTags !== undefined) {
    if (data.thinkTags !== 'auto' && data.thinkTags !== 'implicit' && data.thinkTags !== 'off') {
      throw bad('thinkTags', '"auto", "implicit" or "off"', data.thinkTags);
    }
    out.thinkTags = data.thinkTags;
  }
  if (data.shellEnv !== undefined) {
    const keep = isPlainObject(data.shellEnv) ? data.shellEnv.keep : undefined;
    const names = 'a list of environment variable names, like {"keep": ["GITHUB_TOKEN"]}';
    if (!isPlainObject(data.shellEnv)) throw bad('shellEnv', `an object with "keep": ${names}`, data.shellEnv);
    if (keep !== undefined && (!Array.isArray(keep) || !keep.every((name) => typeof name === 'string' && /^[^=\0]+$/.test(name)))) {
      throw bad('shellEnv.keep', names, keep);
    }
    out.shellEnv = keep === undefined ? {} : { keep: keep as string[] };
  }
  for (const provider of PROVIDERS) {
    const section = data[provider];
    if (section === undefined) continue;
    if (!isPlainObject(section)) throw bad(provider, 'an object like {"model": "..."}', section);
    const sub: ProviderFileConfig = {};
    if (section.model !== undefined) {
      if (typeof section.model !== 'string' || section.model.trim() === '') throw bad(`${provider}.model`, 'a non-empty string', section.model);
      sub.model = section.model;
    }
    if (section.baseURL !== undefined) {
      if (typeof section.baseURL !== 'string' || !isHttpURL(section.baseURL)) {
        throw bad(`${provider}.baseURL`, 'an http:// or https:// URL', section.baseURL);
      }
      sub.baseURL = section.baseURL;
    }
    if (section.contextWindow !== undefined) sub.contextWindow = contextWindowValue(`${provider}.contextWindow`, section.contextWindow, bad);
    for (const key of ['apiKey', 'api_key', 'key']) {
      if (key in section) {
        throw new ConfigError(`the config file ${file} has "${provider}.${key}": API keys are read from the environment only; remove it from the file`);
      }
    }
    out[provider] = sub;
  }
  if (data.gateway !== undefined) out.gateway = validateGatewayConfig(data.gateway, bad);
  return out;
}

export function resolveConfig(options: ResolveOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = configPath(env, cwd);
  const fromFile = readConfigFile(file);
  // A profile stands for the flags it abbreviates; flags given beside it still win.
  const profileName = options.flags?.model ?? nonEmpty(env.HERMES_MODEL);
  const profile = profileNamed(fromFile, profileName);
  const flags: ConfigFlags = profile
    ? { ...options.flags, model: profile.model, provider: options.flags?.provider ?? profile.provider, baseURL: options.flags?.baseURL ?? profile.baseURL, system: options.flags?.system ?? profile.system }
    : options.flags ?? {};

  const envProvider = nonEmpty(env.HERMES_PROVIDER);
  if (envProvider !== undefined && !isProvider(envProvider)) {
    throw new ConfigError(`HERMES_PROVIDER must be one of ${PROVIDERS.join(', ')}, not '${envProvider}'`);
  }
  const explicitModel = flags.model ?? nonEmpty(env.HERMES_MODEL);
  const provider: ProviderId =
    flags.provider ?? envProvider ?? fromFile.provider ?? ((explicitModel ?? fromFile.model)?.startsWith('claude') ? 'anthropic' : 'openai');

  // The file's top-level model and baseURL belong to the file's provider: choosing another
  // provider with --provider must not send a GPT model name to Anthropic.
  const topLevelApplies = fromFile.provider === undefined || fromFile.provider === provider;
  const section = fromFile[provider] ?? {};
  const model = explicitModel ?? section.model ?? (topLevelApplies ? fromFile.model : undefined) ?? DEFAULT_MODELS[provider];

  const keyVar = profile?.apiKeyEnv ?? (provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
  const urlVar = provider === 'anthropic' ? 'ANTHROPIC_BASE_URL' : 'OPENAI_BASE_URL';
  const envURL = nonEmpty(env[urlVar]);
  if (envURL !== undefined && !isHttpURL(envURL)) throw new ConfigError(`${urlVar} must be an http:// or https:// URL, not '${envURL}'`);
  const baseURL = flags.baseURL ?? envURL ?? section.baseURL ?? (topLevelApplies ? fromFile.baseURL : undefined);

  const apiKey = nonEmpty(env[keyVar]?.trim());
  if (!apiKey && (options.requireApiKey ?? true) && isDefaultAddress(provider, baseURL)) {
    const hint = provider === 'anthropic' ? 'an Anthropic-compatible server' : 'a local OpenAI-compatible server';
    throw new ConfigError(`${keyVar} is not set. Export it, or point --base-url at ${hint}.`);
  }

  const envStall = nonEmpty(env.HERMES_STALL_TIMEOUT);
  let stallSeconds = flags.stallTimeout;
  if (stallSeconds === undefined && envStall !== undefined) {
    const parsed = /^\d+(\.\d+)?$|^\.\d+$/.test(envStall.trim()) ? Number(envStall) : NaN;
    if (!(parsed > 0)) throw new ConfigError(`HERMES_STALL_TIMEOUT must be a number of seconds above 0, not '${envStall}'`);
    stallSeconds = parsed;
  }
  stallSeconds ??= fromFile.stallTimeout ?? DEFAULT_STALL_TIMEOUT_S;
  const stallTimeoutMs = Math.round(stallSeconds * 1000);
  const firstByteTimeoutMs = Math.max(MIN_FIRST_BYTE_TIMEOUT_S * 1000, 5 * stallTimeoutMs);

  const contextWindow = profile?.contextWindow ?? section.contextWindow ?? (topLevelApplies ? fromFile.contextWindow : undefined);

  const secrets = [env.OPENAI_API_KEY, env.ANTHROPIC_API_KEY, ...profileKeyVariables(fromFile).map((name) => env[name])]
    .map((value) => value?.trim())
    // A one- or two-character "key" would turn every redaction into noise; real keys are long.
    .filter((value): value is string => value !== undefined && value.length >= 8);

  return {
    provider,
    model,
    baseURL,
    apiKey,
    system: flags.system ?? fromFile.system,
    stream: flags.stream ?? fromFile.stream ?? true,
    maxTurns: flags.maxTurns ?? fromFile.maxTurns ?? DEFAULT_MAX_TURNS,
    stallTimeoutMs,
    firstByteTimeoutMs,
    connection: { baseURL, apiKey, stallTimeoutMs, firstByteTimeoutMs, ...(fromFile.thinkTags ? { thinkTags: fromFile.thinkTags } : {}) },
    secrets,
    shellEnvKeep: fromFile.shellEnv?.keep ?? [],
    configPath: file,
    home: hermesHome(env, cwd),
    ...(flags.appendSystem ?? fromFile.appendSystem ? { appendSystem: flags.appendSystem ?? fromFile.appendSystem } : {}),
    instructions: !flags.noInstructions,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    compaction: fromFile.compaction ?? {},
    ...(fromFile.cache?.ttl ? { cacheTtl: fromFile.cache.ttl } : {}),
    cacheEnabled: fromFile.cache?.enabled !== false,
    gateway: fromFile.gateway ?? {},
    ...(profile ? { profile: profileName } : {}),
  };
}

/**
 * Creates the hermes folder (sessions, input history) when it is missing. A folder that cannot
 * be made (under /proc, under a regular file, no permission) is a configuration error.
 */
export function ensureHome(config: Pick<ResolvedConfig, 'home'>, env: Env = process.env): void {
  try {
    makeDirs(config.home);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const what = nonEmpty(env.HERMES_HOME) ? 'HERMES_HOME' : 'the hermes folder';
    throw new ConfigError(`cannot create ${what} ${config.home}: ${code}`);
  }
}

/**
 * Sets (or, with undefined, removes) keys in the config file through conf. The current file
 * is checked first: a file we cannot read correctly is never overwritten.
 */
export async function writeConfig(patch: Partial<FileConfig>, options: { env?: Env; cwd?: string } = {}): Promise<string> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = configPath(env, cwd);
  readConfigFile(file);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  validateFileConfig(defined, file);

  const { default: Conf } = await import('conf');
  const home = nonEmpty(env.HERMES_HOME);
  const store = new Conf<Record<string, unknown>>({
    projectName: PROJECT_NAME,
    projectSuffix: '',
    ...(home ? { cwd: path.resolve(cwd, home) } : {}),
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
  if (path.resolve(store.path) !== file) {
    throw new ConfigError(`internal: conf would write ${store.path}, but hermes reads ${file}`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) store.delete(key);
    else store.set(key, value);
  }
  return file;
}

function isDefaultAddress(provider: ProviderId, baseURL: string | undefined): boolean {
  if (baseURL === undefined) return true;
  const host = new URL(baseURL).hostname;
  return host === (provider === 'anthropic' ? 'api.anthropic.com' : 'api.openai.com');
}

function isProvider(value: string): value is ProviderId {
  return (PROVIDERS as readonly string[]).includes(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function describe(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
