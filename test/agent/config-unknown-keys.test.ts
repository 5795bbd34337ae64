// Keys of config.json that hermes does not know are named in a warning, not silently ignored.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/agent/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function withConfig(config: unknown): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-config-'));
  dirs.push(home);
  fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify(config));
  return home;
}

describe('unknown keys in config.json', () => {
  it('names each unknown key, at the top level and in a provider section', () => {
    const home = withConfig({ modle: 'gpt-4o', model: 'gpt-4.1', openai: { baseUrl: 'http://x' } });
    const config = resolveConfig({ env: { HERMES_HOME: home }, requireApiKey: false });
    expect(config.model).toBe('gpt-4.1');
    expect(config.configWarnings).toHaveLength(2);
    expect(config.configWarnings[0]).toContain('"modle"');
    expect(config.configWarnings[0]).toContain(path.join(home, 'config.json'));
    expect(config.configWarnings[1]).toContain('"openai.baseUrl"');
  });

  it('says nothing about a file of known keys', () => {
    const home = withConfig({ provider: 'openai', model: 'gpt-4.1', stream: true, compaction: { enabled: true }, anthropic: { model: 'claude-x' } });
    expect(resolveConfig({ env: { HERMES_HOME: home }, requireApiKey: false }).configWarnings).toEqual([]);
  });
});
