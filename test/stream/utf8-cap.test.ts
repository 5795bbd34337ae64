import { describe, expect, it } from 'vitest';
import { capUtf8 } from '../../src/stream/utf8-cap.js';

describe('capUtf8', () => {
  it('decodes input within the cap whole', () => {
    const data = Buffer.from('héllo 世界 👋', 'utf8');
    expect(capUtf8(data, data.length)).toEqual({ text: 'héllo 世界 👋', truncated: false });
    expect(capUtf8(data, 8 * 1024 * 1024)).toEqual({ text: 'héllo 世界 👋', truncated: false });
    expect(capUtf8(Buffer.alloc(0), 10)).toEqual({ text: '', truncated: false });
  });

  it('cuts ASCII exactly at the cap', () => {
    expect(capUtf8(Buffer.from('abcdef'), 4)).toEqual({ text: 'abcd', truncated: true });
  });

  it('never cuts inside a 2-, 3- or 4-byte character, at any cap', () => {
    const text = 'aé中👋bé中👋';
    const data = Buffer.from(text, 'utf8');
    for (let max = 0; max < data.length; max++) {
      const { text: out, truncated } = capUtf8(data, max);
      expect(truncated).toBe(true);
      expect(out).not.toContain('\ufffd');
      expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(max);
      // the longest whole-character prefix that fits, so nothing more is lost than needed
      expect(text.startsWith(out)).toBe(true);
      const next = [...text.slice(out.length)][0] ?? '';
      expect(Buffer.byteLength(out + next, 'utf8')).toBeGreaterThan(max);
    }
  });

  it('cuts invalid UTF-8 at the cap instead of searching backwards without end', () => {
    const data = Buffer.from([0x61, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]);
    const { text, truncated } = capUtf8(data, 6);
    expect(truncated).toBe(true);
    expect(text.startsWith('a')).toBe(true);
  });

  it('treats a zero or negative cap as "nothing"', () => {
    expect(capUtf8(Buffer.from('abc'), 0)).toEqual({ text: '', truncated: true });
    expect(capUtf8(Buffer.from('abc'), -1)).toEqual({ text: '', truncated: true });
  });
});
