// The Telegram ChatTransport with the real grammY against the fake Bot API: Telegram's answers
// become the contract's errors (429 -> RateLimitedError, a gone message -> MessageGoneError, a
// draft refused -> DraftUnavailableError) and "message is not modified" is a success.

import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { DraftUnavailableError, MessageGoneError, RateLimitedError } from '../../src/gateway/chat-transport.js';
import { TelegramTransport } from '../../src/gateway/telegram-transport.js';
import { startFakeBotApi, type FakeBotApi } from '../support/telegram/fake-bot-api.js';

const USER = 4242;
const GROUP = -100321;
let fake: FakeBotApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function transportFor(chatId: number, threadId?: number): Promise<{ fake: FakeBotApi; transport: TelegramTransport }> {
  fake = await startFakeBotApi();
  if (chatId > 0) fake.privateChat(USER);
  else fake.groupChat(chatId, 'supergroup', { forum: threadId !== undefined });
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  return { fake, transport: new TelegramTransport(api, { chatId, ...(threadId !== undefined ? { threadId } : {}) }) };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('TelegramTransport', () => {
  it('sends, edits, and treats "message is not modified" as success', async () => {
    const { fake, transport } = await transportFor(USER);
    const ref = await transport.send('hello');
    await transport.edit(ref, 'hello world');
    await transport.edit(ref, 'hello world');
    expect(fake.chatTranscript(USER)).toBe('hello world');
    const edits = fake.callsTo(USER, 'editMessageText');
    expect(edits.map((c) => c.status)).toEqual([200, 400]);
    expect(edits[1]!.response.description).toMatch(/message is not modified/);
  });

  it('sends markdown as entities with no parse_mode; on "can\'t parse entities" once more as plain text', async () => {
    const { fake, transport } = await transportFor(USER);
    await transport.send('**bold** and `code`');
    expect(fake.callsTo(USER, 'sendMessage')[0]!.params).toMatchObject({ text: 'bold and code', entities: [{ type: 'bold', offset: 0, length: 4 }, { type: 'code', offset: 9, length: 4 }] });
    expect(fake.callsTo(USER, 'sendMessage')[0]!.params.parse_mode).toBeUndefined();
    fake.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag at byte offset 0" });
    await transport.send('**again**');
    const [failed, plain] = fake.callsTo(USER, 'sendMessage').slice(1);
    expect(failed!.status).toBe(400);
    expect(plain!.params.text).toBe('again');
    expect(plain!.params.entities).toBeUndefined();
    expect(fake.chatTranscript(USER, '|')).toBe('bold and code|again');
  });

  it('a 429 becomes RateLimitedError with retry_after in milliseconds', async () => {
    const { fake, transport } = await transportFor(USER);
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    const err = await rejection(transport.send('x'));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(7000);
  });

  it('a deleted or uneditable message becomes MessageGoneError', async () => {
    const { fake, transport } = await transportFor(USER);
    const deleted = await transport.send('one');
    fake.deleteMessage(USER, Number(deleted.id));
    expect(await rejection(transport.edit(deleted, 'two'))).toBeInstanceOf(MessageGoneError);
    const old = await transport.send('old');
    fake.makeUneditable(USER, Number(old.id));
    expect(await rejection(transport.edit(old, 'new'))).toBeInstanceOf(MessageGoneError);
  });

  it('drafts go to private chats; in a group TEXTDRAFT_PEER_INVALID becomes DraftUnavailableError', async () => {
    const { fake, transport } = await transportFor(USER);
    await transport.draft!('drafting');
    expect(fake.chat(USER).drafts.map((d) => d.text)).toEqual(['drafting']);
    await fake.close();
    const group = await transportFor(GROUP);
    expect(await rejection(group.transport.draft!('x'))).toBeInstanceOf(DraftUnavailableError);
    expect(group.fake.callsTo(GROUP, 'sendMessageDraft')[0]!.response.description).toMatch(/TEXTDRAFT_PEER_INVALID/);
  });

  it('writes into its forum topic and shows typing there', async () => {
    const { fake, transport } = await transportFor(GROUP, 9);
    await transport.typing();
    await transport.send('in the topic');
    expect(fake.botMessages(GROUP).map((m) => m.threadId)).toEqual([9]);
    expect(fake.callsTo(GROUP, 'sendChatAction')[0]!.params).toMatchObject({ action: 'typing', message_thread_id: 9 });
  });
});
