// Ctrl+C and a reader that goes away (`hermes -p x | head -c 5`), with the built binary.

import { describe, expect, it } from 'vitest';
import type { LoopbackServer } from '../support/loopback.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { e2eScope, startHermes } from './helpers.js';

const scope = e2eScope();
let server: LoopbackServer | undefined;

function env(s: LoopbackServer) {
  const dirs = scope.home();
  return { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, OPENAI_BASE_URL: s.baseURL, OPENAI_API_KEY: 'sk-test-e2e-0123456789' };
}

/** The frames, counting how many of them the server has taken to send. */
function counted(frames: string[]): { chunks: string[]; sent(): number } {
  let taken = 0;
  const chunks = new Proxy(frames, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) taken = Math.max(taken, Number(key) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  return { chunks, sent: () => taken };
}

describe('SIGINT while the answer streams', () => {
  it('closes the connection, keeps the partial text, ends the line and exits 130', async () => {
    const frames = chatTextFrames(['The beginning', ' of an answer', ' never finished']);
    server = await scope.serve([{ kind: 'stream', chunks: frames.slice(0, 3), hang: true }]);
    const run = startHermes(['-p', 'go'], { env: env(server) });
    await run.waitForStdout('of an answer');
    const request = server.requests[0]!;

    const interruptedAt = performance.now();
    run.child.kill('SIGINT');
    const closedAt = await request.closed;
    const result = await run.result;

    expect(result.code).toBe(130);
    expect(result.stdout).toBe('The beginning of an answer\n');
    expect(result.stderr).toBe('');
    // The server saw the connection close (it was left hanging, so only an abort closes it).
    expect(closedAt).toBeGreaterThanOrEqual(interruptedAt);
  });

  it('interrupts a request that has not answered yet', async () => {
    server = await scope.serve([{ kind: 'hang' }]);
    const run = startHermes(['-p', 'go', '--output-format', 'json'], { env: env(server) });
    const request = await server.waitForRequest(1);
    run.child.kill('SIGINT');
    await request.closed;
    const result = await run.result;
    expect(result.code).toBe(130);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'interrupted', text: '' });
  });
});

describe('a closed stdout', () => {
  it('ends quietly with exit 0 and stops the model', async () => {
    const tokens = Array.from({ length: 200 }, (_, i) => `token${i} `);
    const frames = counted(chatTextFrames(tokens));
    server = await scope.serve([{ kind: 'stream', chunks: frames.chunks, delayMs: 20 }]);
    const run = startHermes(['-p', 'go'], { env: env(server) });
    await run.waitForStdout('token0');
    // What `| head -c 5` does once it has its bytes: close the read end of the pipe.
    run.child.stdout!.destroy();
    const result = await run.result;
    await server.requests[0]!.closed;

    expect(result.code).toBe(0);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(frames.sent()).toBeLessThan(frames.chunks.length);
  });
});
