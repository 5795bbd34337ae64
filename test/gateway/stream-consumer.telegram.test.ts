// The stream consumer through the real grammY client to the fake Telegram Bot API, with a
// minimal Telegram transport written here (the gateway's own adapter lives elsewhere).

import { Api, GrammyError } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatBudget } from '../../src/gateway/chat-budget.js';
import { DraftUnavailableError, MessageGoneError, RateLimitedError, type ChatTransport, type MessageRef } from '../../src/gateway/chat-transport.js';
import { StreamConsumer } from '../../src/gateway/stream-consumer.js';
import { renderTelegram, splitHead, TELEGRAM_MAX_TEXT } from '../../src/gateway/telegram-format.js';
import { startFakeBotApi, type FakeBotApi } from '../support/telegram/fake-bot-api.js';
import { ANSWERS } from './answers.js';

let fake: FakeBotApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function platformError(err: unknown): unknown {
  if (!(err instanceof GrammyError)) return err;
  if (err.error_code === 429) return new RateLimitedError((err.parameters.retry_after ?? 1) * 1000);
  if (/message to edit not found|message can't be edited/.test(err.description)) return new MessageGoneError(err.description);
  if (err.description.includes('TEXTDRAFT_PEER_INVALID')) return new DraftUnavailableError(err.description);
  return err;
}

class TestTelegramChat implements ChatTransport {
  readonly maxLength = TELEGRAM_MAX_TEXT;
  constructor(
    private readonly api: Api,
    private readonly chatId: number,
  ) {}
  splitHead(markdown: string) {
    return splitHead(markdown, this.maxLength);
  }
  async send(markdown: string): Promise<MessageRef> {
    const { text, entities } = renderTelegram(markdown);
    const m = await this.api.sendMessage(this.chatId, text, { entities }).catch((e: unknown) => Promise.reject(platformError(e)));
    return { id: String(m.message_id) };
  }
  async edit(ref: MessageRef, markdown: string): Promise<void> {
    const { text, entities } = renderTelegram(markdown);
    await this.api.editMessageText(this.chatId, Number(ref.id), text, { entities }).catch((e: unknown) => {
      if (e instanceof GrammyError && e.description.startsWith('Bad Request: message is not modified')) return;
      throw platformError(e);
    });
  }
  async draft(markdown: string): Promise<void> {
    const { text, entities } = renderTelegram(markdown);
    await this.api.sendMessageDraft(this.chatId, 1, text, { entities }).catch((e: unknown) => Promise.reject(platformError(e)));
  }
  async typing(): Promise<void> {
    await this.api.sendChatAction(this.chatId, 'typing').catch((e: unknown) => Promise.reject(platformError(e)));
  }
}

async function streamReal(consumer: StreamConsumer, text: string, size: number, everyMs: number): Promise<void> {
  for (let i = 0; i < text.length; i += size) {
    consumer.push(text.slice(i, i + size));
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const USER = 5150;
const GROUP = -100600;

describe('stream consumer over grammY and the fake Bot API', () => {
  it('a private chat: typing, one message edited in place with entities, the final text exact, within budget', async () => {
    fake = await startFakeBotApi({ flood: { perSecond: 2, retryAfter: 5 } });
    fake.privateChat(USER);
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const consumer = new StreamConsumer({ transport: new TestTelegramChat(api, USER), budget: ChatBudget.forChat('private') });
    const answer = ANSWERS.code!;
    await streamReal(consumer, answer, 12, 25);
    await consumer.finish();

    const calls = fake.callsTo(USER);
    expect(calls[0]!.method).toBe('sendChatAction');
    expect(calls.filter((c) => c.status !== 200)).toEqual([]); // no 429, no "not modified", no parse error
    expect(fake.botMessages(USER)).toHaveLength(1);
    const rendered = renderTelegram(answer);
    expect(fake.chatTranscript(USER)).toBe(rendered.text);
    expect(fake.latestBotMessage(USER)!.entities).toEqual(rendered.entities);
    const edits = calls.filter((c) => c.method === 'editMessageText');
    expect(edits.length).toBeGreaterThan(1);
    expect(edits.slice(0, -1).every((c) => String(c.params.text).endsWith(' ▉'))).toBe(true);
    const messageCalls = calls.filter((c) => c.method !== 'sendChatAction');
    for (let i = 1; i < messageCalls.length; i++) expect(messageCalls[i]!.at - messageCalls[i - 1]!.at).toBeGreaterThan(900);
  });

  it('a group in draft mode: TEXTDRAFT_PEER_INVALID falls back to edits; a 429 is waited out; the text arrives once', async () => {
    fake = await startFakeBotApi();
    fake.groupChat(GROUP, 'supergroup');
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const consumer = new StreamConsumer({ transport: new TestTelegramChat(api, GROUP), budget: ChatBudget.forChat('group'), mode: 'draft' });
    const answer = ANSWERS.shell!;
    fake.failNext('editMessageText', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, GROUP);
    await streamReal(consumer, answer, 8, 40);
    await consumer.finish();

    const calls = fake.callsTo(GROUP);
    expect(calls.filter((c) => c.method === 'sendMessageDraft').map((c) => c.response.description)).toEqual(['Bad Request: TEXTDRAFT_PEER_INVALID']);
    const limited = calls.find((c) => c.status === 429)!;
    expect(limited.method).toBe('editMessageText');
    expect(calls.filter((c) => c.at > limited.at && c.at < limited.at + 1000)).toEqual([]);
    expect(fake.botMessages(GROUP)).toHaveLength(1);
    expect(fake.chatTranscript(GROUP)).toBe(renderTelegram(answer).text);
  });
});
