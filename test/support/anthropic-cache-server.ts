// An Anthropic Messages server on loopback that simulates prompt caching the way the API
// bills it: a request is the sequence tools -> system -> messages, each block counted at four
// characters a token; the longest prefix of an earlier request that ended at one of that
// request's cache_control breakpoints is read from the cache; from there up to this request's
// last breakpoint is written to it; the rest is plain input. Usage reports exactly that split.

import { createHash } from 'node:crypto';
import { startLoopback, type LoopbackServer, type RecordedRequest, type Step } from './loopback.js';

export interface CacheUsage {
  input: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface CachingServer extends LoopbackServer {
  usage: CacheUsage[];
  /** Billed input in units of one plain input token: reads at 0.1x, writes at 1.25x. */
  billed(): number;
}

interface Block {
  hash: string;
  tokens: number;
  breakpoint: boolean;
}

/** The request as the cache sees it: every block with the running hash of the prefix it ends. */
export function cacheBlocks(json: any): Block[] {
  const parts: { value: unknown; breakpoint: boolean }[] = [];
  for (const tool of json.tools ?? []) parts.push({ value: { ...tool, cache_control: undefined }, breakpoint: tool.cache_control !== undefined });
  const system = typeof json.system === 'string' ? [{ type: 'text', text: json.system }] : (json.system ?? []);
  for (const block of system) parts.push({ value: { ...block, cache_control: undefined }, breakpoint: block.cache_control !== undefined });
  for (const message of json.messages ?? []) {
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of content) parts.push({ value: { role: message.role, ...block, cache_control: undefined }, breakpoint: block.cache_control !== undefined });
  }
  const hash = createHash('sha256');
  return parts.map(({ value, breakpoint }) => {
    const text = JSON.stringify(value);
    hash.update(text);
    return { hash: hash.copy().digest('hex'), tokens: Math.ceil(text.length / 4), breakpoint };
  });
}

export async function startCachingServer(answer: (request: RecordedRequest) => Step): Promise<CachingServer> {
  const cached = new Set<string>();
  const usage: CacheUsage[] = [];
  const server = await startLoopback((_n, request) => {
    const blocks = cacheBlocks(request.json);
    let total = 0;
    let read = 0;
    let lastBreakpoint = 0;
    for (const block of blocks) {
      total += block.tokens;
      if (cached.has(block.hash)) read = total;
      if (block.breakpoint) lastBreakpoint = total;
    }
    const write = Math.max(0, lastBreakpoint - read);
    for (const block of blocks) if (block.breakpoint) cached.add(block.hash);
    const counted = { input: total - read - write, cacheRead: read, cacheWrite: write };
    usage.push(counted);
    const step = answer(request);
    if (step.kind === 'stream') {
      step.chunks = step.chunks.map((chunk) =>
        typeof chunk !== 'string'
          ? chunk
          : chunk
              .replace(/"input_tokens":\d+/g, `"input_tokens":${counted.input}`)
              .replace(/"cache_creation_input_tokens":\d+/g, `"cache_creation_input_tokens":${counted.cacheWrite}`)
              .replace(/"cache_read_input_tokens":\d+/g, `"cache_read_input_tokens":${counted.cacheRead}`),
      );
    }
    return step;
  });
  return Object.assign(server, {
    usage,
    billed: () => usage.reduce((sum, u) => sum + u.input + 0.1 * u.cacheRead + 1.25 * u.cacheWrite, 0),
  });
}
