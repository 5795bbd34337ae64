// A loopback fake of the Telegram Bot API (node:http on 127.0.0.1) that the real grammY reaches
// through its `client.apiRoot` option: `${apiRoot}/bot${token}/${method}`, JSON bodies or
// multipart/form-data when a file is attached. It keeps Telegram's rules and error wording,
// records every call, and lets a test play the people in the chats (messages, button presses).

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { boundaryOf, parseMultipart, type UploadedFile } from './multipart.js';
import { ChatFlood, type FloodLimits } from './flood.js';
import { BadRequest } from './rules.js';
import { newChat, toApiMessage, type ChatInfo, type ChatState, type FakeUser, type VisibleMessage } from './state.js';
import { METHODS, type MethodContext } from './methods.js';
import { UpdateQueue } from './updates.js';

export type { ChatInfo, ChatState, FakeUser, VisibleMessage } from './state.js';
export type { FloodLimits } from './flood.js';
export type { MessageEntity } from './rules.js';

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface RecordedCall {
  method: string;
  params: Record<string, any>;
  /** performance.now() when the request was read. */
  at: number;
  chatId?: number;
  status: number;
  /** The JSON body the fake answered with. */
  response: { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: any };
}

export interface FakeBotApiOptions {
  token?: string;
  bot?: Partial<FakeUser>;
  /** Flood control (off by default). */
  flood?: FloodLimits;
}

export interface PushMessageOptions {
  /** Mention the bot (@username) at the start of the text, as people do in groups. */
  mention?: boolean;
  /** Reply to this message id (`true`: the bot's latest message in the chat). */
  replyTo?: number | true;
  /** Forum topic (message_thread_id) in a supergroup. */
  threadId?: number;
}

const BOT_METHODS_WITHOUT_CHAT = new Set(['getMe', 'getUpdates', 'answerCallbackQuery', 'setMyCommands', 'getMyCommands', 'deleteWebhook', 'getWebhookInfo', 'logOut', 'close']);

export class FakeBotApi {
  readonly token: string;
  readonly bot: FakeUser & { is_bot: true };
  /** Every call, in the order they arrived. */
  readonly calls: RecordedCall[] = [];
  flood: FloodLimits;
  readonly updates = new UpdateQueue();
  private readonly chats = new Map<number, ChatState>();
  private readonly floods = new Map<number, ChatFlood>();
  private readonly failures: { method: string; failure: ApiFailure | 'network'; chatId?: number }[] = [];
  private readonly callbackQueries = new Map<string, { answered?: { text?: string; show_alert?: boolean } }>();
  private readonly callWaiters: { test: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: http.Server;
  private nextCallbackId = 1;
  /** Bot commands per scope+language, as setMyCommands stored them. */
  readonly commands = new Map<string, unknown[]>();
  apiRoot = '';

  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? '7000001:FAKE-token_for-tests';
    this.bot = { id: Number(this.token.split(':')[0]) || 7000001, first_name: 'Hermes', username: 'hermes_test_bot', ...options.bot, is_bot: true };
    this.flood = options.flood ?? {};
  }

  async listen(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  // ---- the people in the chats -------------------------------------------------------------

  /** A private chat with this user (created on first use). */
  privateChat(user: FakeUser | number): ChatState {
    const u = asUser(user);
    return this.ensureChat({ id: u.id, type: 'private', first_name: u.first_name, ...(u.username ? { username: u.username } : {}) });
  }

  /** A group (negative id) or supergroup (id -100…), created on first use. */
  groupChat(chatId: number, type: 'group' | 'supergroup' = 'group', options: { title?: string; forum?: boolean } = {}): ChatState {
    return this.ensureChat({ id: chatId, type, title: options.title ?? `Group ${chatId}`, ...(options.forum ? { is_forum: true } : {}) });
  }

  /** A user writes to the bot in their private chat. Returns the message as stored. */
  pushPrivateMessage(user: FakeUser | number, text: string): VisibleMessage {
    return this.pushMessage(this.privateChat(user), asUser(user), text);
  }

  /** A user writes in a group; mention/replyTo make it addressed to the bot. */
  pushGroupMessage(chatId: number, user: FakeUser | number, text: string, options: PushMessageOptions = {}): VisibleMessage {
    const chat = this.chats.get(chatId) ?? this.groupChat(chatId, chatId < -1e12 ? 'supergroup' : 'group');
    return this.pushMessage(chat, asUser(user), options.mention ? `@${this.bot.username} ${text}` : text, options);
  }

  pushMessage(chat: ChatState, from: FakeUser, text: string, options: PushMessageOptions = {}): VisibleMessage {
    const replyTo = options.replyTo === true ? this.latestBotMessage(chat.info.id)?.messageId : options.replyTo;
    const message: VisibleMessage = {
      messageId: chat.nextMessageId++,
      fromBot: false,
      from,
      text,
      entities: userEntities(text),
      deleted: false,
      editable: false,
      edits: 0,
      date: Math.floor(Date.now() / 1000),
      ...(options.threadId !== undefined ? { threadId: options.threadId } : {}),
      ...(replyTo !== undefined ? { replyToMessageId: replyTo } : {}),
    };
    if (message.entities?.length === 0) delete message.entities;
    chat.messages.push(message);
    this.updates.push({ message: toApiMessage(chat, message) });
    return message;
  }

  /** A user presses an inline button under a bot message. Returns the callback query id. */
  pushCallbackQuery(user: FakeUser | number, chatId: number, messageId: number, data: string): string {
    const chat = this.requireChat(chatId);
    const message = chat.messages.find((m) => m.messageId === messageId);
    if (!message) throw new Error(`no message ${messageId} in chat ${chatId}`);
    const id = `cbq-${this.nextCallbackId++}`;
    this.callbackQueries.set(id, {});
    this.updates.push({
      callback_query: { id, from: { is_bot: false, ...asUser(user) }, message: toApiMessage(chat, message), chat_instance: `ci${chatId}`, data },
    });
    return id;
  }

  /** Any update object (update_id is assigned). */
  pushUpdate(update: Record<string, unknown>): number {
    return this.updates.push(update);
  }

  /** What answerCallbackQuery said to a button press (undefined while unanswered). */
  callbackAnswer(id: string): { text?: string; show_alert?: boolean } | undefined {
    return this.callbackQueries.get(id)?.answered;
  }

  // ---- what the chats show ------------------------------------------------------------------

  chat(chatId: number): ChatState {
    return this.requireChat(chatId);
  }

  /** The bot's messages that are still there, in order. */
  botMessages(chatId: number): VisibleMessage[] {
    return this.requireChat(chatId).messages.filter((m) => m.fromBot && !m.deleted);
  }

  latestBotMessage(chatId: number): VisibleMessage | undefined {
    return this.botMessages(chatId).at(-1);
  }

  /** The texts of the bot's live text messages, joined (how a reader sees a split answer). */
  chatTranscript(chatId: number, separator = ''): string {
    return this.botMessages(chatId)
      .filter((m) => m.text !== undefined)
      .map((m) => m.text)
      .join(separator);
  }

  /** Calls made to one chat (optionally one method). */
  callsTo(chatId: number, method?: string): RecordedCall[] {
    return this.calls.filter((c) => c.chatId === chatId && (method === undefined || c.method === method));
  }

  /** Resolves with the first call (past or future) that matches. */
  waitForCall(method: string, test: (c: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
    const match = (c: RecordedCall) => c.method === method && test(c);
    const seen = this.calls.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.callWaiters.push({ test: match, resolve }));
  }

  // ---- what a test makes go wrong -----------------------------------------------------------

  /** The next call of `method` (to chatId, if given) fails with this error, or drops its socket. */
  failNext(method: string, failure: ApiFailure | 'network', chatId?: number): void {
    this.failures.push({ method, failure, ...(chatId !== undefined ? { chatId } : {}) });
  }

  /** From now on editMessageText on this message answers "message can't be edited". */
  makeUneditable(chatId: number, messageId: number): void {
    this.requireMessage(chatId, messageId).editable = false;
  }

  /** Someone deletes a message (the bot's edits then find it gone). */
  deleteMessage(chatId: number, messageId: number): void {
    this.requireMessage(chatId, messageId).deleted = true;
  }

  async close(): Promise<void> {
    this.updates.closeAll();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the HTTP side ------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const url = new URL(req.url ?? '/', 'http://fake');
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!match) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = match as unknown as [string, string, string];
      let params: Record<string, any>;
      let files: Record<string, UploadedFile> = {};
      try {
        ({ params, files } = readParams(req, Buffer.concat(chunks), url));
      } catch {
        return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON object" });
      }
      const chatId = typeof params.chat_id === 'number' ? params.chat_id : params.chat_id !== undefined ? Number(params.chat_id) : undefined;
      const record = (status: number, response: RecordedCall['response']) => {
        const call: RecordedCall = { method, params, at, status, response, ...(chatId !== undefined ? { chatId } : {}) };
        this.calls.push(call);
        for (const w of [...this.callWaiters]) {
          if (w.test(call)) {
            this.callWaiters.splice(this.callWaiters.indexOf(w), 1);
            w.resolve(call);
          }
        }
        reply(res, status, response);
      };
      if (token !== this.token) return record(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const failure = this.takeFailure(method, chatId);
      if (failure === 'network') {
        this.calls.push({ method, params, at, status: 0, response: { ok: false, description: 'socket dropped' }, ...(chatId !== undefined ? { chatId } : {}) });
        return void req.socket.destroy();
      }
      if (failure) return record(failure.error_code, { ok: false, ...failure });
      const handler = METHODS[method];
      if (!handler) return record(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      const limited = this.floodCheck(method, chatId, at);
      if (limited !== undefined) {
        return record(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${limited}`, parameters: { retry_after: limited } });
      }
      const ctx: MethodContext = {
        api: this,
        params,
        files,
        chat: (id) => this.requireChatForApi(id),
        onClose: (fn) => res.on('close', fn),
        callbackQueries: this.callbackQueries,
      };
      Promise.resolve()
        .then(() => handler(ctx))
        .then(
          (result) => record(200, { ok: true, result }),
          (err) => {
            if (err instanceof BadRequest) record(err.errorCode, { ok: false, error_code: err.errorCode, description: err.description });
            else record(500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
          },
        );
    });
  }

  private floodCheck(method: string, chatId: number | undefined, now: number): number | undefined {
    if (chatId === undefined || BOT_METHODS_WITHOUT_CHAT.has(method)) return undefined;
    const chat = this.chats.get(chatId);
    if (!chat) return undefined;
    let flood = this.floods.get(chatId);
    if (!flood) this.floods.set(chatId, (flood = new ChatFlood()));
    const kind = method === 'sendMessageDraft' ? 'draft' : /^(send(Message|Document|Photo)|edit\w+)$/.test(method) ? 'message' : 'other';
    return flood.check(now, this.flood, kind, chat.info.type !== 'private');
  }

  private takeFailure(method: string, chatId: number | undefined): ApiFailure | 'network' | undefined {
    const i = this.failures.findIndex((f) => f.method === method && (f.chatId === undefined || f.chatId === chatId));
    if (i === -1) return undefined;
    return this.failures.splice(i, 1)[0]!.failure;
  }

  private ensureChat(info: ChatInfo): ChatState {
    let chat = this.chats.get(info.id);
    if (!chat) this.chats.set(info.id, (chat = newChat(info)));
    return chat;
  }

  private requireChat(chatId: number): ChatState {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`the fake Bot API has no chat ${chatId}`);
    return chat;
  }

  private requireChatForApi(chatId: unknown): ChatState {
    const chat = this.chats.get(Number(chatId));
    if (!chat) throw new BadRequest('Bad Request: chat not found');
    return chat;
  }

  private requireMessage(chatId: number, messageId: number): VisibleMessage {
    const m = this.requireChat(chatId).messages.find((x) => x.messageId === messageId);
    if (!m) throw new Error(`no message ${messageId} in chat ${chatId}`);
    return m;
  }
}

/** Starts a fake Bot API on 127.0.0.1 (a free port). */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  return new FakeBotApi(options).listen();
}

function asUser(user: FakeUser | number): FakeUser {
  return typeof user === 'number' ? { id: user, first_name: `User${user}` } : user;
}

/** The entities Telegram's clients attach to what people type: a leading /command, @mentions. */
function userEntities(text: string): { type: string; offset: number; length: number }[] {
  const out: { type: string; offset: number; length: number }[] = [];
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (command) out.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/(^|\s)(@[A-Za-z0-9_]{3,})/g)) {
    out.push({ type: 'mention', offset: m.index! + m[1]!.length, length: m[2]!.length });
  }
  return out;
}

function readParams(req: http.IncomingMessage, body: Buffer, url: URL): { params: Record<string, any>; files: Record<string, UploadedFile> } {
  const params: Record<string, any> = Object.fromEntries(url.searchParams);
  const boundary = boundaryOf(req.headers['content-type']);
  if (boundary) {
    const { fields, files } = parseMultipart(body, boundary);
    return { params: { ...params, ...fields }, files };
  }
  if (body.length > 0) Object.assign(params, JSON.parse(body.toString('utf8')));
  return { params, files: {} };
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
