// `hermes -p --council` with stderr on a terminal: the live roster is drawn in place, and a
// member's failure is said under it once it is done, never in the middle of its redraws.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/agent/config.js';
import { runCouncilOneShot } from '../../src/cli/council.js';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';

const servers: LoopbackServer[] = [];
let home: string | undefined;
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 60, rows: 20, write: (chunk: string, done?: () => void) => (chunks.push(chunk), done?.(), true), on: () => undefined };
}

describe('one-shot council on a terminal', () => {
  it('draws the roster on stderr and prints failures below it, after its last redraw', async () => {
    const slow = await startLoopback([{ kind: 'stream', chunks: chatTextFrames(['slow ', 'but ', 'sure']), delayMs: 120 }]);
    const fast = await startLoopback([{ kind: 'stream', chunks: chatTextFrames(['fast']) }]);
    const broken = await startLoopback([{ kind: 'json', status: 400, body: { error: { message: 'no such model', type: 'invalid_request_error' } } }]);
    servers.push(slow, fast, broken);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-council-tty-'));
    const models = { a: { model: 'a', baseURL: fast.baseURL }, b: { model: 'b', baseURL: slow.baseURL }, c: { model: 'c', baseURL: broken.baseURL } };
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ models }));
    const env = { HERMES_HOME: home };
    const stdout = sink(false);
    const stderr = sink(true);
    const code = await runCouncilOneShot({
      config: resolveConfig({ env, requireApiKey: false }),
      flags: { council: 'a,b,c', councilMode: 'raw', showMembers: true },
      prompt: 'q',
      env,
      stdout,
      stderr,
    });
    expect(code).toBe(0);
    const err = stderr.chunks.join('');
    const lastRedraw = err.lastIndexOf('\u001b[3F');
    expect(lastRedraw).toBeGreaterThan(-1);
    const failure = err.indexOf('hermes: member c failed');
    expect(failure).toBeGreaterThan(lastRedraw);
    expect(err.slice(lastRedraw)).toMatch(/a {2}done/);
    expect(stdout.chunks.join('')).toBe('## a\n\nfast\n\n## b\n\nslow but sure\n\n');
  });
});
