// Anthropic prompt caching: cache_control breakpoints on the last system block (the tool
// definitions come before it in the cached prefix, so they are covered) and on the last block
// of each of the last two messages. The breakpoints roll forward with the conversation: each
// request's second-to-last breakpoint sits where the previous request's last one was, so the
// whole previous request is read from the cache and only the new turn is written.

import type { CacheControlEphemeral, ContentBlockParam, MessageCreateParamsBase, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

export type CacheTtl = '5m' | '1h';

/** At most four breakpoints are allowed; this uses three. */
const MESSAGE_BREAKPOINTS = 2;

export function withCacheBreakpoints(params: MessageCreateParamsBase, ttl: CacheTtl = '5m'): MessageCreateParamsBase {
  const control: CacheControlEphemeral = ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const out: MessageCreateParamsBase = { ...params };
  if (typeof params.system === 'string' && params.system) {
    out.system = [{ type: 'text', text: params.system, cache_control: control }];
  } else if (Array.isArray(params.system) && params.system.length > 0) {
    out.system = params.system.map((block, i, all): TextBlockParam => (i === all.length - 1 ? { ...block, cache_control: control } : block));
  } else if (params.tools && params.tools.length > 0) {
    out.tools = params.tools.map((tool, i, all) => (i === all.length - 1 ? { ...tool, cache_control: control } : tool));
  }
  let marked = 0;
  out.messages = [...params.messages];
  for (let i = out.messages.length - 1; i >= 0 && marked < MESSAGE_BREAKPOINTS; i--) {
    const message = markLastBlock(out.messages[i]!, control);
    if (message) {
      out.messages[i] = message;
      marked++;
    }
  }
  return out;
}

/** The message with cache_control on its last block, or undefined when no block may carry one. */
function markLastBlock(message: MessageParam, control: CacheControlEphemeral): MessageParam | undefined {
  const blocks: ContentBlockParam[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
  const last = blocks.at(-1);
  // Thinking blocks cannot be marked, nor can empty text.
  if (!last || last.type === 'thinking' || last.type === 'redacted_thinking' || (last.type === 'text' && !last.text)) return undefined;
  blocks[blocks.length - 1] = { ...last, cache_control: control } as ContentBlockParam;
  return { ...message, content: blocks } as MessageParam;
}
