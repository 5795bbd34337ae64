// What the fake Telegram holds: chats, the messages in them as a person would see them, the
// bot's drafts, and the queue of updates waiting for getUpdates.

import type { MessageEntity } from './rules.js';

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
  is_bot?: boolean;
}

export type ChatType = 'private' | 'group' | 'supergroup';

export interface ChatInfo {
  id: number;
  type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
  is_forum?: boolean;
}

export interface SentDocument {
  fileId: string;
  fileName: string;
  content: Buffer;
}

/** A message as the chat shows it now. */
export interface VisibleMessage {
  messageId: number;
  fromBot: boolean;
  from: FakeUser;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  captionEntities?: MessageEntity[];
  replyMarkup?: unknown;
  document?: SentDocument;
  threadId?: number;
  replyToMessageId?: number;
  deleted: boolean;
  /** false after makeUneditable(): editMessageText answers "message can't be edited". */
  editable: boolean;
  edits: number;
  date: number;
}

export interface Draft {
  draftId: number;
  threadId?: number;
  text: string;
  entities?: MessageEntity[];
}

export interface ChatState {
  info: ChatInfo;
  messages: VisibleMessage[];
  /** Drafts the bot is streaming (sendMessageDraft); a sent message replaces them. */
  drafts: Draft[];
  /** performance.now() until which "typing…" shows (sendChatAction lasts 5 s). */
  typingUntil: number;
  nextMessageId: number;
}

export function newChat(info: ChatInfo): ChatState {
  return { info, messages: [], drafts: [], typingUntil: 0, nextMessageId: 1 };
}

/** The Bot API's Message object for a stored message. */
export function toApiMessage(chat: ChatState, m: VisibleMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    message_id: m.messageId,
    from: { is_bot: m.fromBot, ...m.from },
    chat: chat.info,
    date: m.date,
  };
  if (m.threadId !== undefined) {
    out.message_thread_id = m.threadId;
    out.is_topic_message = true;
  }
  if (m.text !== undefined) out.text = m.text;
  if (m.entities?.length) out.entities = m.entities;
  if (m.caption !== undefined) out.caption = m.caption;
  if (m.captionEntities?.length) out.caption_entities = m.captionEntities;
  if (m.replyMarkup !== undefined) out.reply_markup = m.replyMarkup;
  if (m.edits > 0) out.edit_date = m.date;
  if (m.document) {
    out.document = {
      file_id: m.document.fileId,
      file_unique_id: m.document.fileId.slice(0, 8),
      file_name: m.document.fileName,
      file_size: m.document.content.length,
    };
  }
  if (m.replyToMessageId !== undefined) {
    const replied = chat.messages.find((r) => r.messageId === m.replyToMessageId);
    if (replied) out.reply_to_message = toApiMessage(chat, { ...replied, replyToMessageId: undefined });
  }
  return out;
}
