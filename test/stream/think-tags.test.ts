import { describe, expect, it } from 'vitest';
import { ThinkTagSplitter, thinkTagStart, type ThinkPart } from '../../src/stream/think-tags.js';

/** Feeds the deltas (taking the hot path where it applies, as the adapter does) and joins the output. */
function run(deltas: string[]): { text: string; reasoning: string; parts: ThinkPart[] } {
  const splitter = new ThinkTagSplitter();
  const parts: ThinkPart[] = [];
  for (const delta of deltas) {
    if (splitter.passthrough(delta)) parts.push({ kind: 'text', text: delta });
    else parts.push(...splitter.push(delta));
  }
  parts.push(...splitter.flush());
  let text = '';
  let reasoning = '';
  for (const part of parts) {
    if (part.kind === 'text') text += part.text;
    else reasoning += part.text;
  }
  return { text, reasoning, parts };
}

/** Every way of cutting `input` into pieces of `size` characters. */
function pieces(input: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < input.length; i += size) out.push(input.slice(i, i + size));
  return out;
}

describe('ThinkTagSplitter', () => {
  it('passes text without tags through unchanged', () => {
    expect(run(['Hello', ', world', '\n', 'bye'])).toMatchObject({ text: 'Hello, world\nbye', reasoning: '' });
  });

  it('routes a think block at the start of the content to reasoning and drops the blank lines after it', () => {
    expect(run(['<think>The user greets me.</think>\n\nHello!'])).toMatchObject({
      text: 'Hello!',
      reasoning: 'The user greets me.',
    });
  });

  it('gives the same result however the tags are split across deltas', () => {
    const input = '<think>Plan: say hi.\nThen stop.</think>\n\nHi there.\nUse a <think> tag? No.';
    for (let size = 1; size <= input.length; size++) {
      const result = run(pieces(input, size));
      expect({ size, text: result.text, reasoning: result.reasoning }).toEqual({
        size,
        text: 'Hi there.\nUse a <think> tag? No.',
        reasoning: 'Plan: say hi.\nThen stop.',
      });
    }
  });

  it('holds back a possible partial tag until the next delta decides it', () => {
    const splitter = new ThinkTagSplitter();
    expect(splitter.push('<thi')).toEqual([]);
    expect(splitter.push('nk>why')).toEqual([{ kind: 'reasoning', text: 'why' }]);
    expect(splitter.push(' not</th')).toEqual([{ kind: 'reasoning', text: ' not' }]);
    expect(splitter.push('ink>answer')).toEqual([{ kind: 'text', text: 'answer' }]);
  });

  it('releases a held-back prefix as text when it turns out not to be a tag', () => {
    expect(run(['<thi', 'ng> is not a tag'])).toMatchObject({ text: '<thing> is not a tag', reasoning: '' });
    expect(run(['<', 'b>bold</b>'])).toMatchObject({ text: '<b>bold</b>', reasoning: '' });
  });

  it('does not swallow prose that mentions the tag mid-line', () => {
    const prose = 'Models wrap thoughts in <think>…</think> tags.';
    expect(run([prose])).toMatchObject({ text: prose, reasoning: '' });
    expect(run(pieces(prose, 3))).toMatchObject({ text: prose, reasoning: '' });
    expect(run(['Hello ', '<think>x</think>'])).toMatchObject({ text: 'Hello <think>x</think>', reasoning: '' });
  });

  it('opens a block at the start of a line, after optional indentation', () => {
    expect(run(['Intro\n', '  <think>r', '</think>ok'])).toMatchObject({ text: 'Intro\n  ok', reasoning: 'r' });
    expect(run(['Intro\n<think>r</think>ok'])).toMatchObject({ text: 'Intro\nok', reasoning: 'r' });
  });

  it('keeps an unclosed block as reasoning when the content ends', () => {
    expect(run(['<think>still thinking', ' when cut off</thi'])).toMatchObject({
      text: '',
      reasoning: 'still thinking when cut off</thi',
    });
  });

  it('flushes a held-back partial opening tag as text', () => {
    expect(run(['Done.\n<thi'])).toMatchObject({ text: 'Done.\n<thi', reasoning: '' });
  });

  it('takes the allocation-free path only for plain text outside a block', () => {
    const splitter = new ThinkTagSplitter();
    expect(splitter.passthrough('plain')).toBe(true);
    expect(splitter.passthrough('a < b')).toBe(false);
    expect(splitter.push('\n<think>')).toEqual([{ kind: 'text', text: '\n' }]);
    expect(splitter.passthrough('inside')).toBe(false);
  });
});

describe('ThinkTagSplitter: implicit start (templates that open <think> in the prompt)', () => {
  function runFrom(start: 'implicit' | 'off', deltas: string[], leave = false) {
    const splitter = new ThinkTagSplitter(start);
    if (leave) splitter.leaveImplicit();
    const parts: ThinkPart[] = [];
    for (const delta of deltas) parts.push(...splitter.push(delta));
    const flushed = splitter.flush();
    const join = (list: ThinkPart[], kind: ThinkPart['kind']) => list.filter((p) => p.kind === kind).map((p) => p.text).join('');
    return { text: join(parts, 'text'), reasoning: join(parts, 'reasoning'), flushed };
  }

  it('streams everything before a bare </think> as reasoning, then text', () => {
    expect(runFrom('implicit', ['The user', ' greets me.', '</th', 'ink>\n\nHello', '!'])).toEqual({
      text: 'Hello!',
      reasoning: 'The user greets me.',
      flushed: [],
    });
  });

  it('consumes a <think> at the very start, however it is split', () => {
    const input = '<think>\nPlan.\n</think>\n\nAnswer <think> here.';
    for (let size = 1; size <= input.length; size++) {
      const result = runFrom('implicit', pieces(input, size));
      expect({ size, ...result }).toEqual({ size, text: 'Answer <think> here.', reasoning: '\nPlan.\n', flushed: [] });
    }
  });

  it('hands an implicit block that never closes back as one text part at the end', () => {
    const result = runFrom('implicit', ['Just an ', 'answer, no tags', ' <'], false);
    expect(result.reasoning).toBe('Just an answer, no tags ');
    expect(result.text).toBe('');
    expect(result.flushed).toEqual([{ kind: 'text', text: 'Just an answer, no tags <', retracted: 'Just an answer, no tags ' }]);
  });

  it('leaves the implicit state when the server separated the reasoning before any content', () => {
    expect(runFrom('implicit', ['Hello', ' there'], true)).toEqual({ text: 'Hello there', reasoning: '', flushed: [] });
  });

  it('"off" parses no tags at all', () => {
    expect(runFrom('off', ['<think>x</think>\n', 'y'])).toEqual({ text: '<think>x</think>\ny', reasoning: '', flushed: [] });
  });

  it('decides the start by the model name unless configured', () => {
    for (const model of ['qwen3:8b', 'Qwen/QwQ-32B', 'deepseek-r1-distill-llama-70b', 'deepseek/r1', 'kimi-k2-thinking']) {
      expect({ model, start: thinkTagStart(model) }).toEqual({ model, start: 'implicit' });
    }
    for (const model of ['gpt-4.1-mini', 'llama3.2', 'deepseek-chat', 'r1x-model', 'Qwen3-235B-A22B-Instruct-2507', 'qwen3-coder:30b']) expect({ model, start: thinkTagStart(model) }).toEqual({ model, start: 'text' });
    expect(thinkTagStart('llama3.2', 'implicit')).toBe('implicit');
    expect(thinkTagStart('qwen3', 'off')).toBe('off');
  });
});
