// Sessions in the TUI: `hermes -c` draws the stored conversation before the prompt, /sessions
// lists, /resume switches (and the next request carries the resumed history), /clear starts a
// new file, and a write failure is one red line. A REAL Agent against a loopback server; the
// session files are real files in a temporary HERMES_HOME.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionStore, sessionsDir } from '../../src/agent/session/index.js';
import { localTime } from '../../src/agent/session/listing.js';
import type { AssistantMessage, ChatMessage } from '../../src/agent/types.js';
import type { Step } from '../support/loopback.js';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { requestMessages, sleep, startApp, stopAll, tempDir, waitFor } from './harness.js';

let work: { dir: string; remove(): void };
let home: string;

beforeEach(() => {
  work = tempDir('hermes-tui-sessions-');
  home = path.join(work.dir, 'hermes-home');
  fs.mkdirSync(path.join(work.dir, 'project'));
});
afterEach(async () => {
  await stopAll();
  work.remove();
});

const answer = (text: string): Step => ({ kind: 'stream', chunks: [chatTextSse([text])] });

const assistant = (content: string, extra: Partial<AssistantMessage> = {}): AssistantMessage => ({
  role: 'assistant',
  content,
  reasoning: '',
  reasoningBlocks: [],
  toolCalls: [],
  ...extra,
});

const EARLIER: ChatMessage[] = [
  { role: 'user', content: 'what is in a.txt?' },
  assistant('Let me **look**.', { toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.txt"}' }], stopReason: 'tool_calls' }),
  { role: 'tool', toolCallId: 'c1', name: 'read_file', content: 'one\ntwo\nthree' },
  assistant('It has three lines.', { stopReason: 'stop' }),
  { role: 'user', content: 'and then?' },
  assistant('Partial', { interrupted: true }),
];

/** What the redrawn conversation looks like (no colour). */
const EARLIER_LINES = ['› what is in a.txt?', '', 'Let me look.', '✓ read_file a.txt — 3 lines', 'It has three lines.', '', '› and then?', '', 'Partial', '⏹ interrupted'];

/** A stored conversation, as an earlier hermes left it. */
function seed(messages: ChatMessage[], cwd = path.join(work.dir, 'project')): { id: string; file: string } {
  const store = new SessionStore(sessionsDir(home), { fsync: false });
  const session = store.createSession({ cwd, model: 'gpt-4o', provider: 'openai' });
  for (const message of messages) session.append(message);
  return { id: session.id, file: session.file };
}

/** The records of a session file; a damaged line is left out (as loading does). */
function records(file: string): any[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

function sessionFiles(): string[] {
  const dir = sessionsDir(home);
  // Session files only: a session this process has open also has its .lock beside it.
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.jsonl')).map((name) => path.join(dir, name)) : [];
}

/** The index of `lines` as a run inside `all`, or -1. */
function indexOfRun(all: string[], lines: string[]): number {
  for (let i = 0; i + lines.length <= all.length; i++) if (lines.every((line, j) => all[i + j] === line)) return i;
  return -1;
}

describe('sessions in the TUI', () => {
  it('hermes -c draws the stored conversation (and a damaged last line as a dim warning) before the prompt; the next request carries it', async () => {
    const cwd = path.join(work.dir, 'project');
    const { file } = seed(EARLIER, cwd);
    fs.appendFileSync(file, '{"type":"message","at":"2026-'); // torn by a crash
    const app = await startApp({ cwd, home, session: { mode: 'continue' }, color: true, script: [answer('Going on.')] });

    // in the first frame, before anything is typed
    const first = app.plain();
    expect(indexOfRun(first, EARLIER_LINES)).toBeGreaterThan(0);
    // the answer is rendered as markdown, the warning is dim
    expect(app.committed()).toContain('Let me \x1b[1mlook\x1b[22m.');
    expect(app.committed().at(-1)).toMatch(/^\x1b\[2msession \w+: the last line is incomplete .*skipped it\x1b\[22m$/);
    expect(app.frame()).toContain('› ask anything');

    await app.type('go on', '\r');
    await app.idle();
    expect(requestMessages(app.server, 1)).toEqual([
      ['user', 'what is in a.txt?'],
      ['assistant', 'Let me **look**.'],
      ['tool', 'one\ntwo\nthree'],
      ['assistant', 'It has three lines.'],
      ['user', 'and then?'],
      ['assistant', 'Partial'],
      ['user', 'go on'],
    ]);
    // the same file goes on
    expect(sessionFiles()).toEqual([file]);
    const messages = records(file).filter((r) => r.type === 'message').map((r) => r.message.content);
    expect(messages.slice(-2)).toEqual(['go on', 'Going on.']);
  });

  it('/sessions lists recent conversations, last used first: id, time of last use, folder, message count and first prompt', async () => {
    const cwd = path.join(work.dir, 'project');
    const older = seed(EARLIER, cwd);
    await sleep(5); // file names sort by start time, to the millisecond
    const other = seed([{ role: 'user', content: 'elsewhere   question\nwith two lines' }, assistant('ok')], path.join(work.dir, 'other'));
    const app = await startApp({ cwd, home, script: [answer('Hi.')] });
    await app.type('/sessions', '\r');
    const lines = app.committed();
    const at = lines.indexOf('recent sessions, last used first (/resume ID continues one):');
    expect(at).toBeGreaterThan(0);
    // last used first
    expect(lines[at + 1]).toMatch(new RegExp(`^  ${other.id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  .*other +2 messages  elsewhere question with two lines$`));
    expect(lines[at + 2]).toMatch(new RegExp(`^  ${older.id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  .*project +6 messages  what is in a\\.txt\\?$`));
    expect(lines).toHaveLength(at + 3);

    // continuing the older one makes it the last used (the time shown is that of its last write)
    const later = new Date(Date.now() + 3_600_000);
    fs.utimesSync(older.file, later, later);
    await app.type('/sessions', '\r');
    const again = app.committed();
    const second = again.lastIndexOf('recent sessions, last used first (/resume ID continues one):');
    expect(again[second + 1]).toContain(`  ${older.id}  ${localTime(later.toISOString())}  `);
    expect(again[second + 2]).toContain(other.id);

    // once this chat is stored it is listed too, marked
    await app.type('hello', '\r');
    await app.idle();
    await app.type('/sessions', '\r');
    const current = app.session.committed().filter((line) => line.endsWith('(this chat)'));
    expect(current).toHaveLength(1);
    expect(current[0]).toMatch(/ 2 messages  hello \(this chat\)$/);
  });

  it('/resume redraws the conversation below a rule, never clearing the screen, and the next request carries its history', async () => {
    const cwd = path.join(work.dir, 'project');
    const stored = seed(EARLIER, cwd);
    const app = await startApp({ cwd, home, color: true, script: [answer('Hi.'), answer('Resumed answer.')] });
    await app.type('hello', '\r');
    await app.idle();
    const [first] = sessionFiles().filter((f) => f !== stored.file);
    const framesBefore = app.app.frames.length;

    await app.type(`/resume ${stored.id.slice(0, 5)}`, '\r');
    await waitFor(() => app.plain().some((line) => line.startsWith('──── resumed session')), 'the resumed conversation');
    const lines = app.plain();
    const rule = lines.findIndex((line) => line.startsWith('──── resumed session'));
    expect(lines[rule]).toMatch(new RegExp(`^──── resumed session ${stored.id} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d · .*project · 6 messages ────$`));
    expect(rule).toBeGreaterThan(lines.indexOf('Hi.'));
    expect(indexOfRun(lines, EARLIER_LINES)).toBeGreaterThan(rule);
    for (const f of app.app.frames.slice(framesBefore)) {
      expect(f).not.toContain('\x1b[2J');
      expect(f).not.toContain('\x1b[3J');
    }

    await app.type('next', '\r');
    await app.idle();
    expect(requestMessages(app.server, 2).map(([, content]) => content)).toEqual([
      'what is in a.txt?',
      'Let me **look**.',
      'one\ntwo\nthree',
      'It has three lines.',
      'and then?',
      'Partial',
      'next',
    ]);
    // the resumed file goes on; the first chat's file has only its own messages
    expect(records(stored.file).filter((r) => r.type === 'message').map((r) => r.message.content).slice(-2)).toEqual(['next', 'Resumed answer.']);
    expect(records(first!).filter((r) => r.type === 'message').map((r) => r.message.content)).toEqual(['hello', 'Hi.']);
  });

  it('/resume of an unknown id is one red line; the chat goes on', async () => {
    const cwd = path.join(work.dir, 'project');
    const app = await startApp({ cwd, home, script: [answer('Still here.')] });
    await app.type('/resume zzzzzz', '\r');
    await waitFor(() => app.committed().includes("no session matches 'zzzzzz'"), 'the error');
    await app.type('/resume', '\r');
    expect(app.committed()).toContain('which one? /resume ID — /sessions lists them');
    await app.type('hi', '\r');
    await app.idle();
    expect(app.committed()).toContain('Still here.');
  });

  it('/clear starts a new session file; /model is recorded in the current one', async () => {
    const cwd = path.join(work.dir, 'project');
    const app = await startApp({ cwd, home, script: [answer('One.'), answer('Two.')] });
    await app.type('one', '\r');
    await app.idle();
    const [first] = sessionFiles();
    await app.type('/model gpt-other', '\r');
    expect(records(first!).filter((r) => r.type === 'meta')).toEqual([expect.objectContaining({ model: 'gpt-other', provider: 'openai' })]);

    await app.type('/clear', '\r');
    await app.type('two', '\r');
    await app.idle();
    const files = sessionFiles();
    expect(files).toHaveLength(2);
    const second = files.find((f) => f !== first)!;
    expect(records(second)[0]).toMatchObject({ type: 'session', model: 'gpt-other' });
    expect(records(second).filter((r) => r.type === 'message').map((r) => r.message.content)).toEqual(['two', 'Two.']);
    expect(requestMessages(app.server, 2)).toEqual([['user', 'two']]);
  });

  it('says once, in red, that the session cannot be saved, and the chat goes on', async () => {
    const cwd = path.join(work.dir, 'project');
    fs.mkdirSync(home);
    fs.writeFileSync(sessionsDir(home), 'not a folder');
    const app = await startApp({ cwd, home, script: [answer('First.'), answer('Second.')] });
    await app.type('one', '\r');
    await app.idle();
    await app.type('two', '\r');
    await app.idle();
    const lines = app.committed();
    const failures = lines.filter((line) => line.startsWith('could not save the conversation'));
    expect(failures).toHaveLength(1);
    expect(lines).toContain('First.');
    expect(lines).toContain('Second.');
  });

  it('--no-session stores nothing; /resume then only reads', async () => {
    const cwd = path.join(work.dir, 'project');
    const stored = seed(EARLIER, cwd);
    const before = fs.readFileSync(stored.file, 'utf8');
    const app = await startApp({ cwd, home, session: { mode: 'none' }, script: [answer('Not saved.')] });
    await app.type(`/resume ${stored.id}`, '\r');
    await waitFor(() => app.committed().includes('(--no-session: what follows is not saved)'), 'the resumed conversation');
    await app.type('more', '\r');
    await app.idle();
    expect(requestMessages(app.server, 1).at(-1)).toEqual(['user', 'more']);
    expect(requestMessages(app.server, 1)).toHaveLength(7);
    expect(fs.readFileSync(stored.file, 'utf8')).toBe(before);
    expect(sessionFiles()).toEqual([stored.file]);
  });
});
