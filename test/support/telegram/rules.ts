// Telegram's own rules for message text, as the Bot API enforces them, with its error wording.
// Lengths and entity offsets are UTF-16 code units (JavaScript string length).

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  user?: unknown;
  custom_emoji_id?: string;
}

export const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const ENTITY_TYPES = new Set([
  'mention', 'hashtag', 'cashtag', 'bot_command', 'url', 'email', 'phone_number', 'bold', 'italic',
  'underline', 'strikethrough', 'spoiler', 'blockquote', 'expandable_blockquote', 'code', 'pre',
  'text_link', 'text_mention', 'custom_emoji',
]);

export class BadRequest extends Error {
  constructor(readonly description: string, readonly errorCode = 400) {
    super(description);
  }
}

/** Throws BadRequest unless text (and its entities) is what Telegram accepts as a message text. */
export function checkText(text: unknown, entities: unknown, kind: 'text' | 'caption' = 'text'): MessageEntity[] | undefined {
  if (kind === 'text') {
    if (typeof text !== 'string' || text.trim() === '') throw new BadRequest('Bad Request: message text is empty');
    if (text.length > MAX_TEXT) throw new BadRequest('Bad Request: message is too long');
  } else if (text !== undefined) {
    if (typeof text !== 'string') throw new BadRequest('Bad Request: caption must be a string');
    if (text.length > MAX_CAPTION) throw new BadRequest('Bad Request: message caption is too long');
  }
  return checkEntities(typeof text === 'string' ? text : '', entities);
}

function checkEntities(text: string, entities: unknown): MessageEntity[] | undefined {
  if (entities === undefined) return undefined;
  if (!Array.isArray(entities)) throw new BadRequest("Bad Request: can't parse entities JSON object");
  for (const [i, e] of entities.entries()) {
    const where = `can't parse entities: entity ${i}`;
    if (typeof e !== 'object' || e === null || !ENTITY_TYPES.has(e.type)) {
      throw new BadRequest(`Bad Request: ${where} has unsupported type`);
    }
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset < 0 || e.length <= 0) {
      throw new BadRequest(`Bad Request: ${where} has invalid offset or length`);
    }
    if (e.offset + e.length > text.length) {
      throw new BadRequest(`Bad Request: ${where} ends at UTF-16 offset ${e.offset + e.length} beyond the text (${text.length})`);
    }
    if (splitsSurrogatePair(text, e.offset) || splitsSurrogatePair(text, e.offset + e.length)) {
      throw new BadRequest(`Bad Request: ${where} boundary is inside a surrogate pair`);
    }
    if (e.type === 'text_link' && (typeof e.url !== 'string' || !/^(https?|tg|ftp):\/\/\S/i.test(e.url))) {
      throw new BadRequest(`Bad Request: ${where}: wrong HTTP URL`);
    }
    if (e.type === 'pre' && e.language !== undefined && typeof e.language !== 'string') {
      throw new BadRequest(`Bad Request: ${where}: language must be a string`);
    }
  }
  return entities as MessageEntity[];
}

function splitsSurrogatePair(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/** Telegram compares content and markup; an absent markup equals an empty keyboard. */
export function sameContent(
  a: { text?: string; entities?: MessageEntity[]; replyMarkup?: unknown },
  b: { text?: string; entities?: MessageEntity[]; replyMarkup?: unknown },
): boolean {
  return (
    a.text === b.text &&
    canonical(a.entities ?? []) === canonical(b.entities ?? []) &&
    canonical(markupOrNone(a.replyMarkup)) === canonical(markupOrNone(b.replyMarkup))
  );
}

function markupOrNone(markup: unknown): unknown {
  const rows = (markup as { inline_keyboard?: unknown[] } | undefined)?.inline_keyboard;
  return rows && rows.length > 0 ? markup : null;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v,
  );
}
