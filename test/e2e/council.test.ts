// hermes -p --council, run as a user runs it: the built binary against three loopback servers
// (config.json profiles), in every output format, with failures, a saved council and SIGINT.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopbackServer, RecordedRequest, Step } from '../support/loopback.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { conversationOf, e2eScope, runHermes, startHermes } from './helpers.js';
import { eventually } from './processes.js';

const scope = e2eScope();

const lastUser = (req: RecordedRequest): string => req.json.messages.at(-1).content;
const isSynthesis = (req: RecordedRequest): boolean => lastUser(req).includes('As the chair of this council');
const text = (tokens: string[], delayMs = 0): Step => ({ kind: 'stream', chunks: chatTextFrames(tokens, { usage: true }), delayMs });
const failing: Step = { kind: 'json', status: 400, body: { error: { message: 'model c is not loaded', type: 'invalid_request_error' } } };

async function council(answers: Step[], synthesis: Step = text(['The ', 'synthesis.'])) {
  const servers: LoopbackServer[] = [];
  for (const answer of answers) servers.push(await scope.serve((_, req) => (isSynthesis(req) ? synthesis : answer)));
  const dirs = scope.home();
  const names = ['a', 'b', 'c'].slice(0, servers.length);
  const models = Object.fromEntries(names.map((name, i) => [name, { provider: 'openai', model: `model-${name}`, baseURL: servers[i]!.baseURL, apiKeyEnv: `KEY_${name.toUpperCase()}` }]));
  fs.writeFileSync(path.join(dirs.hermesHome, 'config.json'), JSON.stringify({ models, councils: { trio: { members: names, chair: 'b' } } }));
  const env: Record<string, string> = { HOME: dirs.home, HERMES_HOME: dirs.hermesHome };
  for (const name of names) env[`KEY_${name.toUpperCase()}`] = `sk-secret-of-${name}-0123456789`;
  return { servers, env, dirs };
}

describe('hermes -p --council', () => {
  it('text: members block by block in member order, then the synthesis; the session continues from the synthesis', async () => {
    const { servers, env, dirs } = await council([text(['A ', 'says.'], 20), text(['B says.']), text(['C ', 'says.'], 5)]);
    const result = await runHermes(['-p', 'the question', '--council', 'a,b,c', '--show-members'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('## a\n\nA says.\n\n## b\n\nB says.\n\n## c\n\nC says.\n\n## synthesis\n\nThe synthesis.\n');
    expect(servers[0]!.requests.filter(isSynthesis)).toHaveLength(1);
    expect(servers[0]!.requests[0]!.headers.authorization).toBe('Bearer sk-secret-of-a-0123456789');
    expect(servers[1]!.requests[0]!.headers.authorization).toBe('Bearer sk-secret-of-b-0123456789');

    const sessions = fs.readdirSync(path.join(dirs.hermesHome, 'sessions'), { recursive: true }).map(String).filter((f) => f.endsWith('.jsonl'));
    const stored = fs.readFileSync(path.join(dirs.hermesHome, 'sessions', sessions[0]!), 'utf8');
    expect(stored).toContain('"type":"council"');
    expect(stored).toContain('C says.');
    expect(stored).not.toContain('sk-secret-of');

    const next = await runHermes(['-m', 'a', '-c', '-p', 'and then?'], { env });
    expect(next.code).toBe(0);
    expect(conversationOf(servers[0]!.requests.at(-1)!.json)).toEqual([
      { role: 'user', content: 'the question' },
      { role: 'assistant', content: 'The synthesis.' },
      { role: 'user', content: 'and then?' },
    ]);
  });

  it('stream-json prints the core events; json one object; a failed member makes it partial, exit 0', async () => {
    const { env } = await council([text(['A.']), text(['B.']), failing]);
    const streamed = await runHermes(['-p', 'q', '--council', 'a,b,c', '--output-format', 'stream-json'], { env });
    expect(streamed.code).toBe(0);
    const events = streamed.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ type: 'council_start', members: ['a', 'b', 'c'], chair: 'a', quorum: 2 });
    expect(events.find((e) => e.type === 'member_error')).toMatchObject({ member: 'c', error: { status: 400, message: expect.stringContaining('model c is not loaded') } });
    expect(events.at(-1)).toMatchObject({ type: 'council_done', result: { status: 'partial', missing: ['c'], synthesis: 'The synthesis.' } });
    expect(events.map((e) => e.type)).toContain('synthesis_delta');

    const json = await runHermes(['-p', 'q', '--council', 'a,b,c', '--output-format', 'json'], { env });
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const object = JSON.parse(lines[0]!);
    expect(object).toMatchObject({ type: 'council_result', status: 'partial', missing: ['c'], synthesis: 'The synthesis.' });
    expect(object.members.map((m: { name: string; state: string }) => [m.name, m.state])).toEqual([['a', 'answered'], ['b', 'answered'], ['c', 'failed']]);
    expect(object.usage.total.outputTokens).toBeGreaterThan(0);

    const plain = await runHermes(['-p', 'q', '--council', 'a,b,c'], { env });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('The synthesis.\n');
    expect(plain.stderr).toContain('hermes: member c failed:');
    expect(plain.stderr).toContain('model c is not loaded');
    expect(plain.stderr).toContain('hermes: partial council: no answer from c');
  });

  it('below the quorum it fails with exit 1 and says why; a saved council brings its chair', async () => {
    const { servers, env } = await council([text(['A.']), text(['B.']), failing]);
    const failed = await runHermes(['-p', 'q', '--council', 'a,b,c', '--quorum', '3'], { env });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('the council failed: only 2 of 3 members answered (quorum 3)');

    const saved = await runHermes(['-p', 'q', '--council', 'trio', '--council-mode', 'full'], { env });
    expect(saved.code).toBe(0);
    expect(servers[1]!.requests.filter(isSynthesis)).toHaveLength(1);
    expect(servers[0]!.requests.filter(isSynthesis)).toHaveLength(0);
  });

  it('council flags without --council, a member without a key and an unknown saved council are usage errors', async () => {
    const { env } = await council([text(['A.']), text(['B.'])]);
    const noCouncil = await runHermes(['-p', 'q', '--review'], { env });
    expect(noCouncil.code).toBe(2);
    expect(noCouncil.stderr).toMatch(/^hermes: --review needs --council\n/);
    const noKey = await runHermes(['-p', 'q', '--council', 'a,claude-sonnet-4-6'], { env });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('ANTHROPIC_API_KEY is not set');
    const unknown = await runHermes(['-p', 'q', '--council', 'quartet'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no council 'quartet'");
  });

  it('SIGINT aborts every member at once: each server sees its connection close, exit 130', async () => {
    const hang: Step = { kind: 'stream', chunks: chatTextFrames(['partial ']).slice(0, 2), hang: true };
    const { servers, env } = await council([hang, hang, hang]);
    const run = startHermes(['-p', 'q', '--council', 'a,b,c'], { env });
    await eventually(() => servers.every((s) => s.requests.length > 0), 'every member asked');
    await new Promise((r) => setTimeout(r, 200));
    const killedAt = performance.now();
    run.child.kill('SIGINT');
    const closed = await Promise.all(servers.map((s) => s.requests[0]!.closed));
    const result = await run.result;
    expect(result.code).toBe(130);
    for (const at of closed) expect(at).toBeGreaterThan(killedAt - 1);
  });
});
