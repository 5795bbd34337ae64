// Questions with inline buttons (tool approvals) in Telegram: the question goes out (with its
// attachment first, via sendDocument), a press by the person it is for answers it, anybody
// else's press gets a notice, and once answered or given up the buttons are removed.

import { randomBytes } from 'node:crypto';
import { InputFile, type Api } from 'grammy';
import type { CallbackQuery } from 'grammy/types';
import { withinBudget } from './budgeted.js';
import type { ChatQuestion } from './chat-approval.js';
import type { ChatBudget } from './chat-transport.js';
import { translate } from './telegram-errors.js';
import { telegramText, type TelegramPlace } from './telegram-transport.js';

interface Pending {
  userId: number;
  choices: ReadonlySet<string>;
  answer: (choice: string) => void;
}

export class TelegramButtons {
  readonly #api: Api;
  readonly #pending = new Map<string, Pending>();

  constructor(api: Api) {
    this.#api = api;
  }

  /** Resolves with the choice pressed by question.userId, or undefined once signal aborts. */
  async ask(place: TelegramPlace, budget: ChatBudget, question: ChatQuestion, signal: AbortSignal): Promise<string | undefined> {
    const thread = place.threadId === undefined ? {} : { message_thread_id: place.threadId };
    const call = <T>(fn: () => Promise<T>): Promise<T> =>
      withinBudget(budget, async () => {
        try {
          return await fn();
        } catch (err) {
          throw translate(err, 'send');
        }
      }, signal);

    const nonce = randomBytes(6).toString('base64url');
    let answer!: (choice: string | undefined) => void;
    const answered = new Promise<string | undefined>((resolve) => (answer = resolve));
    const onAbort = (): void => answer(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    this.#pending.set(nonce, { userId: question.userId, choices: new Set(question.choices.map((c) => c.id)), answer });

    let messageId: number | undefined;
    try {
      const attachment = question.attachment;
      if (attachment) {
        await call(() => this.#api.sendDocument(place.chatId, new InputFile(Buffer.from(attachment.content, 'utf8'), attachment.fileName), thread));
      }
      const { text, entities } = telegramText(question.markdown);
      const keyboard = [question.choices.map((choice) => ({ text: choice.label, callback_data: `${nonce}:${choice.id}` }))];
      const sent = await call(() =>
        this.#api.sendMessage(place.chatId, text, { ...(entities.length > 0 ? { entities } : {}), reply_markup: { inline_keyboard: keyboard }, ...thread }),
      );
      messageId = sent.message_id;
      return await answered;
    } catch (err) {
      if (signal.aborted) return undefined;
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#pending.delete(nonce);
      if (messageId !== undefined) {
        const id = messageId;
        // Without a signal: the buttons go even when the question was given up.
        await withinBudget(budget, () => this.#api.editMessageReplyMarkup(place.chatId, id, { reply_markup: { inline_keyboard: [] } }).catch((err: unknown) => {
          throw translate(err, 'edit');
        })).catch(() => {});
      }
    }
  }

  /** A button press. Returns the notice to answer the callback query with. */
  press(query: CallbackQuery): string {
    const [nonce = '', choice = ''] = (query.data ?? '').split(':', 2);
    const pending = this.#pending.get(nonce);
    if (!pending || !pending.choices.has(choice)) return 'This question is no longer open.';
    if (query.from.id !== pending.userId) return 'Only the person whose message started this can answer it.';
    this.#pending.delete(nonce);
    pending.answer(choice);
    return choice === 'deny' ? 'Denied' : 'Approved';
  }
}
