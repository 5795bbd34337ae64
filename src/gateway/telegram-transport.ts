// One Telegram chat (or forum topic) as the gateway core's ChatTransport, through grammY.
// Markdown becomes message entities sent as `entities` with no parse_mode, so half-streamed
// markup can never fail to parse; should Telegram reject the entities anyway, the message goes
// again as plain text. No budget is kept here: the caller takes it before each call.

import type { Api } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import type { ChatTransport, MessageRef } from './chat-transport.js';
import { isEntityParseError, isNotModified, translate } from './telegram-errors.js';
import { renderTelegram, splitHead, TELEGRAM_MAX_TEXT } from './telegram-format.js';

export const TELEGRAM_MAX_LENGTH = TELEGRAM_MAX_TEXT;

/** Markdown as the Bot API takes it: text and grammY's MessageEntity (the same JSON as TelegramEntity). */
export function telegramText(markdown: string): { text: string; entities: MessageEntity[] } {
  const { text, entities } = renderTelegram(markdown);
  return { text, entities: entities as MessageEntity[] };
}

export interface TelegramPlace {
  chatId: number;
  /** A forum topic. */
  threadId?: number;
}

export class TelegramTransport implements ChatTransport {
  readonly maxLength = TELEGRAM_MAX_LENGTH;
  readonly #api: Api;
  readonly #place: TelegramPlace;
  /** One draft per message being streamed; a sent message ends it. */
  #draftId = 1;

  constructor(api: Api, place: TelegramPlace) {
    this.#api = api;
    this.#place = place;
  }

  splitHead(markdown: string): { head: string; rest: string } | undefined {
    return splitHead(markdown, this.maxLength);
  }

  async send(markdown: string): Promise<MessageRef> {
    const sent = await this.#withEntities(markdown, 'send', (text, entities) =>
      this.#api.sendMessage(this.#place.chatId, text, { entities, ...this.#thread() }),
    );
    this.#draftId++;
    return { id: String(sent.message_id) };
  }

  async edit(ref: MessageRef, markdown: string): Promise<void> {
    try {
      await this.#withEntities(markdown, 'edit', (text, entities) => this.#api.editMessageText(this.#place.chatId, Number(ref.id), text, { entities }));
    } catch (err) {
      if (isNotModified(err)) return;
      throw err;
    }
  }

  async draft(markdown: string): Promise<void> {
    await this.#withEntities(markdown, 'draft', (text, entities) =>
      this.#api.sendMessageDraft(this.#place.chatId, this.#draftId, text, { entities, ...this.#thread() }),
    );
  }

  async typing(): Promise<void> {
    await this.#api.sendChatAction(this.#place.chatId, 'typing', this.#thread());
  }

  #thread(): { message_thread_id?: number } {
    return this.#place.threadId === undefined ? {} : { message_thread_id: this.#place.threadId };
  }

  /** Sends with entities; on "can't parse entities" once more as plain text. Errors are the contract's. */
  async #withEntities<T>(markdown: string, method: 'send' | 'edit' | 'draft', call: (text: string, entities: MessageEntity[] | undefined) => Promise<T>): Promise<T> {
    const { text, entities } = telegramText(markdown);
    try {
      return await call(text, entities.length > 0 ? entities : undefined);
    } catch (err) {
      if (!isEntityParseError(err) || entities.length === 0) throw isNotModified(err) ? err : translate(err, method);
      try {
        return await call(text, undefined);
      } catch (retryErr) {
        throw isNotModified(retryErr) ? retryErr : translate(retryErr, method);
      }
    }
  }
}
