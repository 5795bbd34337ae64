// Named model profiles and saved councils (config.json `models` and `councils`):
//   {"models": {"local": {"provider": "openai", "model": "qwen3:8b", "baseURL": "http://localhost:11434/v1"}},
//    "councils": {"trio": {"members": ["local", "sonnet", "gpt-4.1"], "chair": "sonnet", "review": true}}}
// `-m local` selects a profile; a name that is no profile is a model name as before. A profile
// names the variable that holds its key (apiKeyEnv); keys themselves are never in the file.

import type { ConfigError } from './config.js';
import type { ProviderId } from './types.js';

export interface ModelProfile {
  provider?: ProviderId;
  model: string;
  baseURL?: string;
  /** The environment variable holding this profile's API key (default: the provider's). */
  apiKeyEnv?: string;
  contextWindow?: number;
  system?: string;
}

export interface CouncilFileConfig {
  members: string[];
  chair?: string;
  review?: boolean;
}

export interface ProfilesFileConfig {
  models?: Record<string, ModelProfile>;
  councils?: Record<string, CouncilFileConfig>;
}

type Bad = (key: string, expected: string, value: unknown) => ConfigError;
type Checks = {
  bad: Bad;
  isProvider: (value: string) => value is ProviderId;
  isHttpURL: (value: string) => boolean;
  contextWindow: (key: string, value: unknown) => number;
  keyInFile: (key: string) => ConfigError;
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateProfilesConfig(data: Record<string, unknown>, checks: Checks): ProfilesFileConfig {
  const { bad } = checks;
  const out: ProfilesFileConfig = {};
  if (data.models !== undefined) {
    if (!isObject(data.models)) throw bad('models', 'an object of named profiles like {"local": {"model": "..."}}', data.models);
    const models: Record<string, ModelProfile> = {};
    for (const [name, value] of Object.entries(data.models)) {
      if (!NAME.test(name)) throw bad(`models.${name}`, 'a profile name of letters, digits and . _ - : / @', name);
      models[name] = profileValue(`models.${name}`, value, checks);
    }
    out.models = models;
  }
  if (data.councils !== undefined) {
    if (!isObject(data.councils)) throw bad('councils', 'an object like {"trio": {"members": ["a", "b"]}}', data.councils);
    const councils: Record<string, CouncilFileConfig> = {};
    for (const [name, value] of Object.entries(data.councils)) councils[name] = councilValue(`councils.${name}`, value, bad);
    out.councils = councils;
  }
  return out;
}

function profileValue(key: string, value: unknown, checks: Checks): ModelProfile {
  const { bad } = checks;
  if (!isObject(value)) throw bad(key, 'an object like {"provider": "openai", "model": "..."}', value);
  for (const secret of ['apiKey', 'api_key', 'key']) if (secret in value) throw checks.keyInFile(`${key}.${secret}`);
  if (typeof value.model !== 'string' || value.model.trim() === '') throw bad(`${key}.model`, 'a non-empty string', value.model);
  const profile: ModelProfile = { model: value.model };
  if (value.provider !== undefined) {
    if (typeof value.provider !== 'string' || !checks.isProvider(value.provider)) throw bad(`${key}.provider`, 'openai, anthropic or openai-responses', value.provider);
    profile.provider = value.provider;
  }
  if (value.baseURL !== undefined) {
    if (typeof value.baseURL !== 'string' || !checks.isHttpURL(value.baseURL)) throw bad(`${key}.baseURL`, 'an http:// or https:// URL', value.baseURL);
    profile.baseURL = value.baseURL;
  }
  if (value.apiKeyEnv !== undefined) {
    if (typeof value.apiKeyEnv !== 'string' || !ENV_NAME.test(value.apiKeyEnv)) throw bad(`${key}.apiKeyEnv`, 'the name of an environment variable', value.apiKeyEnv);
    profile.apiKeyEnv = value.apiKeyEnv;
  }
  if (value.contextWindow !== undefined) profile.contextWindow = checks.contextWindow(`${key}.contextWindow`, value.contextWindow);
  if (value.system !== undefined) {
    if (typeof value.system !== 'string') throw bad(`${key}.system`, 'a string', value.system);
    profile.system = value.system;
  }
  return profile;
}

function councilValue(key: string, value: unknown, bad: Bad): CouncilFileConfig {
  if (!isObject(value)) throw bad(key, 'an object like {"members": ["a", "b"], "chair": "a"}', value);
  const members = value.members;
  if (!Array.isArray(members) || members.length < 1 || !members.every((m) => typeof m === 'string' && m.trim() !== '')) {
    throw bad(`${key}.members`, 'a list of profile or model names', members);
  }
  const council: CouncilFileConfig = { members: members.map((m: string) => m.trim()) };
  if (value.chair !== undefined) {
    if (typeof value.chair !== 'string' || value.chair.trim() === '') throw bad(`${key}.chair`, 'a profile or model name', value.chair);
    council.chair = value.chair.trim();
  }
  if (value.review !== undefined) {
    if (typeof value.review !== 'boolean') throw bad(`${key}.review`, 'true or false', value.review);
    council.review = value.review;
  }
  return council;
}

/** The profile a -m value names, if it names one. */
export function profileNamed(file: ProfilesFileConfig, name: string | undefined): ModelProfile | undefined {
  if (name === undefined || !file.models || !Object.hasOwn(file.models, name)) return undefined;
  return file.models[name];
}

/** Every key the profiles point at: redacted from anything printed, like the providers' own. */
export function profileKeyVariables(file: ProfilesFileConfig): string[] {
  return Object.values(file.models ?? {}).flatMap((profile) => (profile.apiKeyEnv ? [profile.apiKeyEnv] : []));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
