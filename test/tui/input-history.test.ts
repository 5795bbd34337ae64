import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputHistory } from '../../src/tui/input-history.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hermes-history-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('InputHistory', () => {
  it('walks back with Up and restores the draft when walking down past the newest', () => {
    const history = new InputHistory(undefined);
    history.add('first');
    history.add('second');
    expect(history.previous('half-typed')).toBe('second');
    expect(history.previous('second')).toBe('first');
    expect(history.previous('first')).toBeUndefined(); // nothing older: stays on "first"
    expect(history.next()).toBe('second');
    expect(history.next()).toBe('half-typed');
    expect(history.next()).toBeUndefined();
    // Walking again starts from the newest and keeps the new draft.
    expect(history.previous('other draft')).toBe('second');
    expect(history.next()).toBe('other draft');
  });

  it('does not add an entry equal to the last one, nor blank entries', () => {
    const history = new InputHistory(undefined);
    history.add('same');
    history.add('same');
    history.add('   ');
    history.add('other');
    history.add('same');
    expect(history.entries).toEqual(['same', 'other', 'same']);
  });

  it('keeps at most `limit` entries', () => {
    const history = new InputHistory(undefined, 2);
    for (const entry of ['a', 'b', 'c']) history.add(entry);
    expect(history.entries).toEqual(['b', 'c']);
  });

  it('persists across instances, multi-line entries included', () => {
    const file = join(dir, 'nested', 'history.jsonl');
    const first = new InputHistory(file);
    first.load();
    first.add('hello');
    first.add('line one\nline two\n  indented "quoted"');

    const second = new InputHistory(file);
    second.load();
    expect(second.entries).toEqual(['hello', 'line one\nline two\n  indented "quoted"']);
    expect(second.previous('')).toBe('line one\nline two\n  indented "quoted"');
    // One JSON document per line on disk.
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('skips a corrupt line and keeps the rest, and appends after a torn last line', () => {
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, '{"text":"good one"}\n{"text": "torn\nnot json at all\n{"text":42}\n{"text":"good two"}\n{"text":"half');
    const history = new InputHistory(file);
    history.load();
    expect(history.entries).toEqual(['good one', 'good two']);
    history.add('after');
    const again = new InputHistory(file);
    again.load();
    expect(again.entries).toEqual(['good one', 'good two', 'after']);
  });

  it('works in memory when the file cannot be written, without throwing', () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const history = new InputHistory(join(blocker, 'history.jsonl')); // parent is a file
    expect(() => history.load()).not.toThrow();
    expect(() => history.add('kept anyway')).not.toThrow();
    expect(history.previous('')).toBe('kept anyway');
  });

  // root writes through file modes, so this only means something for other users
  it.skipIf(process.getuid?.() === 0)('survives a read-only history file', () => {
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, '{"text":"old"}\n');
    chmodSync(file, 0o400);
    const history = new InputHistory(file);
    history.load();
    expect(() => history.add('new')).not.toThrow();
    expect(history.entries).toEqual(['old', 'new']);
  });

  it('compacts a file that grew far past the limit', () => {
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `e${i}` })).join('\n') + '\n');
    const history = new InputHistory(file, 10);
    history.load();
    expect(history.entries).toEqual(Array.from({ length: 10 }, (_, i) => `e${40 + i}`));
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(10);
  });
});
