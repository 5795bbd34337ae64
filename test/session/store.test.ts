// The session store against real temporary folders: what reaches the disk, what survives
// damage, and how sessions are found again.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionError, SessionStore, sessionsDir, TOOL_NOT_FINISHED, type Session } from '../../src/agent/session/index.js';
import type { AssistantMessage, ChatMessage } from '../../src/agent/types.js';

let home: string;
let store: SessionStore;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-sessions-'));
  store = new SessionStore(sessionsDir(home));
});
afterEach(() => {
  vi.useRealTimers();
  fs.rmSync(home, { recursive: true, force: true });
});

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string, extra: Partial<AssistantMessage> = {}): AssistantMessage => ({
  role: 'assistant',
  content,
  reasoning: '',
  reasoningBlocks: [],
  toolCalls: [],
  ...extra,
});
const lines = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
const records = (file: string): any[] => lines(file).map((line) => JSON.parse(line));

function newSession(options: { cwd?: string; secrets?: string[] } = {}): Session {
  return store.createSession({ cwd: options.cwd ?? '/work/project', model: 'gpt-test', provider: 'openai', secrets: options.secrets });
}

/** Sets when a session was last used (its file's modification time). */
function usedAt(file: string, iso: string): void {
  fs.utimesSync(file, new Date(iso), new Date(iso));
}

/** Fixes the clock so sessions get distinct, known start times. */
function at(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

describe('writing a session', () => {
  it('creates nothing until the first message, then a header line followed by one line per message', () => {
    const session = newSession();
    expect(session.id).toMatch(/^[0-9a-z]{8}$/);
    expect(session.stored).toBe(false);
    expect(fs.existsSync(sessionsDir(home))).toBe(false);

    at('2026-11-23T19:45:12.345Z');
    session.recorder(user('hello'));
    session.recorder(assistant('hi there', { reasoning: 'think', reasoningBlocks: [{ text: 'think', signature: 'sig' }], stopReason: 'stop' }));

    expect(path.basename(session.file)).toBe(`2026-11-23T19-45-12.345Z_${session.id}.jsonl`);
    const [header, first, second, ...rest] = records(session.file);
    expect(header).toEqual({
      type: 'session',
      version: 1,
      id: session.id,
      startedAt: '2026-11-23T19:45:12.345Z',
      cwd: '/work/project',
      model: 'gpt-test',
      provider: 'openai',
    });
    expect(first).toMatchObject({ type: 'message', message: { role: 'user', content: 'hello' } });
    expect(second.message).toMatchObject({ role: 'assistant', content: 'hi there', reasoningBlocks: [{ text: 'think', signature: 'sig' }] });
    expect(rest).toEqual([]);
    if (process.platform !== 'win32') expect(fs.statSync(session.file).mode & 0o777).toBe(0o600);
  });

  it('loads back exactly the messages written', () => {
    const session = newSession();
    const messages: ChatMessage[] = [
      user('add 1 and 2'),
      assistant('', { toolCalls: [{ id: 'c1', name: 'add', arguments: '{"a":1,"b":2}' }], stopReason: 'tool_calls' }),
      { role: 'tool', toolCallId: 'c1', name: 'add', content: '3' },
      assistant('It is 3.\nLine two with "quotes" and \u2028 separators', { stopReason: 'stop' }),
    ];
    for (const message of messages) session.append(message);

    const loaded = store.loadSession(session.id);
    expect(loaded.messages).toEqual(messages);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.header.id).toBe(session.id);
  });

  it('records a model switch before the first message in the header, and after it as a meta record', () => {
    const session = newSession();
    session.switchModel('claude-x', 'anthropic');
    session.append(user('one'));
    session.switchModel('claude-x', 'anthropic'); // unchanged: nothing written
    session.switchModel('gpt-y', 'openai');
    session.append(user('two'));

    const [header, , meta] = records(session.file);
    expect(header).toMatchObject({ model: 'claude-x', provider: 'anthropic' });
    expect(meta).toMatchObject({ type: 'meta', model: 'gpt-y', provider: 'openai' });
    expect(lines(session.file)).toHaveLength(4);
    const loaded = store.loadSession(session.id);
    expect(loaded).toMatchObject({ model: 'gpt-y', provider: 'openai' });
    expect(loaded.messages).toEqual([user('one'), user('two')]);
  });

  it('keeps secrets out of the file: a known key in a user message and in an error, and pasted key shapes', () => {
    const secret = 'my-configured-api-key-0123456789';
    const pasted = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123';
    const session = newSession({ secrets: [secret] });
    session.append(user(`my key is ${secret} and also ${pasted}`));
    session.append(assistant('partial', { error: `401 from server: invalid key ${secret}` }));
    session.append({ role: 'tool', toolCallId: 'c', name: 'run_shell', content: `Authorization: Bearer ${secret}` });

    const text = fs.readFileSync(session.file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(pasted);
    expect(text).not.toContain('AbCdEfGhIjKlMnOp');
    const loaded = store.loadSession(session.id).messages;
    expect(loaded[0]).toEqual(user('my key is [redacted] and also [redacted]'));
    expect(loaded[1]).toMatchObject({ error: '401 from server: invalid key [redacted]' });
  });

  it('stores an interrupted partial answer and loads it back marked interrupted', () => {
    const session = newSession();
    session.append(user('tell me a long story'));
    session.append(assistant('Once upon a ti', { interrupted: true }));
    const loaded = store.loadSession(session.id);
    expect(loaded.messages[1]).toEqual(assistant('Once upon a ti', { interrupted: true }));
  });

  it('reports a failed write once, never throws from the recorder, and writes everything again when it can', () => {
    const blocked = path.join(home, 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the sessions folder should be');
    const errors: string[] = [];
    const session = new SessionStore(blocked).createSession({ cwd: home, model: 'm', provider: 'openai', onError: (m) => errors.push(m) });

    expect(() => session.recorder(user('one'))).not.toThrow();
    expect(session.append(user('two'))).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^could not save the conversation to .*not-a-folder.*: E[A-Z]+$/);
    expect(session.error).toMatch(/^could not save the conversation/);

    fs.rmSync(blocked);
    expect(session.append(user('three'))).toBe(true);
    expect(session.error).toBeUndefined();
    // What could not be saved went out with the next write.
    expect(new SessionStore(blocked).loadSession(session.id).messages).toEqual([user('one'), user('two'), user('three')]);
  });
});

describe('continuing a session', () => {
  it('appends to the same file after the old lines, which stay byte for byte', () => {
    const first = newSession();
    first.append(user('first'));
    first.append(assistant('answer one'));
    const before = fs.readFileSync(first.file);

    const resumed = store.resumeSession(first.id);
    expect(resumed.messages).toEqual([user('first'), assistant('answer one')]);
    expect(resumed.session.file).toBe(first.file);
    expect(resumed.session.id).toBe(first.id);
    resumed.session.recorder(user('second'));
    resumed.session.recorder(assistant('answer two'));

    const after = fs.readFileSync(first.file);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(fs.readdirSync(sessionsDir(home)).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
    expect(store.loadSession(first.id).messages.map((m) => m.content)).toEqual(['first', 'answer one', 'second', 'answer two']);
  });

  it('resumes by full id and by unique prefix, case-insensitively', () => {
    const session = newSession();
    session.append(user('x'));
    expect(store.loadSession(session.id).id).toBe(session.id);
    expect(store.resumeSession(session.id.slice(0, 3).toUpperCase()).id).toBe(session.id);
  });

  it('says clearly when no session matches, and lists the candidates when a prefix is ambiguous', () => {
    const ids: string[] = [];
    let shared: string | undefined;
    // 37 ids over 36 first characters: two must share one.
    for (let i = 0; i < 37 && shared === undefined; i++) {
      const session = store.createSession({ cwd: home, model: 'm', provider: 'openai', fsync: false });
      session.append(user(`prompt ${i}`));
      shared = ids.find((id) => id[0] === session.id[0]);
      ids.push(session.id);
    }
    const prefix = shared![0]!;
    const candidates = ids.filter((id) => id.startsWith(prefix));

    expect(() => store.loadSession('zzzzzzzzz')).toThrow(new SessionError("no session matches 'zzzzzzzzz'"));
    let message = '';
    try {
      store.loadSession(prefix);
    } catch (err) {
      expect(err).toBeInstanceOf(SessionError);
      message = (err as Error).message;
    }
    expect(message).toContain(`'${prefix}' matches ${candidates.length} sessions`);
    for (const id of candidates) expect(message).toContain(id);
  });

  it('says there is no session when the folder does not exist yet', () => {
    expect(() => store.loadSession('abc')).toThrow("no session matches 'abc'");
    expect(store.listSessions()).toEqual([]);
    expect(store.latestSessionFor(home)).toBeUndefined();
    expect(store.continueLatest(home)).toBeUndefined();
  });
});

describe('damaged files', () => {
  function storedSession(): Session {
    const session = newSession();
    session.append(user('question'));
    session.append(assistant('complete answer'));
    session.append(user('second question'));
    session.append(assistant('a second answer that power loss cut short'));
    return session;
  }

  it('skips a torn last line (a real file cut mid-line) with a warning and leaves the file untouched', () => {
    const session = storedSession();
    const size = fs.statSync(session.file).size;
    fs.truncateSync(session.file, size - 25);
    const before = fs.readFileSync(session.file);

    const loaded = store.loadSession(session.id);
    expect(loaded.messages.map((m) => m.content)).toEqual(['question', 'complete answer', 'second question']);
    expect(loaded.warnings).toEqual([`session ${session.id}: the last line is incomplete (hermes probably stopped while writing it); skipped it`]);
    expect(fs.readFileSync(session.file).equals(before)).toBe(true);
    expect(store.listSessions()[0]!.messageCount).toBe(3);
  });

  it('after a torn last line, continuing starts a new line and never rewrites the old bytes', () => {
    const session = storedSession();
    fs.truncateSync(session.file, fs.statSync(session.file).size - 25);
    const before = fs.readFileSync(session.file);

    const resumed = store.resumeSession(session.id);
    expect(fs.readFileSync(session.file).equals(before)).toBe(true); // resuming alone writes nothing
    resumed.session.append(user('third question'));

    expect(fs.readFileSync(session.file).subarray(0, before.length).equals(before)).toBe(true);
    const reloaded = store.loadSession(session.id);
    expect(reloaded.messages.map((m) => m.content)).toEqual(['question', 'complete answer', 'second question', 'third question']);
    // Reported when it was resumed; a repaired record says so, and later loads are quiet about it.
    expect(reloaded.warnings).toEqual([]);
    const repaired = lines(session.file).filter((line) => line.startsWith('{"type":"repaired"'));
    expect(repaired.map((line) => JSON.parse(line).lines)).toEqual([[5]]);
  });

  it('reports damage once: a later resume names only damage that is new', () => {
    const session = storedSession();
    const text = fs.readFileSync(session.file, 'utf8').split('\n');
    text[2] = 'garbage';
    fs.writeFileSync(session.file, text.join('\n'));

    const first = store.resumeSession(session.id);
    expect(first.warnings).toEqual([`session ${session.id}: line 3 is damaged (not valid JSON); skipped it`]);
    first.session.append(user('after the damage'));
    first.session.close();
    expect(store.resumeSession(session.id).warnings).toEqual([]);

    fs.appendFileSync(session.file, 'more garbage\n');
    const third = store.resumeSession(session.id);
    expect(third.warnings).toEqual([`session ${session.id}: line 8 is damaged (not valid JSON); skipped it`]);
    // Loading alone (--no-session) records nothing: the new damage is still news.
    expect(store.loadSession(session.id).warnings).toHaveLength(1);
  });

  it('skips a damaged line in the middle with a warning naming the line', () => {
    const session = storedSession();
    const text = fs.readFileSync(session.file, 'utf8').split('\n');
    text[2] = text[2]!.slice(0, 30) + '\u0000garbage';
    fs.writeFileSync(session.file, text.join('\n'));
    const before = fs.readFileSync(session.file);

    const loaded = store.loadSession(session.id);
    expect(loaded.messages.map((m) => m.content)).toEqual(['question', 'second question', 'a second answer that power loss cut short']);
    expect(loaded.warnings).toEqual([`session ${session.id}: line 3 is damaged (not valid JSON); skipped it`]);
    expect(fs.readFileSync(session.file).equals(before)).toBe(true);
  });

  it('skips valid JSON that is not a message record, and ignores record types from later versions', () => {
    const session = storedSession();
    fs.appendFileSync(session.file, '{"type":"message","message":{"role":"robot"}}\n{"type":"bookmark","at":"x"}\n');
    const loaded = store.loadSession(session.id);
    expect(loaded.messages).toHaveLength(4);
    expect(loaded.warnings).toEqual([`session ${session.id}: line 6 is damaged (not a session record); skipped it`]);
  });

  it('loads a file without a header with a warning, and lists it with what its name tells', () => {
    const session = storedSession();
    const text = fs.readFileSync(session.file, 'utf8');
    fs.writeFileSync(session.file, text.slice(text.indexOf('\n') + 1));
    const loaded = store.loadSession(session.id);
    expect(loaded.messages).toHaveLength(4);
    expect(loaded.warnings).toEqual([`session ${session.id}: its first line is not a session header (a write probably failed there); its folder and model are unknown`]);
    expect(loaded.header).toMatchObject({ id: session.id, startedAt: session.header!.startedAt, cwd: '' });
    expect(store.listSessions().map((s) => [s.id, s.messageCount])).toEqual([[session.id, 4]]);
  });
});

describe('tool calls a crash left without results', () => {
  const calls = [
    { id: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' },
    { id: 'call_2', name: 'run_shell', arguments: '{"command":"make"}' },
  ];

  function crashedMidTool(): Session {
    const session = newSession();
    session.append(user('build it'));
    session.append(assistant('', { toolCalls: calls, stopReason: 'tool_calls' }));
    session.append({ role: 'tool', toolCallId: 'call_1', name: 'read_file', content: 'contents' });
    return session; // hermes died while run_shell was running
  }

  it('loading answers the open call as interrupted in memory only', () => {
    const session = crashedMidTool();
    const before = fs.readFileSync(session.file);
    const loaded = store.loadSession(session.id);
    expect(loaded.messages.at(-1)).toEqual({ role: 'tool', toolCallId: 'call_2', name: 'run_shell', content: TOOL_NOT_FINISHED, isError: true });
    expect(loaded.repairs).toHaveLength(1);
    expect(loaded.warnings).toEqual([`session ${session.id}: a tool call in the last answer never finished; marked as interrupted`]);
    expect(fs.readFileSync(session.file).equals(before)).toBe(true);
  });

  it('resuming appends the repair to the file, after which the history loads clean', () => {
    const session = crashedMidTool();
    const before = fs.readFileSync(session.file);
    const resumed = store.resumeSession(session.id);

    const after = fs.readFileSync(session.file);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(records(session.file).at(-1)).toMatchObject({ type: 'message', message: { role: 'tool', toolCallId: 'call_2', isError: true } });
    const reloaded = store.loadSession(session.id);
    expect(reloaded.warnings).toEqual([]);
    expect(reloaded.messages).toEqual(resumed.messages);
  });

  it('pairs calls and results again when a damaged line broke them up in the middle', () => {
    const session = newSession();
    session.append(user('q'));
    session.append(assistant('', { toolCalls: [calls[0]!] }));
    session.append({ role: 'tool', toolCallId: 'call_1', name: 'read_file', content: 'lost to damage' });
    session.append(assistant('answer'));
    session.append({ role: 'tool', toolCallId: 'stray', name: 'x', content: 'no call made this' });
    const text = fs.readFileSync(session.file, 'utf8').split('\n');
    text[3] = '{"type":"mess';
    fs.writeFileSync(session.file, text.join('\n'));

    const loaded = store.loadSession(session.id);
    expect(loaded.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(loaded.messages[2]).toMatchObject({ toolCallId: 'call_1', content: TOOL_NOT_FINISHED });
    expect(loaded.repairs).toEqual([]);
    expect(loaded.warnings).toHaveLength(2);
    expect(loaded.warnings[1]).toContain('1 call(s) marked as interrupted, 1 stray result(s) left out');
  });
});

describe('listing sessions', () => {
  function sessionAt(iso: string, cwd: string, prompts: string[]): Session {
    at(iso);
    const session = newSession({ cwd });
    for (const prompt of prompts) {
      session.append(user(prompt));
      session.append(assistant(`answer to ${prompt}`));
    }
    return session;
  }

  it('lists newest first with the first prompt on one line, the message count and the folder', () => {
    const a = sessionAt('2026-01-01T10:00:00.000Z', '/p/one', ['first\n  prompt\twith   spaces']);
    const b = sessionAt('2026-01-02T10:00:00.000Z', '/p/two', ['x'.repeat(200), 'more', 'and more']);
    const c = sessionAt('2026-01-03T10:00:00.000Z', '/p/one', ['\u001b[31mred\u001b[0m prompt']);
    fs.writeFileSync(path.join(sessionsDir(home), 'notes.txt'), 'not a session');

    const list = store.listSessions();
    expect(list.map((s) => s.id)).toEqual([c.id, b.id, a.id]);
    expect(list[2]).toMatchObject({ startedAt: '2026-01-01T10:00:00.000Z', cwd: '/p/one', firstPrompt: 'first prompt with spaces', messageCount: 2, file: a.file, model: 'gpt-test', provider: 'openai' });
    expect(list[1]!.firstPrompt).toBe(`${'x'.repeat(79)}…`);
    expect(list[1]!.messageCount).toBe(6);
    expect(list[0]!.firstPrompt).toBe('red prompt');
    expect(store.listSessions({ limit: 2 }).map((s) => s.id)).toEqual([c.id, b.id]);
  });

  it('counts messages in a large file correctly across read boundaries', () => {
    at('2026-01-01T10:00:00.000Z');
    const session = newSession();
    session.append(user('start'));
    // Big tool outputs put line starts at arbitrary offsets relative to the 64 KiB reads.
    for (let i = 0; i < 40; i++) session.append({ role: 'tool', toolCallId: `c${i}`, name: 'read_file', content: 'y'.repeat(7_001 * (i + 1)) });
    expect(store.listSessions()[0]).toMatchObject({ messageCount: 41, firstPrompt: 'start' });
  });

  it('finds the session last used in a working folder: a continued older one beats a newer one', () => {
    const older = sessionAt('2026-01-01T10:00:00.000Z', '/p/one', ['old']);
    const newer = sessionAt('2026-01-02T10:00:00.000Z', '/p/one', ['new']);
    const elsewhere = sessionAt('2026-01-03T10:00:00.000Z', '/p/two', ['elsewhere']);
    usedAt(older.file, '2026-01-01T10:00:00.000Z');
    usedAt(newer.file, '2026-01-02T10:00:00.000Z');
    usedAt(elsewhere.file, '2026-01-03T10:00:00.000Z');
    expect(store.latestSessionFor('/p/one')?.id).toBe(newer.id);

    store.resumeSession(older.id).session.append(user('continued'));
    usedAt(older.file, '2026-01-04T10:00:00.000Z');
    expect(store.latestSessionFor('/p/one')?.id).toBe(older.id);
    expect(store.latestSessionFor('/p/one/../one/')?.id).toBe(older.id);
    expect(store.latestSessionFor('/p/three')).toBeUndefined();
    const continued = store.continueLatest('/p/one');
    expect(continued?.session.file).toBe(older.file);
    expect(continued?.messages.map((m) => m.content)).toEqual(['old', 'answer to old', 'continued']);
    expect(store.listSessions().map((s) => [s.id, s.updatedAt])).toEqual([
      [older.id, '2026-01-04T10:00:00.000Z'],
      [elsewhere.id, '2026-01-03T10:00:00.000Z'],
      [newer.id, '2026-01-02T10:00:00.000Z'],
    ]);
  });
});
