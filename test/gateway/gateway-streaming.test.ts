// Streaming through the built gateway as Telegram enforces it (the fake's flood control on):
// the chat ends with exactly the model's answer, across split messages, once; no call inside a
// retry_after window; never over the budget; no identical edit; no cursor at the end; a deleted
// message or a refused draft does not lose or repeat text.

import { describe, expect, it } from 'vitest';
import type { FakeBotApi, RecordedCall } from '../support/telegram/fake-bot-api.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { gatewayScope, lastText, OWNER, until } from './harness.js';

const gateway = gatewayScope();
const GROUP = -100888;
const CURSOR = ' ▉';
const MESSAGE_CALLS = /^(sendMessage|editMessageText)$/;
/** Calls are timed where the fake reads them: loopback and scheduling jitter allowed. */
const JITTER_MS = 50;

/** Plain prose (no markdown, so the chat shows it as written), in tokens of a few words. */
function prose(paragraphs: number, sentence: string): string[] {
  const tokens: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    if (p > 0) tokens.push('\n\n');
    for (let s = 0; s < 6; s++) tokens.push(...`${s === 0 ? '' : ' '}${sentence} ${p}.${s}.`.split(/(?= )/));
  }
  return tokens;
}

function messageCalls(fake: FakeBotApi, chatId: number): RecordedCall[] {
  return fake.callsTo(chatId).filter((c) => MESSAGE_CALLS.test(c.method));
}

/** No two successful edits of one message with the same text. */
function identicalEdits(calls: RecordedCall[]): number {
  const last = new Map<number, string>();
  let repeats = 0;
  for (const c of calls) {
    if (c.status !== 200) continue;
    const id = c.method === 'sendMessage' ? c.response.result.message_id : c.params.message_id;
    if (c.method === 'editMessageText' && last.get(id) === c.params.text) repeats++;
    last.set(id, c.params.text);
  }
  return repeats;
}

describe('streaming by edits', () => {
  it('a long answer: split at paragraphs, every message within 4,096, the chat ends with exactly the answer, no cursor, no identical edit', async () => {
    const tokens = prose(40, 'The quick brown fox jumps over the lazy dog near the river bank');
    const answer = tokens.join('');
    expect(answer.length).toBeGreaterThan(2 * 4096);
    const run = await gateway.start({
      gateway: { editInterval: 0.2 },
      fake: { flood: { perSecond: 5 } },
      script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 1 }],
    });
    run.fake.pushPrivateMessage(OWNER, 'write a lot');
    // Split messages read as one: together they are exactly the answer.
    await until(() => run.fake.chatTranscript(OWNER) === answer, 'the whole answer');
    const texts = run.fake.botMessages(OWNER).map((m) => m.text!);
    expect(texts.length).toBeGreaterThan(2);
    // Cut at paragraph boundaries.
    for (const text of texts.slice(0, -1)) expect(text.endsWith('.\n\n')).toBe(true);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(text.endsWith(CURSOR)).toBe(false);
    }
    expect(identicalEdits(messageCalls(run.fake, OWNER))).toBe(0);
    expect(messageCalls(run.fake, OWNER).filter((c) => c.status === 429)).toEqual([]);
  });

  it('a 429: no call to the chat until retry_after has passed, and the final text arrives exactly once', async () => {
    const tokens = prose(2, 'Flood control is a fact of life');
    const answer = tokens.join('');
    const run = await gateway.start({ script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 40 }] });
    run.fake.privateChat(OWNER);
    run.fake.failNext('editMessageText', { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } }, OWNER);
    run.fake.pushPrivateMessage(OWNER, 'go');
    await until(() => lastText(run.fake, OWNER) === answer, 'the final text');
    const calls = run.fake.callsTo(OWNER).filter((c) => c.method !== 'getUpdates');
    const limited = calls.find((c) => c.status === 429)!;
    expect(limited).toBeDefined();
    const inWindow = calls.filter((c) => c.at > limited.at && c.at < limited.at + 2000);
    expect(inWindow.map((c) => c.method)).toEqual([]);
    expect(run.fake.botMessages(OWNER).map((m) => m.text)).toEqual([answer]);
  });

  it('three 429s in one answer: interim edits stop, the end is delivered once, the answer exactly once', async () => {
    const tokens = prose(3, 'Three strikes and the edits stop for this answer');
    const answer = tokens.join('');
    const run = await gateway.start({ gateway: { editInterval: 0.2 }, script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 40 }] });
    run.fake.privateChat(OWNER);
    for (let i = 0; i < 3; i++) run.fake.failNext('editMessageText', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, OWNER);
    run.fake.pushPrivateMessage(OWNER, 'go');
    await until(() => run.fake.chatTranscript(OWNER) === answer, 'the whole answer');
    const calls = messageCalls(run.fake, OWNER);
    const strikes = calls.filter((c) => c.status === 429);
    expect(strikes).toHaveLength(3);
    // After the third strike no interim edit: only the final delivery.
    expect(calls.filter((c) => c.method === 'editMessageText' && c.status === 200 && c.at > strikes[2]!.at).length).toBeLessThanOrEqual(1);
    for (const m of run.fake.botMessages(OWNER)) expect(m.text!.endsWith(CURSOR)).toBe(false);
    // No call inside any retry_after window.
    for (const limited of calls.filter((c) => c.status === 429)) {
      expect(run.fake.callsTo(OWNER).filter((c) => c.at > limited.at && c.at < limited.at + 1000)).toEqual([]);
    }
  });

  it('in a group, never more message calls than the group budget; the answer is whole', async () => {
    const tokens = prose(3, 'Groups have a tighter budget');
    const answer = tokens.join('');
    const run = await gateway.start({
      gateway: { editInterval: 0.1 },
      // Telegram's limits a little looser than our budget: a 429 here would mean a real overrun.
      fake: { flood: { perSecond: 2, perMinuteInGroups: 21, retryAfter: 3 } },
      script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 25 }],
    });
    run.fake.groupChat(GROUP, 'supergroup');
    run.fake.pushGroupMessage(GROUP, OWNER, 'go', { mention: true });
    await until(() => lastText(run.fake, GROUP) === answer, 'the final text');
    expect(messageCalls(run.fake, GROUP).filter((c) => c.status === 429)).toEqual([]);
    // Our budget's pace, read off the fake's clock (a few ms of loopback jitter allowed).
    const times = messageCalls(run.fake, GROUP).map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(1000 - JITTER_MS);
    for (let i = 20; i < times.length; i++) expect(times[i]! - times[i - 20]!).toBeGreaterThan(60_000 - JITTER_MS);
    expect(times.length).toBeGreaterThan(2);
  });

  it('a message deleted while it streams: the rest comes as a new message, nothing repeated or lost', async () => {
    const tokens = prose(2, 'Someone deletes this message while it grows');
    const answer = tokens.join('');
    const run = await gateway.start({ script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 60 }] });
    run.fake.pushPrivateMessage(OWNER, 'go');
    await until(() => run.fake.botMessages(OWNER).length === 1, 'the first message');
    const first = run.fake.botMessages(OWNER)[0]!;
    run.fake.deleteMessage(OWNER, first.messageId);
    const shown = first.text!.replace(CURSOR, '');
    expect(answer.startsWith(shown)).toBe(true);
    // What the deleted message showed, then what the chat still shows: the answer, once.
    await until(() => shown + run.fake.chatTranscript(OWNER) === answer, 'the rest of the answer');
    expect(run.fake.botMessages(OWNER).every((m) => !m.text!.endsWith(CURSOR))).toBe(true);
  });
});

describe('draft transport', () => {
  it('gateway.transport: draft streams drafts at most 5 a second in a private chat and ends with one sendMessage', async () => {
    const tokens = prose(2, 'Drafts are animated by Telegram itself');
    const answer = tokens.join('');
    const run = await gateway.start({ gateway: { transport: 'draft' }, script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 30 }] });
    run.fake.pushPrivateMessage(OWNER, 'go');
    await until(() => lastText(run.fake, OWNER) === answer, 'the final text');
    const drafts = run.fake.callsTo(OWNER, 'sendMessageDraft');
    expect(drafts.length).toBeGreaterThan(1);
    for (let i = 5; i < drafts.length; i++) expect(drafts[i]!.at - drafts[i - 5]!.at).toBeGreaterThan(1000 - JITTER_MS);
    expect(run.fake.callsTo(OWNER, 'sendMessage')).toHaveLength(1);
    expect(run.fake.botMessages(OWNER).map((m) => m.text)).toEqual([answer]);
  });

  it('in a group a draft is refused (TEXTDRAFT_PEER_INVALID): it falls back to edits without losing or repeating text', async () => {
    const tokens = prose(2, 'No drafts in groups');
    const answer = tokens.join('');
    const run = await gateway.start({ gateway: { transport: 'draft' }, script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 30 }] });
    run.fake.groupChat(GROUP, 'supergroup');
    run.fake.pushGroupMessage(GROUP, OWNER, 'go', { mention: true });
    await until(() => lastText(run.fake, GROUP) === answer, 'the final text');
    expect(run.fake.botMessages(GROUP).map((m) => m.text)).toEqual([answer]);
  });
});

describe('gateway.transport: auto', () => {
  it('uses drafts in private chats and edits in groups', async () => {
    const tokens = prose(1, 'Auto picks per chat');
    const answer = tokens.join('');
    const run = await gateway.start({ gateway: { transport: 'auto' }, script: [{ kind: 'stream', chunks: chatTextFrames(tokens), delayMs: 30 }] });
    run.fake.pushPrivateMessage(OWNER, 'go');
    await until(() => lastText(run.fake, OWNER) === answer, 'the private answer');
    run.fake.groupChat(GROUP, 'supergroup');
    run.fake.pushGroupMessage(GROUP, OWNER, 'go', { mention: true });
    await until(() => lastText(run.fake, GROUP) === answer, 'the group answer');
    expect(run.fake.callsTo(OWNER, 'sendMessageDraft').length).toBeGreaterThan(0);
    expect(run.fake.callsTo(GROUP, 'sendMessageDraft')).toEqual([]);
    expect(run.fake.callsTo(GROUP, 'editMessageText').length).toBeGreaterThan(0);
  });
});
