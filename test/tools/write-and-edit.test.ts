import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/agent/tools/diff.js';
import { editFileTool } from '../../src/agent/tools/edit-file.js';
import { writeFileTool } from '../../src/agent/tools/write-file.js';
import { contextFor, tempFolder } from './helpers.js';

const read = (cwd: string, name: string): string => fs.readFileSync(path.join(cwd, name), 'utf8');

describe('unified diff', () => {
  it('shows a one-line change with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff(before, after, { path: 'x.txt' })).toBe(
      ['--- a/x.txt', '+++ b/x.txt', '@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h'].join('\n'),
    );
  });

  it('splits distant changes into hunks and joins close ones', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `l${i + 1}`);
    const changed = [...lines];
    changed[1] = 'X2';
    changed[25] = 'X26';
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`, { path: 'f' });
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -23,7 +23,7 @@']);
  });

  it('diffs insertions and deletions minimally', () => {
    const diff = unifiedDiff('one\ntwo\nthree\n', 'zero\none\nthree\nfour\n', { path: 'f' });
    expect(diff.split('\n').slice(2)).toEqual(['@@ -1,3 +1,4 @@', '+zero', ' one', '-two', ' three', '+four']);
  });

  it('shows a new file against /dev/null and marks a missing final newline', () => {
    expect(unifiedDiff('', 'hello', { path: 'n.txt', created: true })).toBe(
      ['--- /dev/null', '+++ b/n.txt', '@@ -0,0 +1 @@', '+hello', '\\ No newline at end of file'].join('\n'),
    );
    expect(unifiedDiff('x\n', 'x', { path: 'f' }).split('\n').slice(2)).toEqual(['@@ -1 +1 @@', '-x', '+x', '\\ No newline at end of file']);
  });

  it('is empty for equal texts and cut at maxLines', () => {
    expect(unifiedDiff('same', 'same', { path: 'f' })).toBe('');
    const many = Array.from({ length: 100 }, (_, i) => `n${i}`).join('\n');
    // body: one hunk header, 100 lines, the no-newline marker = 102 lines
    const diff = unifiedDiff('', many, { path: 'f', created: true, maxLines: 10 });
    expect(diff.split('\n')).toHaveLength(13);
    expect(diff.split('\n').at(-1)).toBe('… 92 more diff lines');
  });

  it('handles a complete rewrite of a large file', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `old ${i}`).join('\n');
    const b = Array.from({ length: 3000 }, (_, i) => `new ${i}`).join('\n');
    const diff = unifiedDiff(a, b, { path: 'big' });
    expect(diff.split('\n').filter((l) => l.startsWith('-old')).length).toBe(3000);
    expect(diff.split('\n').filter((l) => l.startsWith('+new')).length).toBe(3000);
  });
});

describe('write_file', () => {
  it('creates a file with its parent folders', async () => {
    const cwd = tempFolder();
    const result = await writeFileTool.run({ path: 'deep/er/new.txt', content: 'one\ntwo\n' }, contextFor(cwd));
    expect(result).toEqual({ content: 'created deep/er/new.txt (2 lines, 8 bytes)' });
    expect(read(cwd, 'deep/er/new.txt')).toBe('one\ntwo\n');
  });

  it('overwrites an existing file, and writes empty content', async () => {
    const cwd = tempFolder({ 'a.txt': 'old' });
    expect((await writeFileTool.run({ path: 'a.txt', content: 'new' }, contextFor(cwd))).content).toBe('overwrote a.txt (1 line, 3 bytes)');
    expect(read(cwd, 'a.txt')).toBe('new');
    expect((await writeFileTool.run({ path: 'a.txt', content: '' }, contextFor(cwd))).content).toBe('overwrote a.txt (0 lines, 0 bytes)');
    expect(read(cwd, 'a.txt')).toBe('');
  });

  it('previews the change as a diff without writing', async () => {
    const cwd = tempFolder({ 'a.txt': 'keep\nold\n' });
    const preview = await writeFileTool.access.preview!({ path: 'a.txt', content: 'keep\nnew\n' }, contextFor(cwd));
    expect(preview).toEqual({ diff: ['--- a/a.txt', '+++ b/a.txt', '@@ -1,2 +1,2 @@', ' keep', '-old', '+new'].join('\n') });
    expect(await writeFileTool.access.preview!({ path: 'b.txt', content: 'x\n' }, contextFor(cwd))).toEqual({
      diff: ['--- /dev/null', '+++ b/b.txt', '@@ -0,0 +1 @@', '+x'].join('\n'),
    });
    expect(read(cwd, 'a.txt')).toBe('keep\nold\n');
    expect(fs.existsSync(path.join(cwd, 'b.txt'))).toBe(false);
  });

  it('refuses a folder path and missing arguments', async () => {
    const cwd = tempFolder({ 'dir/': '' });
    expect(await writeFileTool.run({ path: 'dir', content: 'x' }, contextFor(cwd))).toEqual({ content: 'dir is a folder; give a file path', isError: true });
    expect(await writeFileTool.run({ path: 'x.txt' }, contextFor(cwd))).toEqual({ content: 'missing required parameter "content"', isError: true });
    expect(await writeFileTool.run({ path: 'x.txt', content: 42 }, contextFor(cwd))).toEqual({ content: 'parameter "content" must be a string', isError: true });
  });

  it('reports a file system error as a result, not a throw', async () => {
    const cwd = tempFolder({ 'file.txt': 'x' });
    const result = await writeFileTool.run({ path: 'file.txt/inside.txt', content: 'x' }, contextFor(cwd));
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/not a directory|already exists|EEXIST/i);
  });
});

describe('edit_file', () => {
  const source = 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 1;\n}\n';

  it('replaces a unique snippet and returns a short diff', async () => {
    const cwd = tempFolder({ 'f.ts': source });
    const result = await editFileTool.run({ path: 'f.ts', old_string: 'function b() {\n  return 1;', new_string: 'function b() {\n  return 2;' }, contextFor(cwd));
    expect(result.isError).toBeUndefined();
    expect(result.content).toBe(
      ['edited f.ts', '--- a/f.ts', '+++ b/f.ts', '@@ -3,5 +3,5 @@', ' }', ' ', ' function b() {', '-  return 1;', '+  return 2;', ' }'].join('\n'),
    );
    expect(read(cwd, 'f.ts')).toBe(source.replace('b() {\n  return 1;', 'b() {\n  return 2;'));
  });

  it('fails when the snippet is not unique, saying how many places and where', async () => {
    const cwd = tempFolder({ 'f.ts': source });
    const result = await editFileTool.run({ path: 'f.ts', old_string: 'return 1;', new_string: 'return 3;' }, contextFor(cwd));
    expect(result).toEqual({
      content: 'old_string matches 2 places in f.ts (lines 2, 6); it must match exactly one: include more of the surrounding lines',
      isError: true,
    });
    expect(read(cwd, 'f.ts')).toBe(source);
  });

  it('fails when the snippet is missing', async () => {
    const cwd = tempFolder({ 'f.ts': source });
    const result = await editFileTool.run({ path: 'f.ts', old_string: 'return 9;', new_string: 'x' }, contextFor(cwd));
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^old_string was not found in f.ts; it must match the file exactly/);
    expect(read(cwd, 'f.ts')).toBe(source);
  });

  it('refuses an empty or unchanged snippet, a missing file and a binary file', async () => {
    const cwd = tempFolder({ 'f.ts': source, 'bin.dat': Buffer.from([1, 0, 2, 0]) });
    const ctx = contextFor(cwd);
    expect((await editFileTool.run({ path: 'f.ts', old_string: '', new_string: 'x' }, ctx)).content).toMatch(/^old_string is empty/);
    expect((await editFileTool.run({ path: 'f.ts', old_string: 'a', new_string: 'a' }, ctx)).content).toBe('old_string and new_string are the same; nothing would change');
    expect(await editFileTool.run({ path: 'nope.ts', old_string: 'a', new_string: 'b' }, ctx)).toEqual({ content: 'file not found: nope.ts (use write_file to create it)', isError: true });
    expect((await editFileTool.run({ path: 'bin.dat', old_string: 'a', new_string: 'b' }, ctx)).content).toBe('bin.dat looks like a binary file (4 bytes); edit_file only edits text');
  });

  it('inserts replacement text literally ($& and $1 are not patterns)', async () => {
    const cwd = tempFolder({ 'p.txt': 'price: X\n' });
    await editFileTool.run({ path: 'p.txt', old_string: 'X', new_string: '$& $1 $$' }, contextFor(cwd));
    expect(read(cwd, 'p.txt')).toBe('price: $& $1 $$\n');
  });

  it('matches a snippet written with \\n in a file with \\r\\n line endings, keeping them', async () => {
    const cwd = tempFolder({ 'w.txt': 'one\r\ntwo\r\nthree\r\n' });
    const result = await editFileTool.run({ path: 'w.txt', old_string: 'one\ntwo', new_string: 'one\n2' }, contextFor(cwd));
    expect(result.isError).toBeUndefined();
    expect(read(cwd, 'w.txt')).toBe('one\r\n2\r\nthree\r\n');
  });

  it('previews the diff without writing, and previews a failure as an error', async () => {
    const cwd = tempFolder({ 'f.ts': source });
    const ok = await editFileTool.access.preview!({ path: 'f.ts', old_string: 'function a()', new_string: 'function first()' }, contextFor(cwd));
    expect(ok).toEqual({ diff: ['--- a/f.ts', '+++ b/f.ts', '@@ -1,4 +1,4 @@', '-function a() {', '+function first() {', '   return 1;', ' }', ' '].join('\n') });
    expect(read(cwd, 'f.ts')).toBe(source);
    const bad = await editFileTool.access.preview!({ path: 'f.ts', old_string: 'return 1;', new_string: 'x' }, contextFor(cwd));
    expect(bad).toEqual({ error: expect.stringContaining('matches 2 places') });
  });
});
