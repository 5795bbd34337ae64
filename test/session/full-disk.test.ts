// A full disk, simulated through the session's injectable file operations (a tmpfs is not
// available here): writes fail with ENOSPC after a given number of bytes, as they do on a
// disk that fills, and succeed again once it is freed. Also files that such a disk left
// behind before this was fixed (no header, a blank or torn first line, 0 bytes), crafted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionStore, sessionsDir } from '../../src/agent/session/index.js';
import { nodeFs, type SessionFs } from '../../src/agent/session/session-fs.js';
import type { ChatMessage } from '../../src/agent/types.js';

let home: string;
let dir: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-full-disk-'));
  dir = sessionsDir(home);
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const user = (content: string): ChatMessage => ({ role: 'user', content });

/** A disk with `room` bytes left (Infinity: not full). A write beyond it stores what fits, then ENOSPC. */
function disk(): SessionFs & { room: number; fsyncFails: boolean } {
  const fake = {
    ...nodeFs,
    room: Infinity,
    fsyncFails: false,
    writeSync(fd: number, data: Buffer, offset: number, length: number): number {
      if (fake.room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = nodeFs.writeSync(fd, data, offset, Math.min(length, fake.room));
      fake.room -= n;
      return n;
    },
    fsyncSync(fd: number): void {
      if (fake.fsyncFails) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      nodeFs.fsyncSync(fd);
    },
  };
  return fake;
}

function newSession(fake: SessionFs, errors: string[] = []) {
  const store = new SessionStore(dir, { fs: fake, onError: (message) => errors.push(message) });
  return { store, session: store.createSession({ cwd: home, model: 'm', provider: 'openai' }) };
}

const entries = (): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('a full disk', () => {
  for (const room of [0, 10, 120]) {
    it(`on the first write (${room} bytes left) leaves no file at all, and once freed the file appears whole with everything`, () => {
      const fake = disk();
      fake.room = room;
      const errors: string[] = [];
      const { store, session } = newSession(fake, errors);

      expect(session.append(user('first question'))).toBe(false);
      expect(session.append(user('second question'))).toBe(false);
      expect(errors).toEqual([expect.stringMatching(/: ENOSPC$/)]);
      // Neither a 0-byte file, nor a file without a header, nor a temporary file.
      expect(entries()).toEqual([]);
      expect(session.stored).toBe(false);

      fake.room = Infinity;
      expect(session.append(user('third question'))).toBe(true);
      // The file and the lock this process holds on it.
      expect(entries()).toEqual([path.basename(session.file), `${path.basename(session.file)}.lock`]);
      const loaded = store.loadSession(session.id);
      expect(loaded.warnings).toEqual([]);
      expect(loaded.header).toMatchObject({ id: session.id, cwd: home, model: 'm' });
      expect(loaded.messages).toEqual([user('first question'), user('second question'), user('third question')]);
    });
  }

  it('mid-append leaves a torn line that loading skips; the unsaved messages follow when space is back', () => {
    const fake = disk();
    const { store, session } = newSession(fake);
    session.append(user('saved'));
    fake.room = 7;
    expect(session.append(user('torn by the full disk'))).toBe(false);
    fake.room = Infinity;
    expect(session.append(user('after'))).toBe(true);

    const loaded = store.resumeSession(session.id);
    expect(loaded.messages).toEqual([user('saved'), user('torn by the full disk'), user('after')]);
    expect(loaded.warnings).toEqual([`session ${session.id}: line 3 is damaged (not valid JSON); skipped it`]);
  });

  it('a failed fsync after a complete write does not store the messages twice', () => {
    const fake = disk();
    const { store, session } = newSession(fake);
    session.append(user('one'));
    fake.fsyncFails = true;
    expect(session.append(user('two'))).toBe(false);
    fake.fsyncFails = false;
    expect(session.append(user('three'))).toBe(true);
    expect(store.loadSession(session.id).messages).toEqual([user('one'), user('two'), user('three')]);
  });
});

describe('files a full disk left without a header', () => {
  const name = '2026-11-23T10-00-00.000Z_abcd1234.jsonl';
  const message = (content: string): string => `${JSON.stringify({ type: 'message', at: '2026-11-23T10:00:01Z', message: user(content) })}\n`;
  const missing = 'session abcd1234: its first line is not a session header (a write probably failed there); its folder and model are unknown';

  function craft(text: string): SessionStore {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
    return new SessionStore(dir);
  }

  it('a blank first line (the header write failed, the next one started a new line): resumed with its messages', () => {
    const store = craft(`\n${message('kept')}${message('also kept')}`);
    const resumed = store.resumeSession('abcd');
    expect(resumed.messages).toEqual([user('kept'), user('also kept')]);
    expect(resumed.warnings).toEqual([missing]);
    expect(resumed.header).toMatchObject({ id: 'abcd1234', startedAt: '2026-11-23T10:00:00.000Z', cwd: '' });
    // Appending goes on after the old bytes.
    resumed.session.append(user('more'));
    expect(store.loadSession('abcd').messages).toEqual([user('kept'), user('also kept'), user('more')]);
    expect(store.listSessions().map((s) => [s.id, s.messageCount, s.firstPrompt])).toEqual([['abcd1234', 3, 'kept']]);
  });

  it('a torn header line: resumed, the torn line skipped', () => {
    const store = craft(`{"type":"session","version":1,"id":"abcd\n${message('kept')}`);
    const resumed = store.resumeSession('abcd');
    expect(resumed.messages).toEqual([user('kept')]);
    expect(resumed.warnings).toEqual([missing, 'session abcd1234: line 1 is damaged (not valid JSON); skipped it']);
  });

  it('0 bytes: resumed as an empty conversation', () => {
    const store = craft('');
    const resumed = store.resumeSession('abcd');
    expect(resumed.messages).toEqual([]);
    expect(resumed.warnings).toEqual([missing]);
    expect(store.listSessions().map((s) => [s.id, s.messageCount])).toEqual([['abcd1234', 0]]);
  });
});
