import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_MAX_BYTES, READ_MAX_LINES, readFileTool } from '../../src/agent/tools/read-file.js';
import { contextFor, tempFolder } from './helpers.js';

const numbered = (n: number, text: string): string => `${String(n).padStart(6)}\t${text}`;

describe('read_file', () => {
  it('returns the file with line numbers', async () => {
    const cwd = tempFolder({ 'notes.txt': 'alpha\nbeta\ngamma\n' });
    const result = await readFileTool.run({ path: 'notes.txt' }, contextFor(cwd));
    expect(result.isError).toBeUndefined();
    expect(result.content).toBe([numbered(1, 'alpha'), numbered(2, 'beta'), numbered(3, 'gamma')].join('\n'));
  });

  it('keeps a last line without newline and drops carriage returns', async () => {
    const cwd = tempFolder({ 'win.txt': 'one\r\ntwo' });
    const result = await readFileTool.run({ path: 'win.txt' }, contextFor(cwd));
    expect(result.content).toBe([numbered(1, 'one'), numbered(2, 'two')].join('\n'));
  });

  it('returns a line range and says which lines of how many', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n');
    const cwd = tempFolder({ 'ten.txt': `${lines}\n` });
    const result = await readFileTool.run({ path: 'ten.txt', start_line: 3, end_line: '5' }, contextFor(cwd));
    expect(result.content).toBe([numbered(3, 'line 3'), numbered(4, 'line 4'), numbered(5, 'line 5'), '[lines 3-5 of 10]'].join('\n'));
  });

  it('caps a long file at the line limit and says where to read on', async () => {
    const total = READ_MAX_LINES + 500;
    const cwd = tempFolder({ 'long.txt': Array.from({ length: total }, (_, i) => `row ${i + 1}`).join('\n') });
    const result = await readFileTool.run({ path: 'long.txt' }, contextFor(cwd));
    const out = result.content.split('\n');
    expect(out).toHaveLength(READ_MAX_LINES + 1);
    expect(out[READ_MAX_LINES - 1]).toBe(numbered(READ_MAX_LINES, `row ${READ_MAX_LINES}`));
    expect(out.at(-1)).toContain(`showing lines 1-${READ_MAX_LINES} of ${total}`);
    expect(out.at(-1)).toContain(`start_line=${READ_MAX_LINES + 1}`);

    const next = await readFileTool.run({ path: 'long.txt', start_line: READ_MAX_LINES + 1 }, contextFor(cwd));
    expect(next.content.split('\n')[0]).toBe(numbered(READ_MAX_LINES + 1, `row ${READ_MAX_LINES + 1}`));
    expect(next.content).toContain(`[lines ${READ_MAX_LINES + 1}-${total} of ${total}]`);
  });

  it('caps at the byte limit before the line limit when lines are long', async () => {
    const line = 'x'.repeat(1000);
    const cwd = tempFolder({ 'wide.txt': Array.from({ length: 600 }, () => line).join('\n') });
    const result = await readFileTool.run({ path: 'wide.txt' }, contextFor(cwd));
    expect(Buffer.byteLength(result.content)).toBeLessThan(READ_MAX_BYTES + 500);
    expect(result.content).toMatch(/showing lines 1-\d+ of 600: output is capped/);
  });

  it('cuts a single enormous line', async () => {
    const cwd = tempFolder({ 'min.js': 'y'.repeat(50_000) });
    const result = await readFileTool.run({ path: 'min.js' }, contextFor(cwd));
    expect(result.content.length).toBeLessThan(2_100);
    expect(result.content).toContain('[line cut at 2000 characters]');
  });

  it('refuses a binary file with a clear message', async () => {
    const cwd = tempFolder({ 'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
    const result = await readFileTool.run({ path: 'image.png' }, contextFor(cwd));
    expect(result).toEqual({ content: 'image.png looks like a binary file (12 bytes); read_file only shows text', isError: true });
  });

  it('reads UTF-8 text with multi-byte characters whole', async () => {
    const cwd = tempFolder({ 'utf8.txt': 'héllo wörld — ✓ 日本語\n' });
    const result = await readFileTool.run({ path: 'utf8.txt' }, contextFor(cwd));
    expect(result.content).toBe(numbered(1, 'héllo wörld — ✓ 日本語'));
  });

  it('reports a missing file, a folder, a bad range and a missing path as errors', async () => {
    const cwd = tempFolder({ 'sub/': '', 'three.txt': 'a\nb\nc\n' });
    const ctx = contextFor(cwd);
    expect(await readFileTool.run({ path: 'nope.txt' }, ctx)).toEqual({ content: 'file not found: nope.txt', isError: true });
    expect((await readFileTool.run({ path: 'sub' }, ctx)).content).toBe('sub is a directory; use list_directory to see what it holds');
    expect((await readFileTool.run({ path: 'three.txt', start_line: 9 }, ctx)).content).toBe('start_line 9 is past the end of three.txt, which has 3 lines');
    expect((await readFileTool.run({ path: 'three.txt', start_line: 3, end_line: 2 }, ctx)).content).toBe('end_line (2) is before start_line (3)');
    expect((await readFileTool.run({ path: 'three.txt', start_line: 0 }, ctx)).content).toBe('parameter "start_line" must be a whole number of at least 1');
    expect(await readFileTool.run({}, ctx)).toEqual({ content: 'missing required parameter "path"', isError: true });
  });

  it('says so for an empty file', async () => {
    const cwd = tempFolder({ 'empty.txt': '' });
    expect((await readFileTool.run({ path: 'empty.txt' }, contextFor(cwd))).content).toBe('(empty.txt is empty)');
  });

  it('reads outside the working folder when run (approval is the registry’s job) and shows the absolute path', async () => {
    const outside = tempFolder({ 'secret.txt': 'outside\n' });
    const cwd = tempFolder();
    const result = await readFileTool.run({ path: path.join(outside, 'secret.txt'), start_line: 2 }, contextFor(cwd));
    expect(result.content).toBe(`start_line 2 is past the end of ${path.join(outside, 'secret.txt')}, which has 1 line`);
  });

  it('returns an interrupted result when the signal is already aborted', async () => {
    const cwd = tempFolder({ 'a.txt': 'a\n' });
    const controller = new AbortController();
    controller.abort();
    expect(await readFileTool.run({ path: 'a.txt' }, contextFor(cwd, controller.signal))).toEqual({ content: 'interrupted by the user', isError: true });
  });

  it('refuses a device instead of reading it forever', async () => {
    const cwd = tempFolder();
    const result = await readFileTool.run({ path: '/dev/zero' }, contextFor(cwd));
    expect(result).toEqual({ content: '/dev/zero is not a regular file', isError: true });
  });
});
