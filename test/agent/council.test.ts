// The council core against real loopback servers through the real openai SDK: members of
// different speeds answer at once, one fails mid-stream, a chair fails, an interrupt lands.

import { afterEach, describe, expect, it } from 'vitest';
import { runCouncil, type CouncilOptions } from '../../src/agent/council/council.js';
import type { CouncilEvent, CouncilResult } from '../../src/agent/council/events.js';
import type { CouncilSeat } from '../../src/agent/council/seat.js';
import { startLoopback, type LoopbackServer, type RecordedRequest, type Step } from '../support/loopback.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const lastUser = (req: RecordedRequest): string => req.json.messages.at(-1).content;
const isSynthesis = (req: RecordedRequest): boolean => lastUser(req).includes('As the chair of this council');
const isReview = (req: RecordedRequest): boolean => lastUser(req).includes('FINAL RANKING:');

interface Fake {
  answer: Step;
  synthesis?: Step;
  review?: Step;
}

async function fake(spec: Fake): Promise<LoopbackServer> {
  const server = await startLoopback((_, req) => (isSynthesis(req) ? spec.synthesis ?? text(['no synthesis scripted']) : isReview(req) ? spec.review ?? text(['no review']) : spec.answer));
  servers.push(server);
  return server;
}

const text = (tokens: string[], delayMs = 0): Step => ({ kind: 'stream', chunks: chatTextFrames(tokens, { usage: true }), delayMs });
/** The first frames of an answer, then the connection dies. */
const dropsAfter = (tokens: string[]): Step => ({ kind: 'stream', chunks: chatTextFrames(tokens).slice(0, tokens.length + 1), drop: true });
const hangsAfter = (tokens: string[]): Step => ({ kind: 'stream', chunks: chatTextFrames(tokens).slice(0, tokens.length + 1), hang: true });
const serverError: Step = { kind: 'json', status: 500, body: { error: { message: 'chair exploded', type: 'server_error' } } };

const seat = (name: string, server: LoopbackServer): CouncilSeat => ({
  name,
  agent: {
    provider: 'openai',
    model: `${name}-model`,
    connection: { baseURL: server.baseURL, apiKey: 'sk-test-key-0123456789', stallTimeoutMs: 5_000, firstByteTimeoutMs: 10_000 },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  },
});

async function collect(options: CouncilOptions, signal?: AbortSignal): Promise<{ events: CouncilEvent[]; result: CouncilResult }> {
  const events: CouncilEvent[] = [];
  for await (const event of runCouncil(options, signal)) events.push(event);
  const last = events.at(-1)!;
  if (last.type !== 'council_done') throw new Error('the last event is not council_done');
  return { events, result: last.result };
}

const deltasOf = (events: CouncilEvent[], member: string): string =>
  events.map((e) => (e.type === 'member_delta' && e.member === member ? e.delta : '')).join('');

describe('council core', () => {
  it('streams every member at once, then the synthesis, in order; the chair gets every answer', async () => {
    const alpha = await fake({ answer: text(['Paris ', 'is ', 'the capital.']), synthesis: text(['Final: ', 'Paris.']) });
    const beta = await fake({ answer: text(['It ', 'is ', 'Paris.'], 25) });
    const gamma = await fake({ answer: text(['Paris, ', 'France.'], 10) });
    const history = [{ role: 'user' as const, content: 'earlier' }, { role: 'assistant' as const, content: 'earlier answer', reasoning: '', reasoningBlocks: [], toolCalls: [] }];
    const { events, result } = await collect({
      members: [seat('alpha', alpha), seat('beta', beta), seat('gamma', gamma)],
      system: 'be exact',
      history,
      prompt: 'What is the capital of France?',
    });

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('council_start');
    expect(types.at(-1)).toBe('council_done');
    const lastMemberEvent = Math.max(...['member_done', 'member_delta'].map((t) => types.lastIndexOf(t as CouncilEvent['type'])));
    expect(types.indexOf('synthesis_start')).toBeGreaterThan(lastMemberEvent);
    expect(types.filter((t) => t === 'member_done')).toHaveLength(3);
    // The fast member finished while the slow one was still streaming: they ran at once.
    const doneOrder = events.filter((e) => e.type === 'member_done').map((e) => (e as { member: string }).member);
    expect(doneOrder[0]).toBe('alpha');
    expect(doneOrder.at(-1)).toBe('beta');
    expect(deltasOf(events, 'beta')).toBe('It is Paris.');
    expect(events.filter((e) => e.type === 'synthesis_delta').map((e) => (e as { delta: string }).delta).join('')).toBe('Final: Paris.');

    expect(result).toMatchObject({ status: 'complete', missing: [], chair: 'alpha', synthesis: 'Final: Paris.' });
    expect(result.chairReplaced).toBeUndefined();
    expect(result.usage.total.outputTokens).toBe(3 + 3 + 2 + 2);
    expect(result.usage.members.beta).toEqual({ inputTokens: 12, outputTokens: 3 });

    for (const server of [alpha, beta, gamma]) {
      const member = server.requests.find((r) => !isSynthesis(r))!;
      expect(member.json.tools).toBeUndefined();
      expect(member.json.messages[0]).toEqual({ role: 'system', content: 'be exact' });
      expect(member.json.messages.map((m: { content: string }) => m.content)).toContain('earlier answer');
    }
    const synthesis = alpha.requests.find(isSynthesis)!;
    for (const answer of ['Paris is the capital.', 'It is Paris.', 'Paris, France.']) expect(lastUser(synthesis)).toContain(answer);
    expect(lastUser(synthesis)).toContain('What is the capital of France?');
  });

  it('a member failing mid-stream and a failing chair give a partial result that says so', async () => {
    const alpha = await fake({ answer: text(['A1']), synthesis: serverError });
    const beta = await fake({ answer: text(['B1']), synthesis: text(['Synth ', 'by beta']) });
    const gamma = await fake({ answer: dropsAfter(['half ', 'an ']) });
    const { events, result } = await collect({ members: [seat('alpha', alpha), seat('beta', beta), seat('gamma', gamma)], prompt: 'q' });

    const failed = events.find((e) => e.type === 'member_error');
    expect(failed).toMatchObject({ member: 'gamma', text: 'half an ', error: { kind: 'network' } });
    const chairError = events.find((e) => e.type === 'synthesis_error');
    expect(chairError).toMatchObject({ chair: 'alpha', error: { status: 500 } });
    expect((chairError as { error: { message: string } }).error.message).toContain('chair exploded');
    expect(events.filter((e) => e.type === 'synthesis_start')).toEqual([
      { type: 'synthesis_start', chair: 'alpha' },
      { type: 'synthesis_start', chair: 'beta', replaces: 'alpha' },
    ]);
    expect(result).toMatchObject({ status: 'partial', missing: ['gamma'], chair: 'beta', synthesis: 'Synth by beta', chairReplaced: { from: 'alpha', to: 'beta' } });
    expect(result.reason).toContain('no answer from gamma');
    expect(lastUser(beta.requests.find(isSynthesis)!)).toContain('Not answered (failed): gamma');
    expect(lastUser(beta.requests.find(isSynthesis)!)).not.toContain('half an');
  });

  it('fails without a synthesis below the quorum, and a chair that did not answer is replaced before it is asked', async () => {
    const alpha = await fake({ answer: serverError });
    const beta = await fake({ answer: text(['B1']), synthesis: text(['S']) });
    const gamma = await fake({ answer: text(['C1']) });
    const below = await collect({ members: [seat('alpha', alpha), seat('beta', beta), seat('gamma', gamma)], prompt: 'q', quorum: 3 });
    expect(below.result).toMatchObject({ status: 'failed', missing: ['alpha'] });
    expect(below.result.reason).toContain('2 of 3 members answered (quorum 3)');
    expect(below.events.some((e) => e.type === 'synthesis_start')).toBe(false);

    const replaced = await collect({ members: [seat('alpha', alpha), seat('beta', beta), seat('gamma', gamma)], prompt: 'q' });
    expect(replaced.result).toMatchObject({ status: 'partial', chair: 'beta', chairReplaced: { from: 'alpha', to: 'beta' } });
    expect(alpha.requests.some(isSynthesis)).toBe(false);
  });

  it('raw mode stops after the answers', async () => {
    const alpha = await fake({ answer: text(['A']) });
    const beta = await fake({ answer: text(['B']) });
    const { events, result } = await collect({ members: [seat('alpha', alpha), seat('beta', beta)], prompt: 'q', mode: 'raw' });
    expect(result.status).toBe('complete');
    expect(result.synthesis).toBeUndefined();
    expect(events.some((e) => e.type === 'synthesis_start')).toBe(false);
  });

  it('review: anonymised answers, parsed rankings de-anonymised, an unparseable one reported', async () => {
    const alpha = await fake({ answer: text(['alpha says']), review: text(['B is better.\n\nFINAL RANKING:\n1. Response B\n2. Response A']), synthesis: text(['done']) });
    const beta = await fake({ answer: text(['beta says']), review: text(['I liked them both.']) });
    const { events, result } = await collect({ members: [seat('alpha', alpha), seat('beta', beta)], prompt: 'q', review: true });
    const reviewRequest = lastUser(alpha.requests.find(isReview)!);
    expect(reviewRequest).toContain('Response A:\nalpha says');
    expect(reviewRequest).not.toContain('beta:');
    expect(events.filter((e) => e.type === 'review_done')).toHaveLength(2);
    expect(result.reviews.find((r) => r.reviewer === 'alpha')).toMatchObject({ ranking: ['beta', 'alpha'] });
    expect(result.reviews.find((r) => r.reviewer === 'beta')).toMatchObject({ unparseable: true });
    expect(lastUser(alpha.requests.find(isSynthesis)!)).toContain('- alpha: beta > alpha');
    expect(result.status).toBe('complete');
  });

  it('an interrupt aborts every member request at once: each server sees its connection close', async () => {
    const fakes = await Promise.all([0, 1, 2].map((i) => fake({ answer: hangsAfter([`member ${i} `]) })));
    const controller = new AbortController();
    const events: CouncilEvent[] = [];
    const deltas = new Set<string>();
    const running = (async () => {
      for await (const event of runCouncil({ members: fakes.map((s, i) => seat(`m${i}`, s)), prompt: 'q' }, controller.signal)) {
        events.push(event);
        if (event.type === 'member_delta') deltas.add(event.member);
        if (deltas.size === 3 && !controller.signal.aborted) controller.abort();
      }
    })();
    await running;
    const closed = await Promise.all(fakes.map((s) => s.requests[0]!.closed));
    expect(closed).toHaveLength(3);
    const result = (events.at(-1) as { result: CouncilResult }).result;
    expect(result.status).toBe('interrupted');
    expect(result.members.map((m) => [m.state, m.text])).toEqual([0, 1, 2].map((i) => ['interrupted', `member ${i} `]));
    expect(events.some((e) => e.type === 'synthesis_start')).toBe(false);
  });
});

