// INTERIM: plain text until telegram-format.ts (branch gwformat) lands.
import type { MessageEntity } from 'grammy/types';

export function toTelegram(markdown: string): { text: string; entities: MessageEntity[] } {
  return { text: markdown, entities: [] };
}

export function splitHead(markdown: string, limit: number): { head: string; rest: string } | undefined {
  if (markdown.length <= limit) return undefined;
  const cut = markdown.lastIndexOf('\n', limit);
  const at = cut > 0 ? cut : limit;
  return { head: markdown.slice(0, at), rest: markdown.slice(at).replace(/^\n/, '') };
}
