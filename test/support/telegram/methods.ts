// The Bot API methods the fake implements, each keeping Telegram's rules and error wording.

import type { FakeBotApi } from './fake-bot-api.js';
import type { UploadedFile } from './multipart.js';
import { BadRequest, checkText, NOT_MODIFIED, sameContent } from './rules.js';
import { toApiMessage, type ChatState, type VisibleMessage } from './state.js';

export interface MethodContext {
  api: FakeBotApi;
  params: Record<string, any>;
  files: Record<string, UploadedFile>;
  /** The chat a call names (400 "chat not found" when the bot has never seen it). */
  chat(chatId: unknown): ChatState;
  onClose(fn: () => void): void;
  callbackQueries: Map<string, { answered?: { text?: string; show_alert?: boolean } }>;
}

type Method = (ctx: MethodContext) => unknown;

const COMMAND = /^[a-z0-9_]{1,32}$/;
let nextFileId = 1;

export const METHODS: Record<string, Method> = {
  getMe: ({ api }) => ({ ...api.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),

  deleteWebhook: ({ api, params }) => {
    if (params.drop_pending_updates) api.updates.dropPending();
    return true;
  },

  getWebhookInfo: () => ({ url: '', has_custom_certificate: false, pending_update_count: 0 }),

  getUpdates: ({ api, params, onClose }) => api.updates.poll(params, onClose),

  sendMessage: ({ api, params, chat }) => {
    const c = chat(params.chat_id);
    const entities = checkText(params.text, params.entities);
    const message = newBotMessage(api, c, params, { text: params.text, ...(entities ? { entities } : {}) });
    c.drafts = c.drafts.filter((d) => d.threadId !== message.threadId);
    return toApiMessage(c, message);
  },

  sendDocument: ({ api, params, files, chat }) => {
    const c = chat(params.chat_id);
    const captionEntities = checkText(params.caption, params.caption_entities, 'caption');
    const ref = String(params.document ?? '');
    const upload = ref.startsWith('attach://') ? files[ref.slice('attach://'.length)] : undefined;
    if (!upload) throw new BadRequest('Bad Request: there is no document in the request');
    const document = { fileId: `FILE${nextFileId++}`, fileName: upload.filename, content: upload.content };
    const message = newBotMessage(api, c, params, {
      document,
      ...(params.caption !== undefined ? { caption: params.caption } : {}),
      ...(captionEntities ? { captionEntities } : {}),
    });
    return toApiMessage(c, message);
  },

  editMessageText: ({ params, chat }) => {
    const c = chat(params.chat_id);
    const m = editableMessage(c, params.message_id);
    if (m.text === undefined) throw new BadRequest('Bad Request: there is no text in the message to edit');
    const entities = checkText(params.text, params.entities);
    // Without reply_markup an edit removes the inline keyboard, as Telegram does.
    const next = { text: params.text as string, entities, replyMarkup: params.reply_markup };
    if (sameContent(m, next)) throw new BadRequest(NOT_MODIFIED);
    m.text = next.text;
    setOrDelete(m, 'entities', entities);
    setOrDelete(m, 'replyMarkup', next.replyMarkup);
    m.edits++;
    return toApiMessage(c, m);
  },

  editMessageReplyMarkup: ({ params, chat }) => {
    const c = chat(params.chat_id);
    const m = editableMessage(c, params.message_id);
    if (sameContent(m, { ...m, replyMarkup: params.reply_markup })) throw new BadRequest(NOT_MODIFIED);
    setOrDelete(m, 'replyMarkup', params.reply_markup);
    m.edits++;
    return toApiMessage(c, m);
  },

  sendMessageDraft: ({ params, chat }) => {
    const c = chat(params.chat_id);
    if (c.info.type !== 'private') throw new BadRequest('Bad Request: TEXTDRAFT_PEER_INVALID');
    const draftId = Number(params.draft_id);
    if (!Number.isInteger(draftId) || draftId === 0) throw new BadRequest('Bad Request: draft_id must be non-zero');
    const entities = checkText(params.text, params.entities);
    const threadId = params.message_thread_id === undefined ? undefined : Number(params.message_thread_id);
    c.drafts = c.drafts.filter((d) => d.draftId !== draftId);
    c.drafts.push({ draftId, text: params.text, ...(entities ? { entities } : {}), ...(threadId !== undefined ? { threadId } : {}) });
    return true;
  },

  deleteMessage: ({ params, chat }) => {
    const c = chat(params.chat_id);
    const m = c.messages.find((x) => x.messageId === Number(params.message_id) && !x.deleted);
    if (!m) throw new BadRequest('Bad Request: message to delete not found');
    m.deleted = true;
    return true;
  },

  sendChatAction: ({ params, chat }) => {
    const c = chat(params.chat_id);
    if (typeof params.action !== 'string') throw new BadRequest('Bad Request: wrong parameter action in request');
    c.typingUntil = performance.now() + 5000;
    return true;
  },

  answerCallbackQuery: ({ params, callbackQueries }) => {
    const query = callbackQueries.get(String(params.callback_query_id));
    if (!query || query.answered) {
      throw new BadRequest('Bad Request: query is too old and response timeout expired or query ID is invalid');
    }
    query.answered = {
      ...(params.text !== undefined ? { text: params.text } : {}),
      ...(params.show_alert !== undefined ? { show_alert: params.show_alert } : {}),
    };
    return true;
  },

  setMyCommands: ({ api, params }) => {
    const commands = params.commands;
    if (!Array.isArray(commands) || commands.length > 100) throw new BadRequest('Bad Request: commands must be an array of at most 100');
    for (const c of commands) {
      if (!COMMAND.test(c?.command ?? '')) throw new BadRequest('Bad Request: BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
        throw new BadRequest('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    api.commands.set(commandsKey(params), commands);
    return true;
  },

  getMyCommands: ({ api, params }) => api.commands.get(commandsKey(params)) ?? [],
};

function commandsKey(params: Record<string, any>): string {
  return `${JSON.stringify(params.scope ?? { type: 'default' })}|${params.language_code ?? ''}`;
}

function newBotMessage(api: FakeBotApi, chat: ChatState, params: Record<string, any>, content: Partial<VisibleMessage>): VisibleMessage {
  const replyTo = params.reply_parameters?.message_id ?? params.reply_to_message_id;
  const message: VisibleMessage = {
    messageId: chat.nextMessageId++,
    fromBot: true,
    from: api.bot,
    deleted: false,
    editable: true,
    edits: 0,
    date: Math.floor(Date.now() / 1000),
    ...content,
    ...(params.reply_markup !== undefined ? { replyMarkup: params.reply_markup } : {}),
    ...(params.message_thread_id !== undefined ? { threadId: Number(params.message_thread_id) } : {}),
    ...(replyTo !== undefined ? { replyToMessageId: Number(replyTo) } : {}),
  };
  chat.messages.push(message);
  return message;
}

function editableMessage(chat: ChatState, messageId: unknown): VisibleMessage {
  const m = chat.messages.find((x) => x.messageId === Number(messageId));
  if (!m || m.deleted) throw new BadRequest('Bad Request: message to edit not found');
  if (!m.fromBot || !m.editable) throw new BadRequest("Bad Request: message can't be edited");
  return m;
}

function setOrDelete<K extends 'entities' | 'replyMarkup'>(m: VisibleMessage, key: K, value: VisibleMessage[K] | undefined): void {
  if (value === undefined) delete m[key];
  else m[key] = value;
}

