import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseMessage } from '../../src/stream/sse-decode.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function decode(parts: Uint8Array[]): SseMessage[] {
  const decoder = new SseDecoder();
  const out: SseMessage[] = [];
  for (const part of parts) out.push(...decoder.push(part));
  out.push(...decoder.end());
  return out;
}

/** Every way of cutting the bytes in two gives the same messages. */
function expectSplitInvariant(text: string, expected: SseMessage[]): void {
  const all = bytes(text);
  expect(decode([all])).toEqual(expected);
  for (let cut = 0; cut <= all.length; cut++) {
    expect(decode([all.subarray(0, cut), all.subarray(cut)])).toEqual(expected);
  }
  expect(decode([...all].map((b) => Uint8Array.of(b)))).toEqual(expected);
}

describe('SseDecoder', () => {
  it('decodes data-only and named events, joining data lines with \\n', () => {
    expectSplitInvariant('data: {"a":1}\n\nevent: error\ndata: {"b":\ndata: 2}\n\n', [
      { event: undefined, data: '{"a":1}' },
      { event: 'error', data: '{"b":\n2}' },
    ]);
  });

  it('accepts \\r\\n and \\r line endings, also when split between chunks', () => {
    expectSplitInvariant('data: one\r\n\r\ndata: two\r\rdata: three\n\n', [
      { event: undefined, data: 'one' },
      { event: undefined, data: 'two' },
      { event: undefined, data: 'three' },
    ]);
  });

  it('skips comments, and keeps a value that is ":" or starts with "data:"', () => {
    expectSplitInvariant(': OPENROUTER PROCESSING\n\ndata::\n\ndata:data: x\n\n', [
      { event: undefined, data: ':' },
      { event: undefined, data: 'data: x' },
    ]);
  });

  it('keeps a multi-byte character whole when its bytes arrive in different chunks', () => {
    expectSplitInvariant('data: Olá 😊 €\n\n', [{ event: undefined, data: 'Olá 😊 €' }]);
  });

  it('drops an unterminated last message and an event name without data', () => {
    expect(decode([bytes('event: ping\n\ndata: cut off')])).toEqual([]);
  });

  it('decodes every recorded stream exactly as a line-by-line reading does', () => {
    const dir = new URL('../fixtures/streams/', import.meta.url);
    for (const folder of ['openai-chat', 'anthropic', 'openai-responses']) {
      for (const name of fs.readdirSync(new URL(`${folder}/`, dir)).filter((f) => f.endsWith('.sse'))) {
        const text = fs.readFileSync(new URL(`${folder}/${name}`, dir), 'utf8');
        const frames = text.split('\n\n').filter((f) => f.split('\n').some((l) => l.startsWith('data:')));
        const expected = frames.map((frame) => {
          const lines = frame.split('\n');
          const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
          return { event, data };
        });
        expect(decode([bytes(text)]), `${folder}/${name}`).toEqual(expected);
      }
    }
  });
});
