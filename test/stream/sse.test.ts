import { describe, expect, it } from 'vitest';
import { sseComment, sseData, sseEvent } from '../../src/stream/sse.js';

/** A minimal SSE client parse: events end at a blank line, fields at a line break. */
function parseEvents(stream: string): Array<{ event?: string; data: string }> {
  const events: Array<{ event?: string; data: string }> = [];
  for (const block of stream.split('\n\n')) {
    if (block === '') continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r\n|\r|\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (name === 'event') event = value;
      if (name === 'data') data.push(value);
    }
    if (data.length > 0) events.push(event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') });
  }
  return events;
}

describe('sse', () => {
  it('frames a JSON payload as one data line', () => {
    expect(sseData({ a: 1 })).toBe('data: {"a":1}\n\n');
  });

  it('writes a string payload as-is', () => {
    expect(sseData('[DONE]')).toBe('data: [DONE]\n\n');
  });

  it('splits a multi-line string payload into data lines the client joins back', () => {
    const out = sseData('line 1\nline 2\r\nline 3');
    expect(out).toBe('data: line 1\ndata: line 2\ndata: line 3\n\n');
    expect(parseEvents(out)).toEqual([{ data: 'line 1\nline 2\nline 3' }]);
  });

  it('never puts a raw line break inside JSON, and the payload survives the round trip', () => {
    const payload = { content: 'a\nb\r\nc\u2028d\u2029e\u0085f', nested: ['\n'] };
    for (const out of [sseData(payload), sseEvent('message', payload)]) {
      const body = out.slice(0, -2);
      expect(out.endsWith('\n\n')).toBe(true);
      expect(body).not.toMatch(/\n(?!data: )/);
      expect(out).not.toMatch(/[\r\u2028\u2029\u0085]/);
      const events = parseEvents(out);
      expect(events.length).toBe(1);
      expect(JSON.parse(events[0]?.data ?? '')).toEqual(payload);
    }
  });

  it('frames a named event', () => {
    expect(sseEvent('delta', { text: 'hi' })).toBe('event: delta\ndata: {"text":"hi"}\n\n');
    expect(sseEvent('ping', 'x')).toBe('event: ping\ndata: "x"\n\n');
    expect(sseEvent('done', undefined)).toBe('event: done\ndata: null\n\n');
  });

  it('keeps an event name on its line', () => {
    expect(sseEvent('a\nb', 1)).toBe('event: ab\ndata: 1\n\n');
  });

  it('frames comments, line by line', () => {
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(sseComment('a\nb')).toBe(': a\n: b\n\n');
    expect(parseEvents(sseComment('a\ndata: injected'))).toEqual([]);
  });

  it('keeps consecutive frames separate', () => {
    const stream = sseData({ n: 1 }) + sseComment('ka') + sseEvent('x', { n: 2 }) + sseData('[DONE]');
    expect(parseEvents(stream)).toEqual([{ data: '{"n":1}' }, { event: 'x', data: '{"n":2}' }, { data: '[DONE]' }]);
  });
});
