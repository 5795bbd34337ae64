// The Telegram gateway: grammY long polling, who may talk (allow list; in groups only when the
// bot is mentioned or replied to), one ChatRunner per chat or forum topic, button presses, and a
// clean stop (running answers say they were stopped; the update offset is confirmed).

import path from 'node:path';
import { Bot } from 'grammy';
import type { Message, UserFromGetMe } from 'grammy/types';
import type { ResolvedConfig } from '../agent/config.js';
import type { ToolChoices } from '../agent/tools/setup.js';
import { redactSecrets } from '../stream/redact.js';
import { sanitizeForTerminal } from '../stream/sanitize.js';
import { AccessList, deniedNotice } from './access.js';
import { withinBudget } from './budgeted.js';
import { ChatBudget } from './chat-budget.js';
import { isChatCommand, runChatCommand } from './chat-commands.js';
import { ChatHub, type ChatPlace } from './chat-hub.js';
import { STOPPED_NOTE } from './chat-runner.js';
import { GatewayState } from './gateway-state.js';
import type { GatewaySettings, TelegramSettings } from './settings.js';
import { TelegramButtons } from './telegram-buttons.js';
import { describeFailure } from './telegram-errors.js';
import { TelegramTransport, type TelegramPlace } from './telegram-transport.js';

export interface TelegramGatewayOptions {
  config: ResolvedConfig;
  settings: GatewaySettings;
  telegram: TelegramSettings;
  tools: ToolChoices;
  env: NodeJS.ProcessEnv;
}

/** How long a stop waits for running answers to make their last edit. */
const STOP_GRACE_MS = 10_000;
const SHUTDOWN_NOTE = `${STOPPED_NOTE}: the gateway is shutting down`;

export async function runTelegramGateway(options: TelegramGatewayOptions): Promise<number> {
  const { config, settings, telegram } = options;
  const secrets = [...config.secrets, telegram.token];
  // Log lines may quote a server's error message: no key, no token, no terminal controls.
  const log = (line: string): void => void process.stderr.write(`hermes gateway: ${sanitizeForTerminal(redactSecrets(line, secrets))}\n`);

  const bot = new Bot(telegram.token, { client: { ...(telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {}), timeoutSeconds: 60 } });
  try {
    // One try, not grammY's init (which retries a network failure for up to an hour): a wrong
    // address or a refused token is the user's to fix now.
    bot.botInfo = await bot.api.getMe();
  } catch (err) {
    const unauthorized = (err as { error_code?: number }).error_code === 401;
    log(unauthorized ? 'Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN' : `cannot reach the Bot API: ${describeFailure(err, telegram.token)}`);
    return unauthorized ? 2 : 1;
  }
  const me = bot.botInfo;

  const state = new GatewayState(path.join(config.home, 'gateway', 'telegram.json'), log);
  const access = new AccessList(telegram.allowedUsers);
  const buttons = new TelegramButtons(bot.api);
  const hub = new ChatHub({
    config,
    settings,
    tools: options.tools,
    state,
    secrets,
    log,
  });
  const places = new Map<string, ChatPlace>();
  const placeFor = (message: Message): ChatPlace => {
    const where: TelegramPlace = { chatId: message.chat.id, ...(message.is_topic_message && message.message_thread_id !== undefined ? { threadId: message.message_thread_id } : {}) };
    const key = where.threadId === undefined ? `${where.chatId}` : `${where.chatId}:${where.threadId}`;
    let place = places.get(key);
    if (!place) {
      const isPrivate = message.chat.type === 'private';
      const budget = ChatBudget.forChat(isPrivate ? 'private' : 'group');
      const transport = new TelegramTransport(bot.api, where);
      place = {
        key,
        label: `chat ${where.chatId}${where.threadId === undefined ? '' : ` topic ${where.threadId}`}`,
        transport,
        budget,
        // Drafts exist in private chats only; 'draft' elsewhere tries them and falls back to edits.
        mode: settings.transport === 'draft' || (settings.transport === 'auto' && isPrivate) ? 'draft' : 'edit',
        askInChat: (question, signal) => buttons.ask(where, budget, question, signal),
      };
      places.set(key, place);
    }
    return place;
  };
  const order = new Map<string, Promise<void>>();
  const failed = (key: string) => (err: unknown) => log(`chat ${key}: ${describeFailure(err, telegram.token)}`);
  const inOrder = (key: string, task: () => Promise<void>): void => {
    order.set(key, (order.get(key) ?? Promise.resolve()).then(task).catch(failed(key)));
  };
  const reply = async (place: ChatPlace, markdown: string): Promise<void> => {
    await withinBudget(place.budget, () => place.transport.send(markdown)).catch((err: unknown) => log(`${place.label}: reply failed: ${describeFailure(err, telegram.token)}`));
  };

  bot.catch((err) => log(`update ${err.ctx.update.update_id}: ${describeFailure(err.error, telegram.token)}`));

  // An update handled before a crash (its offset not yet confirmed) is not handled again.
  bot.use(async (ctx, next) => {
    if (state.claimUpdate(ctx.update.update_id)) await next();
  });

  bot.on('callback_query:data', async (ctx) => {
    await ctx.answerCallbackQuery({ text: buttons.press(ctx.callbackQuery) }).catch(() => {});
  });

  bot.on('message:text', async (ctx) => {
    const message = ctx.message;
    const from = message.from;
    if (from.is_bot) return;
    const addressed = addressedText(message, me);
    if (addressed === undefined) return; // a group message for someone else
    const place = placeFor(message);
    if (!access.allows(from.id)) {
      log(`${place.label} user ${from.id}: not on the allow list`);
      if (access.shouldNotify(from.id)) void reply(place, deniedNotice(from.id));
      return;
    }
    const runner = hub.runner(place);
    const command = parseCommand(addressed, me.username);
    if (command === 'other-bot') return;
    const handle = async (): Promise<void> => {
      if (!command) return runner.receive({ userId: from.id, text: addressed });
      log(`${place.label} user ${from.id}: /${command.name}`);
      const text = isChatCommand(command.name) ? await runChatCommand(runner, command.name, command.argument) : `Unknown command /${command.name}. /help lists them.`;
      if (text !== undefined) await reply(place, text);
    };
    // Updates are handled one at a time: nothing here may wait (for a budget, for a stopped
    // answer), or one chat would hold up every other. A chat's own messages keep their order;
    // /stop acts at once (it stops the answer before its first await).
    if (command?.name === 'stop') void handle().catch(failed(place.key));
    else inOrder(place.key, handle);
  });

  process.stdout.write(`hermes gateway: @${me.username}, ${access.size} allowed user${access.size === 1 ? '' : 's'}\n`);
  if (access.size === 0) log('nobody is on the allow list (TELEGRAM_ALLOWED_USERS or gateway.telegram.allowedUsers), so every message is refused');

  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping`);
    stopping ??= (async () => {
      // Polling stops first and the offset is confirmed; then the answers make their last edit.
      await bot.stop().catch((err: unknown) => log(`confirming the update offset failed: ${describeFailure(err, telegram.token)}`));
      await hub.stopAll(SHUTDOWN_NOTE, STOP_GRACE_MS);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await bot.start({ allowed_updates: ['message', 'callback_query'], drop_pending_updates: false });
  } catch (err) {
    log(`polling failed: ${describeFailure(err, telegram.token)}`);
    await hub.stopAll(SHUTDOWN_NOTE, STOP_GRACE_MS);
    return 1;
  } finally {
    if (!stopping) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
  await stopping;
  return 0;
}

/**
 * The text a message puts to the bot: all of it in a private chat; in a group only when the
 * message mentions the bot (the mention removed), replies to it or is a command. Otherwise undefined.
 */
export function addressedText(message: Message.TextMessage, me: UserFromGetMe): string | undefined {
  if (message.chat.type === 'private') return message.text;
  const command = parseCommand(message.text, me.username);
  if (command !== undefined) return command === 'other-bot' ? undefined : message.text;
  if (message.reply_to_message?.from?.id === me.id) return message.text;
  const mention = `@${me.username}`.toLowerCase();
  for (const entity of message.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const text = message.text.slice(entity.offset, entity.offset + entity.length);
    if (text.toLowerCase() === mention) {
      return `${message.text.slice(0, entity.offset)}${message.text.slice(entity.offset + entity.length)}`.replace(/\s+/g, ' ').trim();
    }
  }
  return undefined;
}

/** "/model gpt-4o" -> {name, argument}; "/x@otherbot" -> 'other-bot'; plain text -> undefined. */
export function parseCommand(text: string, botName: string): { name: string; argument: string } | 'other-bot' | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  if (match[2] !== undefined && match[2].toLowerCase() !== botName.toLowerCase()) return 'other-bot';
  return { name: match[1]!.toLowerCase(), argument: match[3] ?? '' };
}
