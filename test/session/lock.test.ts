// The one-writer lock on a session file, against real files. Another live process is this
// test's parent (process.ppid); a dead one is a child that has exited.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockFileFor, tryLock } from '../../src/agent/session/lock.js';
import { openSession } from '../../src/agent/session/open.js';
import { SessionStore, sessionsDir } from '../../src/agent/session/index.js';
import { ChatSessions } from '../../src/tui/chat-sessions.js';

let home: string;
let file: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-lock-'));
  file = path.join(home, '2026-11-23T10-00-00.000Z_abcd1234.jsonl');
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const deadPid = (): number => spawnSync('true').pid!;
const holdAs = (pid: number | string): void => fs.writeFileSync(lockFileFor(file), `${pid}\n`);

describe('the session lock', () => {
  it('is a file next to the session holding our pid, removed on release (shared within this process)', () => {
    const first = tryLock(file);
    expect('lock' in first).toBe(true);
    expect(fs.readFileSync(lockFileFor(file), 'utf8')).toBe(`${process.pid}\n`);
    const again = tryLock(file);
    expect('lock' in again).toBe(true);
    if ('lock' in first) first.lock.release();
    expect(fs.existsSync(lockFileFor(file))).toBe(true);
    if ('lock' in again) again.lock.release();
    expect(fs.existsSync(lockFileFor(file))).toBe(false);
  });

  it('names the live process that holds it', () => {
    holdAs(process.ppid);
    expect(tryLock(file)).toEqual({ holder: process.ppid });
    expect(fs.readFileSync(lockFileFor(file), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('takes over a lock whose process is gone', () => {
    holdAs(deadPid());
    const attempt = tryLock(file);
    expect('lock' in attempt).toBe(true);
    expect(fs.readFileSync(lockFileFor(file), 'utf8')).toBe(`${process.pid}\n`);
    if ('lock' in attempt) attempt.lock.release();
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it('leaves a lock without a pid alone while it is new, and takes it over once it is old', () => {
    holdAs('');
    expect(tryLock(file)).toEqual({ holder: 0 });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockFileFor(file), old, old);
    const attempt = tryLock(file);
    expect('lock' in attempt).toBe(true);
    if ('lock' in attempt) attempt.lock.release();
  });

  it('waits for the holder to finish, and gives up after the wait', async () => {
    holdAs(process.ppid);
    setTimeout(() => fs.unlinkSync(lockFileFor(file)), 300);
    const waited = await acquireLock(file, 30_000);
    expect('lock' in waited).toBe(true);
    if ('lock' in waited) waited.lock.release();

    holdAs(process.ppid);
    expect(await acquireLock(file, 200)).toEqual({ holder: process.ppid });
  });
});

describe('continuing a session another hermes is writing', () => {
  function stored(): { id: string; file: string } {
    const session = new SessionStore(sessionsDir(home)).createSession({ cwd: home, model: 'm', provider: 'openai' });
    session.append({ role: 'user', content: 'hello' });
    session.close();
    return { id: session.id, file: session.file };
  }
  const open = (choice: { mode: 'continue' } | { mode: 'resume'; id: string }) =>
    openSession({ choice, home, cwd: home, model: 'm', provider: 'openai', secrets: [], onError: () => {}, lockWaitMs: 200 });

  it('starts a new session and says so in one notice', async () => {
    const session = stored();
    fs.writeFileSync(lockFileFor(session.file), `${process.ppid}\n`);
    for (const choice of [{ mode: 'continue' } as const, { mode: 'resume', id: session.id } as const]) {
      const opened = await open(choice);
      expect(opened.messages).toEqual([]);
      expect(opened.session!.id).not.toBe(session.id);
      expect(opened.notices).toEqual([`session ${session.id} is in use by another hermes (pid ${process.ppid}); starting a new session`]);
    }
  });

  it('holds the lock while it continues the file, and releases it on close', async () => {
    const session = stored();
    expect(fs.existsSync(lockFileFor(session.file))).toBe(false);
    const opened = await open({ mode: 'continue' });
    expect(opened.session!.id).toBe(session.id);
    expect(fs.readFileSync(lockFileFor(session.file), 'utf8')).toBe(`${process.pid}\n`);
    opened.session!.close();
    expect(fs.existsSync(lockFileFor(session.file))).toBe(false);
  });
});

describe('/resume in the TUI', () => {
  it('refuses a session another hermes is writing, at once, and moves its lock when switching', () => {
    const chat = new ChatSessions({ home, cwd: home, secrets: [] });
    const store = new SessionStore(sessionsDir(home));
    const busy = store.createSession({ cwd: home, model: 'm', provider: 'openai' });
    busy.append({ role: 'user', content: 'busy' });
    busy.close();
    const free = store.createSession({ cwd: home, model: 'm', provider: 'openai' });
    free.append({ role: 'user', content: 'free' });
    free.close();
    fs.writeFileSync(lockFileFor(busy.file), `${process.ppid}\n`);

    expect(() => chat.resume(busy.id, 'm', 'openai')).toThrow(`session ${busy.id} is in use by another hermes (pid ${process.ppid}); try again once it is done`);
    expect(chat.resume(free.id, 'm', 'openai').messages).toEqual([{ role: 'user', content: 'free' }]);
    expect(fs.existsSync(lockFileFor(free.file))).toBe(true);
    chat.startNew('m', 'openai');
    expect(fs.existsSync(lockFileFor(free.file))).toBe(false);
  });
});
