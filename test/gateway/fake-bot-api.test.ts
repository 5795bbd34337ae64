// The fake Telegram Bot API, checked against the real grammY client: what a test of the gateway
// relies on (long polling, offsets, Telegram's rules and errors) behaves as grammY expects.

import { Api, Bot, GrammyError, HttpError, InputFile } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/telegram/fake-bot-api.js';
import { NOT_MODIFIED } from '../support/telegram/rules.js';

let fake: FakeBotApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFakeBotApi>[0] = {}): Promise<{ fake: FakeBotApi; api: Api }> {
  fake = await startFakeBotApi(options);
  return { fake, api: new Api(fake.token, { apiRoot: fake.apiRoot }) };
}

async function errorOf(p: Promise<unknown>): Promise<GrammyError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

const USER = 4242;
const GROUP = -100777;

describe('polling', () => {
  it('a long poll waits and wakes on pushUpdate; the offset confirms and forgets earlier updates', async () => {
    const { fake, api } = await setup();
    const polling = api.getUpdates({ timeout: 30 });
    await until(() => fake.updates.waiting === 1);
    expect(fake.calls.filter((c) => c.method === 'getUpdates')).toHaveLength(0); // still waiting
    fake.pushPrivateMessage(USER, 'hello');
    const first = await polling;
    expect(first).toHaveLength(1);
    expect(first[0]!.message).toMatchObject({ text: 'hello', chat: { id: USER, type: 'private' }, from: { id: USER, is_bot: false } });

    fake.pushPrivateMessage(USER, 'second');
    // Without an offset the unconfirmed update comes again (Telegram keeps it until confirmed).
    const again = await api.getUpdates({ timeout: 0 });
    expect(again.map((u) => u.message?.text)).toEqual(['hello', 'second']);
    const next = await api.getUpdates({ offset: first[0]!.update_id + 1, timeout: 0 });
    expect(next.map((u) => u.message?.text)).toEqual(['second']);
    expect(fake.updates.pending().map((u) => u.update_id)).toEqual([next[0]!.update_id]);
    expect(fake.updates.confirmedOffset).toBe(first[0]!.update_id + 1);
    expect(fake.updates.deliveries.get(first[0]!.update_id)).toBe(2);

    // A negative offset keeps only the last -offset updates.
    fake.pushPrivateMessage(USER, 'third');
    expect((await api.getUpdates({ offset: -1 })).map((u) => u.message?.text)).toEqual(['third']);
  });

  it('the long poll ends after `timeout` seconds with no updates', async () => {
    const { api } = await setup();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
  });

  it('allowed_updates filters update types and is remembered', async () => {
    const { fake, api } = await setup();
    const msg = fake.pushPrivateMessage(USER, 'press');
    fake.pushCallbackQuery(USER, USER, msg.messageId, 'x');
    const onlyCallbacks = await api.getUpdates({ allowed_updates: ['callback_query'], timeout: 0 });
    expect(onlyCallbacks.map((u) => Object.keys(u).sort())).toEqual([['callback_query', 'update_id']]);
    fake.pushPrivateMessage(USER, 'ignored');
    expect(await api.getUpdates({ timeout: 0 })).toHaveLength(1); // still only the callback
  });

  it('a grammY Bot receives messages (commands, group mentions, replies, button presses) and stops confirming its offset', async () => {
    const { fake } = await setup();
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    const seen: string[] = [];
    bot.command('start', (ctx) => void seen.push(`command start from ${ctx.from?.id}`));
    bot.on('message:text', async (ctx) => {
      const mentioned = ctx.message.entities?.some((e) => e.type === 'mention') ?? false;
      const repliedToBot = ctx.message.reply_to_message?.from?.id === ctx.me.id;
      seen.push(`${ctx.chat.type}: ${ctx.message.text} mention=${mentioned} reply=${repliedToBot}`);
      if (ctx.chat.type === 'private') await ctx.reply('pong', { reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } });
    });
    bot.on('callback_query:data', async (ctx) => {
      seen.push(`button ${ctx.callbackQuery.data}`);
      await ctx.answerCallbackQuery({ text: 'ok' });
    });
    const started = new Promise<void>((resolve) => void bot.start({ timeout: 30, onStart: () => resolve() }));
    await started;
    fake.pushPrivateMessage(USER, '/start');
    fake.pushPrivateMessage(USER, 'ping');
    const pong = await fake.waitForCall('sendMessage');
    fake.groupChat(GROUP, 'supergroup');
    fake.pushGroupMessage(GROUP, USER, 'hi bot', { mention: true });
    const cbq = fake.pushCallbackQuery(USER, USER, pong.response.result.message_id, 'go');
    await fake.waitForCall('answerCallbackQuery');
    fake.pushGroupMessage(GROUP, USER, 'no mention');
    await until(() => seen.length === 5);
    await bot.stop();
    expect(fake.calls.map((c) => c.method).slice(0, 2)).toEqual(['getMe', 'deleteWebhook']);
    expect(seen).toEqual([
      `command start from ${USER}`,
      'private: ping mention=false reply=false',
      'supergroup: @hermes_test_bot hi bot mention=true reply=false',
      'button go',
      'supergroup: no mention mention=false reply=false',
    ]);
    expect(fake.callbackAnswer(cbq)).toEqual({ text: 'ok' });
    // bot.stop() confirmed everything it handled: nothing is delivered twice after a restart.
    expect(fake.updates.pending()).toEqual([]);
    expect([...fake.updates.deliveries.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('messages', () => {
  it('sendMessage, editMessageText and deleteMessage change what the chat shows', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    const bold = [{ type: 'bold' as const, offset: 0, length: 2 }];
    const m = await api.sendMessage(USER, '😀 hi', { entities: bold });
    expect(m).toMatchObject({ message_id: 1, text: '😀 hi', entities: bold, from: { is_bot: true, username: 'hermes_test_bot' } });
    await api.editMessageText(USER, m.message_id, '😀 hi there');
    expect(fake.chat(USER).messages[0]).toMatchObject({ text: '😀 hi there', edits: 1, deleted: false });
    expect(fake.chat(USER).messages[0]!.entities).toBeUndefined();
    const second = await api.sendMessage(USER, ' and more');
    expect(fake.chatTranscript(USER)).toBe('😀 hi there and more');
    await api.deleteMessage(USER, second.message_id);
    expect(fake.chatTranscript(USER)).toBe('😀 hi there');
    expect(fake.chat(USER).messages.map((x) => x.deleted)).toEqual([false, true]);

    const gone = await errorOf(api.editMessageText(USER, second.message_id, 'x'));
    expect([gone.error_code, gone.description]).toEqual([400, 'Bad Request: message to edit not found']);
    fake.makeUneditable(USER, m.message_id);
    const old = await errorOf(api.editMessageText(USER, m.message_id, 'x'));
    expect(old.description).toBe("Bad Request: message can't be edited");
    const unknown = await errorOf(api.sendMessage(999, 'x'));
    expect(unknown.description).toBe('Bad Request: chat not found');
  });

  it('an identical edit is refused as "message is not modified"; a changed keyboard is a change', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    const keyboard = { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] };
    const m = await api.sendMessage(USER, 'same', { entities: [{ type: 'italic', offset: 0, length: 4 }], reply_markup: keyboard });
    const same = await errorOf(api.editMessageText(USER, m.message_id, 'same', { entities: [{ type: 'italic', offset: 0, length: 4 }], reply_markup: keyboard }));
    expect([same.error_code, same.description]).toEqual([400, NOT_MODIFIED]);
    await api.editMessageText(USER, m.message_id, 'same', { entities: [{ type: 'italic', offset: 0, length: 4 }] }); // keyboard removed
    expect(fake.chat(USER).messages[0]!.replyMarkup).toBeUndefined();
    await api.editMessageReplyMarkup(USER, m.message_id, { reply_markup: keyboard });
    expect(fake.chat(USER).messages[0]!.replyMarkup).toEqual(keyboard);
    const sameMarkup = await errorOf(api.editMessageReplyMarkup(USER, m.message_id, { reply_markup: keyboard }));
    expect(sameMarkup.description).toBe(NOT_MODIFIED);
  });

  it('text is 1–4,096 UTF-16 code units; entities must lie inside it, counted in UTF-16', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    expect((await errorOf(api.sendMessage(USER, ''))).description).toBe('Bad Request: message text is empty');
    expect((await errorOf(api.sendMessage(USER, '😀'.repeat(2049)))).description).toBe('Bad Request: message is too long');
    await api.sendMessage(USER, '😀'.repeat(2048)); // 4,096 code units exactly
    const outside = await errorOf(api.sendMessage(USER, '😀x', { entities: [{ type: 'bold', offset: 1, length: 3 }] }));
    expect(outside.error_code).toBe(400);
    expect(outside.description).toMatch(/^Bad Request: can't parse entities: /);
    const halfPair = await errorOf(api.sendMessage(USER, '😀x', { entities: [{ type: 'bold', offset: 1, length: 2 }] }));
    expect(halfPair.description).toMatch(/^Bad Request: can't parse entities: .*surrogate/);
    await api.sendMessage(USER, '😀x', { entities: [{ type: 'bold', offset: 2, length: 1 }, { type: 'pre', offset: 0, length: 3, language: 'ts' }] });
    const badLink = await errorOf(api.sendMessage(USER, 'link', { entities: [{ type: 'text_link', offset: 0, length: 4, url: 'nope' }] }));
    expect(badLink.description).toMatch(/^Bad Request: can't parse entities: /);
  });

  it('sendMessageDraft works in private chats only (TEXTDRAFT_PEER_INVALID elsewhere); sending replaces the draft', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    fake.groupChat(GROUP);
    await api.sendMessageDraft(USER, 7, 'Hel');
    await api.sendMessageDraft(USER, 7, 'Hello');
    expect(fake.chat(USER).drafts).toEqual([{ draftId: 7, text: 'Hello' }]);
    const group = await errorOf(api.sendMessageDraft(GROUP, 7, 'Hel'));
    expect([group.error_code, group.description]).toEqual([400, 'Bad Request: TEXTDRAFT_PEER_INVALID']);
    await api.sendMessage(USER, 'Hello world');
    expect(fake.chat(USER).drafts).toEqual([]);
    expect(fake.chatTranscript(USER)).toBe('Hello world');
  });

  it('sendDocument uploads a file as multipart/form-data; sendChatAction, setMyCommands, getMyCommands', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    const m = await api.sendDocument(USER, new InputFile(Buffer.from('line 1\nline 2\n'), 'change.diff'), {
      caption: '123 more lines',
      caption_entities: [{ type: 'bold', offset: 0, length: 3 }],
    });
    expect(m.document).toMatchObject({ file_name: 'change.diff', file_size: 14 });
    const stored = fake.chat(USER).messages[0]!;
    expect(stored.document?.content.toString()).toBe('line 1\nline 2\n');
    expect(stored.caption).toBe('123 more lines');
    expect(stored.captionEntities).toEqual([{ type: 'bold', offset: 0, length: 3 }]);

    expect(await api.sendChatAction(USER, 'typing')).toBe(true);
    expect(fake.chat(USER).typingUntil).toBeGreaterThan(performance.now());
    const commands = [{ command: 'new', description: 'Start a new conversation' }];
    await api.setMyCommands(commands);
    expect(await api.getMyCommands()).toEqual(commands);
    expect((await errorOf(api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]))).description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('records every call with its params, time, chat id and response; a wrong token is 401', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    const before = performance.now();
    await api.sendMessage(USER, 'x');
    const call = fake.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'sendMessage', chatId: USER, status: 200, params: { chat_id: USER, text: 'x' }, response: { ok: true } });
    expect(call.at).toBeGreaterThanOrEqual(before);
    const wrong = await errorOf(new Api('1:wrong', { apiRoot: fake.apiRoot }).getMe());
    expect([wrong.error_code, wrong.description]).toEqual([401, 'Unauthorized']);
  });
});

describe('failures a test injects', () => {
  it('failNext fails one call of a method (optionally in one chat) with an API error or a dropped socket', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    fake.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: injected" });
    expect((await errorOf(api.sendMessage(USER, 'x'))).description).toBe("Bad Request: can't parse entities: injected");
    await api.sendMessage(USER, 'x');
    fake.failNext('sendMessage', 'network');
    const dropped = await api.sendMessage(USER, 'y').catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(HttpError);
    await api.sendMessage(USER, 'z');
    expect(fake.chatTranscript(USER, '|')).toBe('x|z');
  });
});

describe('flood control', () => {
  it('off by default', async () => {
    const { fake, api } = await setup();
    fake.privateChat(USER);
    for (let i = 0; i < 5; i++) await api.sendMessage(USER, `m${i}`);
    expect(fake.calls.every((c) => c.status === 200)).toBe(true);
  });

  it('over the per-chat budget: 429 with retry_after, and every call to that chat is refused until it has passed', async () => {
    const { fake, api } = await setup({ flood: { perSecond: 2, retryAfter: 1 } });
    fake.privateChat(USER);
    fake.privateChat(USER + 1);
    await api.sendMessage(USER, 'a');
    await api.sendMessage(USER, 'b');
    const limited = await errorOf(api.sendMessage(USER, 'c'));
    expect(limited.error_code).toBe(429);
    expect(limited.description).toBe('Too Many Requests: retry after 1');
    expect(limited.parameters.retry_after).toBe(1);
    const blockedAt = fake.calls.at(-1)!.at;
    // Inside the window even a typing action is refused; other chats are not affected.
    expect((await errorOf(api.sendChatAction(USER, 'typing'))).error_code).toBe(429);
    await api.sendMessage(USER + 1, 'other chat');
    await new Promise((r) => setTimeout(r, Math.max(0, blockedAt + 1000 - performance.now()) + 20));
    await api.sendMessage(USER, 'c');
    expect(fake.chatTranscript(USER)).toBe('abc');
  });

  it('groups have a per-minute budget', async () => {
    const { fake, api } = await setup({ flood: { perMinuteInGroups: 3, retryAfter: 30 } });
    fake.groupChat(GROUP);
    for (const t of ['1', '2', '3']) await api.sendMessage(GROUP, t);
    const limited = await errorOf(api.editMessageText(GROUP, 1, 'edited'));
    expect([limited.error_code, limited.parameters.retry_after]).toEqual([429, 30]);
  });
});
