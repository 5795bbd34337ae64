// Token frames are filled into a template instead of stringifying a chunk per token; they must
// be byte for byte what sse.ts would have written, whatever the model sends.

import { describe, expect, it } from 'vitest';
import { frameTemplate, jsonString, slot } from '../../src/serve/frames.js';
import { sseData, sseEvent } from '../../src/stream/sse.js';

const NASTY = ['', 'plain', '"quoted"\\', 'line\nbreak\r\n', '\u2028\u2029\u0085', 'data: [DONE]', ':', '\u0000\u001b[31m', '🚀 naïve', '\ud800 lone', 'hermes-slot-0'];

describe('frame templates', () => {
  it('a chat content frame equals sseData of the whole chunk', () => {
    const chunk = (content: string) => ({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'hermes', choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] });
    const fill = frameTemplate(sseData(chunk(slot(0))));
    for (const text of NASTY) expect(fill(jsonString(text))).toBe(sseData(chunk(text)));
  });

  it('a Responses delta frame with two slots equals sseEvent of the whole event', () => {
    const event = (delta: string, sequence: number | string) => ({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta, logprobs: [], sequence_number: sequence });
    const fill = frameTemplate(sseEvent('response.output_text.delta', event(slot(0), slot(1))));
    NASTY.forEach((text, i) => expect(fill(jsonString(text), String(i * 7))).toBe(sseEvent('response.output_text.delta', event(text, i * 7))));
  });
});
