import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigFlags } from '../../src/agent/config.js';
import { setUpConversation } from '../../src/agent/conversation.js';

let top: string;
beforeEach(() => {
  top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-conversation-')));
  fs.mkdirSync(path.join(top, 'home'));
  fs.mkdirSync(path.join(top, 'project', '.git'), { recursive: true });
  fs.writeFileSync(path.join(top, 'project', 'AGENTS.md'), 'Run npm test before you say done.');
});
afterEach(() => fs.rmSync(top, { recursive: true, force: true }));

const config = (flags: ConfigFlags = {}) => resolveConfig({ flags, env: { HERMES_HOME: path.join(top, 'home'), OPENAI_API_KEY: 'sk-test-0123456789' } });

describe('setting up a conversation', () => {
  it('builds the system prompt once: built-in, appended text, then the project instructions', () => {
    const now = new Date(2026, 11, 4, 9, 30);
    const conversation = setUpConversation(config({ appendSystem: 'Answer in French.' }), { cwd: path.join(top, 'project'), tools: ['read_file'], sessionId: '3k9x', now, askServer: false });
    expect(conversation.system).toContain('You are hermes');
    expect(conversation.system).toContain(`Working folder: ${path.join(top, 'project')}`);
    expect(conversation.system).toContain('2026-12-04');
    expect(conversation.system.indexOf('Answer in French.')).toBeLessThan(conversation.system.indexOf('Run npm test before you say done.'));
    expect(conversation.instructions.files.map((f) => path.basename(f.path))).toEqual(['AGENTS.md']);
    expect(conversation.cache).toEqual({ key: '3k9x' });
  });

  it('-s replaces the built-in prompt; --no-instructions leaves the files out', () => {
    const replaced = setUpConversation(config({ system: 'Be a pirate.', noInstructions: true }), { cwd: path.join(top, 'project'), tools: [], askServer: false });
    expect(replaced.system).toBe('Be a pirate.');
    expect(replaced.instructions.files).toEqual([]);
  });

  it("starts with the table's window and takes the local server's when it answers", async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/props') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_generation_settings: { n_ctx: 16_384 } }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const conversation = setUpConversation(config({ baseURL: base }), { cwd: top, tools: [] });
      expect(conversation.provisionalWindow).toMatchObject({ tokens: 1_047_576, source: 'table' });
      expect(await conversation.window).toEqual({ tokens: 16_384, source: 'server' });
      expect(conversation.compactor.window).toBe(16_384);
    } finally {
      server.close();
    }
  });
});
