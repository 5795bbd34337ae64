import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../src/stream/line-buffer.js';

describe('LineBuffer', () => {
  it('returns lines as the delta that finishes them arrives', () => {
    const b = new LineBuffer();
    expect(b.push('Hel')).toEqual([]);
    expect(b.tail).toBe('Hel');
    expect(b.push('lo\nwor')).toEqual(['Hello']);
    expect(b.tail).toBe('wor');
    expect(b.push('ld\n')).toEqual(['world']);
    expect(b.tail).toBe('');
    expect(b.flush()).toBeUndefined();
  });

  it('returns several lines from one delta, including empty ones', () => {
    const b = new LineBuffer();
    b.push('a');
    expect(b.push('b\n\nc\nd')).toEqual(['ab', '', 'c']);
    expect(b.push('\n')).toEqual(['d']);
    expect(b.push('\n\n')).toEqual(['', '']);
  });

  it('flushes the unfinished line once', () => {
    const b = new LineBuffer();
    b.push('done\nno newline at the end');
    expect(b.flush()).toBe('no newline at the end');
    expect(b.flush()).toBeUndefined();
    expect(b.tail).toBe('');
    expect(b.push('next\n')).toEqual(['next']);
  });

  it('ignores empty deltas', () => {
    const b = new LineBuffer();
    expect(b.push('')).toEqual([]);
    expect(b.flush()).toBeUndefined();
  });

  it('rebuilds the text exactly, whatever the split', () => {
    const text = 'first line\n\nsecond 👋 line\nthird\n\nlast';
    for (let size = 1; size <= 7; size++) {
      const b = new LineBuffer();
      const lines: string[] = [];
      for (let i = 0; i < text.length; i += size) lines.push(...b.push(text.slice(i, i + size)));
      const rest = b.flush();
      expect([...lines, rest].join('\n')).toBe(text);
      expect(lines).toEqual(['first line', '', 'second 👋 line', 'third', '']);
    }
  });

  it('keeps a long unfinished line across many small deltas', () => {
    const b = new LineBuffer();
    for (let i = 0; i < 10_000; i++) expect(b.push('x')).toEqual([]);
    expect(b.tail.length).toBe(10_000);
    expect(b.push('\n')).toEqual(['x'.repeat(10_000)]);
  });
});
