// /council in the chat, in a real 80x24 terminal (tmux) with five members of different speeds
// behind five loopback servers: the roster is live while they answer (one row per member, the
// screen never scrolls away), each answer lands in the scrollback as one block under its name,
// then the synthesis under "synthesis (chair: m1)"; the session keeps the council turn.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackServer, type RecordedRequest } from '../support/loopback.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { eventually } from './processes.js';
import { TmuxServer, hasTmux } from './tmux.js';

const terminals = new TmuxServer('council');
const servers: LoopbackServer[] = [];
const isSynthesis = (req: RecordedRequest): boolean => String(req.json.messages.at(-1).content).includes('As the chair of this council');
const NAMES = ['m1', 'm2', 'm3', 'm4', 'm5'];
const answer = (name: string) => Array.from({ length: 6 }, (_, i) => `${name} line ${i + 1} of its answer.\n`);

describe.skipIf(!hasTmux)('/council in the chat (tmux, 80x24)', () => {
  beforeAll(() => TmuxServer.requireBuild());
  afterAll(async () => {
    await terminals.stop();
    for (const server of servers) await server.close();
  });

  it('shows a live roster, commits each answer as a block, then streams the synthesis', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-council-tui-'));
    const models: Record<string, unknown> = {};
    for (const [i, name] of NAMES.entries()) {
      const server = await startLoopback((_, req) =>
        isSynthesis(req)
          ? { kind: 'stream', chunks: chatTextFrames(['The council ', 'agrees.\n']), delayMs: 20 }
          : { kind: 'stream', chunks: chatTextFrames(answer(name)), delayMs: 60 + 40 * i },
      );
      servers.push(server);
      models[name] = { provider: 'openai', model: `model-${name}`, baseURL: server.baseURL };
    }
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ models }));
    const hermes = await terminals.start('council', { home, columns: 80, rows: 24 });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type(`/council ${NAMES.join(',')}`);
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('every prompt goes to all of them'), 'the council set');
    await hermes.type('what do you think?');
    await hermes.key('Enter');

    // While they answer: one roster row per member, on one screen.
    const live = await hermes.waitForScreen((s) => NAMES.every((name) => new RegExp(`${name} \\d+ tok/s`).test(s)), 'the roster');
    // The prompt is still on the same screen as the five rows: the live region fits.
    expect(live).toContain('what do you think?');
    await hermes.waitForScreen((s) => s.includes('The council agrees.'), 'the synthesis', 20_000);

    const scrollback = await hermes.scrollback(true);
    // Each answer once, as one block under its name, in the order they finished (m1 first).
    let at = 0;
    for (const name of NAMES) {
      const block = [`── ${name}`, ...answer(name).map((line) => line.trimEnd())].join('\n');
      const found = scrollback.indexOf(block);
      expect(found, `${name}'s block`).toBeGreaterThan(at);
      expect(scrollback.indexOf(block, found + 1)).toBe(-1);
      at = found;
    }
    expect(scrollback.indexOf('synthesis (chair: m1)')).toBeGreaterThan(at);
    expect(scrollback).not.toMatch(/tok\/s/);
    // Ink never fell back to clearing the screen and reprinting everything (a live region as tall as the terminal).
    expect(hermes.written()).not.toContain('\x1b[2J');
    expect(hermes.written()).not.toContain('\x1b[3J');

    // The turn is stored once the council has ended, a moment after the synthesis is on screen.
    const stored = await eventually(() => {
      const dir = path.join(home, 'sessions');
      const file = fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).map(String).find((f) => f.endsWith('.jsonl'));
      const records = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];
      return records.length >= 4 && records;
    }, 'the council turn in the session');
    expect(stored.map((r) => (r.type === 'message' ? r.message.role : r.type))).toEqual(['session', 'user', 'council', 'assistant']);
    expect(stored[2].council.members.map((m: { text: string }) => m.text)).toEqual(NAMES.map((name) => answer(name).join('')));
    expect(stored[3].message.content).toBe('The council agrees.\n');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('Esc aborts every member at once: each server sees its connection close', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-council-tui-'));
    const hanging: LoopbackServer[] = [];
    const models: Record<string, unknown> = {};
    for (const name of ['h1', 'h2', 'h3']) {
      const server = await startLoopback([{ kind: 'stream', chunks: chatTextFrames([`${name} begins `]).slice(0, 2), hang: true }]);
      servers.push(server);
      hanging.push(server);
      models[name] = { provider: 'openai', model: `model-${name}`, baseURL: server.baseURL };
    }
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ models }));
    const hermes = await terminals.start('council-esc', { home, columns: 80, rows: 24 });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('/council h1,h2,h3');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('every prompt goes to all of them'), 'the council set');
    await hermes.type('go');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => ['h1', 'h2', 'h3'].every((name) => s.includes(`${name} begins`)), 'every member streaming');
    const pressedAt = performance.now();
    await hermes.key('Escape');
    const closed = await Promise.all(hanging.map((server) => server.requests[0]!.closed));
    for (const at of closed) expect(at).toBeGreaterThan(pressedAt - 1);
    await hermes.waitForScreen((s) => s.includes('interrupted'), 'the interrupt noted');
    fs.rmSync(home, { recursive: true, force: true });
  });
});
