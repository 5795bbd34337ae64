// Named model profiles (config.json `models`): `-m NAME` and `/model NAME` bring a profile's
// provider, model, address, key variable, window and system prompt; keys stay in the environment.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { ConfigError, resolveConfig, type Env } from '../../src/agent/config.js';
import { createSessionCommands, type SessionTarget } from '../../src/tui/session-commands.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-profiles-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

const writeFile = (content: unknown): void => fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify(content));
const PROFILES = {
  models: {
    local: { provider: 'openai', model: 'qwen3:8b', baseURL: 'http://127.0.0.1:11434/v1', contextWindow: 32768, system: 'be local' },
    sonnet: { provider: 'anthropic', model: 'claude-sonnet-4-6', apiKeyEnv: 'WORK_ANTHROPIC_KEY' },
  },
};

describe('model profiles', () => {
  it('-m NAME selects a profile: provider, model, address, window and system prompt', () => {
    writeFile(PROFILES);
    const config = resolveConfig({ flags: { model: 'local' }, env: { HERMES_HOME: home, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' } });
    expect(config).toMatchObject({ profile: 'local', provider: 'openai', model: 'qwen3:8b', baseURL: 'http://127.0.0.1:11434/v1', contextWindow: 32768, system: 'be local' });
    expect(config.connection.baseURL).toBe('http://127.0.0.1:11434/v1');
  });

  it('a name that is no profile is a model name as before', () => {
    writeFile(PROFILES);
    const config = resolveConfig({ flags: { model: 'gpt-4o' }, env: { HERMES_HOME: home, OPENAI_API_KEY: 'sk-test-0123456789' } });
    expect(config.model).toBe('gpt-4o');
    expect(config.profile).toBeUndefined();
  });

  it('reads the key from the variable apiKeyEnv names, redacts it, and names it when missing', () => {
    writeFile(PROFILES);
    const env: Env = { HERMES_HOME: home, WORK_ANTHROPIC_KEY: 'sk-ant-work-0123456789', ANTHROPIC_API_KEY: 'sk-ant-other-0123456789' };
    const config = resolveConfig({ flags: { model: 'sonnet' }, env });
    expect(config.apiKey).toBe('sk-ant-work-0123456789');
    expect(config.secrets).toContain('sk-ant-work-0123456789');
    expect(() => resolveConfig({ flags: { model: 'sonnet' }, env: { HERMES_HOME: home, ANTHROPIC_API_KEY: 'sk-ant-other-0123456789' } })).toThrow(/WORK_ANTHROPIC_KEY is not set/);
  });

  it('rejects a key in a profile and a profile without a model, naming the key', () => {
    writeFile({ models: { bad: { model: 'x', apiKey: 'sk-secret-123456789' } } });
    expect(() => resolveConfig({ env: { HERMES_HOME: home, OPENAI_API_KEY: 'sk-test-0123456789' } })).toThrow(/"models\.bad\.apiKey".*apiKeyEnv/);
    writeFile({ models: { bad: { provider: 'openai' } } });
    expect(() => resolveConfig({ env: { HERMES_HOME: home, OPENAI_API_KEY: 'sk-test-0123456789' } })).toThrow(ConfigError);
    writeFile({ councils: { trio: { members: [] } } });
    expect(() => resolveConfig({ env: { HERMES_HOME: home, OPENAI_API_KEY: 'sk-test-0123456789' } })).toThrow(/councils\.trio\.members/);
  });

  it('/model NAME switches to the profile provider and address in the TUI', () => {
    writeFile(PROFILES);
    const agent = new Agent({ provider: 'anthropic', model: 'claude-x', connection: { stallTimeoutMs: 1000, firstByteTimeoutMs: 1000 } });
    let target: SessionTarget = { provider: 'anthropic', stallTimeoutMs: 1000, maxTurns: 5, stream: true, secrets: [] };
    const commands = createSessionCommands({
      agent,
      target: () => target,
      setTarget: (next) => (target = next),
      env: { HERMES_HOME: home },
      toggleReasoning: () => false,
      lastAnswer: () => '',
      writeTerminal: () => {},
      newConversation: () => {},
      exit: () => {},
      print: () => {},
    });
    expect(commands.setModel('local')).toContain('qwen3:8b');
    expect(agent.providerId).toBe('openai');
    expect(agent.model).toBe('qwen3:8b');
    expect(target.baseURL).toBe('http://127.0.0.1:11434/v1');
    expect(() => commands.setModel('sonnet')).toThrow(/WORK_ANTHROPIC_KEY/);
    expect(agent.model).toBe('qwen3:8b');
  });
});
