// Which output format a command line asks for, read before (and whether or not) it parses.

import { describe, expect, it } from 'vitest';
import { earlyFailureLines, requestedFormat } from '../../src/cli/early-failure.js';

describe('requestedFormat', () => {
  it('reads both spellings, the last valid one wins, nothing after --', () => {
    expect(requestedFormat(['-p', 'x'])).toBe('text');
    expect(requestedFormat(['--output-format', 'json', '--bogus'])).toBe('json');
    expect(requestedFormat(['--output-format=stream-json'])).toBe('stream-json');
    expect(requestedFormat(['--output-format', 'json', '--output-format', 'yaml'])).toBe('json');
    expect(requestedFormat(['--', '--output-format', 'json'])).toBe('text');
  });
});

describe('earlyFailureLines', () => {
  it('prints nothing for text, one result for json, an error and a result for stream-json', () => {
    expect(earlyFailureLines('text', 'usage', 'bad')).toEqual([]);
    expect(JSON.parse(earlyFailureLines('json', 'usage', 'bad')[0]!)).toMatchObject({ status: 'error', error: { kind: 'usage', message: 'bad' } });
    const [error, result] = earlyFailureLines('stream-json', 'config', 'no key').map((line) => JSON.parse(line));
    expect(error).toEqual({ type: 'error', kind: 'config', message: 'no key', partial: false });
    expect(result).toMatchObject({ type: 'result', status: 'error', error: { kind: 'config', message: 'no key' } });
  });
});
