import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIND_MAX_RESULTS, findFilesTool } from '../../src/agent/tools/find-files.js';
import { expandBraces, globToRegExp, pathMatcher } from '../../src/agent/tools/glob.js';
import { LIST_MAX_ENTRIES, listDirectoryTool } from '../../src/agent/tools/list-directory.js';
import { contextFor, tempFolder } from './helpers.js';

describe('list_directory', () => {
  it('lists the working folder by default, folders with a slash and links with their target', async () => {
    const cwd = tempFolder({ 'b.txt': 'b', 'a/': '', '.hidden': 'h' });
    fs.symlinkSync('b.txt', path.join(cwd, 'link'));
    const result = await listDirectoryTool.run({}, contextFor(cwd));
    expect(result.content).toBe(['.hidden', 'a/', 'b.txt', 'link -> b.txt'].join('\n'));
  });

  it('lists a sub-folder and says when one is empty', async () => {
    const cwd = tempFolder({ 'src/x.ts': '', 'empty/': '' });
    expect((await listDirectoryTool.run({ path: 'src' }, contextFor(cwd))).content).toBe('x.ts');
    expect((await listDirectoryTool.run({ path: 'empty' }, contextFor(cwd))).content).toBe('(empty is empty)');
  });

  it('caps a huge folder and says how many entries there are', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < LIST_MAX_ENTRIES + 5; i++) files[`f${String(i).padStart(5, '0')}`] = '';
    const cwd = tempFolder(files);
    const lines = (await listDirectoryTool.run({ path: '.' }, contextFor(cwd))).content.split('\n');
    expect(lines).toHaveLength(LIST_MAX_ENTRIES + 1);
    expect(lines.at(-1)).toBe(`[5 more entries not shown; ${LIST_MAX_ENTRIES + 5} in all — use find_files to narrow down]`);
  });

  it('reports a missing folder and a file as errors', async () => {
    const cwd = tempFolder({ 'f.txt': '' });
    expect(await listDirectoryTool.run({ path: 'gone' }, contextFor(cwd))).toEqual({ content: 'folder not found: gone', isError: true });
    expect(await listDirectoryTool.run({ path: 'f.txt' }, contextFor(cwd))).toEqual({ content: 'f.txt is a file, not a folder; use read_file to read it', isError: true });
  });
});

describe('glob matching', () => {
  it('expands braces, nested ones too', () => {
    expect(expandBraces('src/*.{ts,tsx}')).toEqual(['src/*.ts', 'src/*.tsx']);
    expect(expandBraces('{a,b{1,2}}/x')).toEqual(['a/x', 'b1/x', 'b2/x']);
    expect(expandBraces('{single}')).toEqual(['{single}']);
  });

  it.each([
    ['*.ts', 'index.ts', true],
    ['*.ts', 'src/index.ts', false],
    ['src/*.ts', 'src/index.ts', true],
    ['src/*.ts', 'src/deep/index.ts', false],
    ['src/**/*.ts', 'src/index.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['**/test/*.js', 'test/a.js', true],
    ['**/test/*.js', 'x/y/test/a.js', true],
    ['**', 'any/thing/at/all', true],
    ['file?.md', 'file1.md', true],
    ['file?.md', 'file10.md', false],
    ['file?.md', 'file/.md', false],
    ['[abc].txt', 'b.txt', true],
    ['[!abc].txt', 'b.txt', false],
    ['[a-c]x', 'cx', true],
    ['*.{js,mjs}', 'a.mjs', true],
    ['*.{js,mjs}', 'a.cjs', false],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ])('%s against %s is %s', (pattern, candidate, expected) => {
    expect(globToRegExp(pattern).test(candidate)).toBe(expected);
  });

  it('matches a pattern without a slash against the name at any depth', () => {
    const match = pathMatcher('*.test.ts');
    expect(match('a.test.ts')).toBe(true);
    expect(match('deep/er/b.test.ts')).toBe(true);
    expect(match('deep/b.ts')).toBe(false);
    expect(pathMatcher('./src/*.ts')('src/a.ts')).toBe(true);
  });
});

describe('find_files', () => {
  const tree = {
    'src/index.ts': '',
    'src/util/strings.ts': '',
    'src/util/strings.test.ts': '',
    'src/view.tsx': '',
    'README.md': '',
    'docs/guide.md': '',
    'node_modules/lib/index.ts': '',
    '.git/config': '',
  };

  it('finds by name at any depth, sorted, skipping node_modules and .git', async () => {
    const cwd = tempFolder(tree);
    const result = await findFilesTool.run({ pattern: '*.ts' }, contextFor(cwd));
    expect(result.content).toBe(['src/index.ts', 'src/util/strings.test.ts', 'src/util/strings.ts'].join('\n'));
  });

  it('matches paths with ** and braces, relative to the search folder, shown relative to the working folder', async () => {
    const cwd = tempFolder(tree);
    expect((await findFilesTool.run({ pattern: 'src/**/*.{ts,tsx}' }, contextFor(cwd))).content).toBe(
      ['src/index.ts', 'src/util/strings.test.ts', 'src/util/strings.ts', 'src/view.tsx'].join('\n'),
    );
    expect((await findFilesTool.run({ pattern: 'util/*.ts', path: 'src' }, contextFor(cwd))).content).toBe(
      ['src/util/strings.test.ts', 'src/util/strings.ts'].join('\n'),
    );
  });

  it('lists matching folders with a trailing slash', async () => {
    const cwd = tempFolder(tree);
    expect((await findFilesTool.run({ pattern: 'util' }, contextFor(cwd))).content).toBe('src/util/');
  });

  it('searches node_modules when the pattern names it', async () => {
    const cwd = tempFolder(tree);
    expect((await findFilesTool.run({ pattern: 'node_modules/**/*.ts' }, contextFor(cwd))).content).toBe('node_modules/lib/index.ts');
  });

  it('says when nothing matches', async () => {
    const cwd = tempFolder(tree);
    expect(await findFilesTool.run({ pattern: '*.rs' }, contextFor(cwd))).toEqual({ content: 'no files match *.rs in .' });
  });

  it('caps the results', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FIND_MAX_RESULTS + 3; i++) files[`d/f${String(i).padStart(5, '0')}.txt`] = '';
    const cwd = tempFolder(files);
    const lines = (await findFilesTool.run({ pattern: '*.txt' }, contextFor(cwd))).content.split('\n');
    expect(lines).toHaveLength(FIND_MAX_RESULTS + 1);
    expect(lines.at(-1)).toBe(`[results capped at ${FIND_MAX_RESULTS}; narrow the pattern or the path]`);
  });

  it('does not follow a symlinked folder (no cycles, no escape)', async () => {
    const cwd = tempFolder({ 'a/x.ts': '' });
    fs.symlinkSync(cwd, path.join(cwd, 'a', 'loop'));
    expect((await findFilesTool.run({ pattern: '*.ts' }, contextFor(cwd))).content).toBe('a/x.ts');
  });

  it('refuses patterns that leave the search folder, and missing folders', async () => {
    const cwd = tempFolder(tree);
    for (const pattern of ['/etc/*', '../*.ts', 'src/../../x', '~/x']) {
      const result = await findFilesTool.run({ pattern }, contextFor(cwd));
      expect(result.isError).toBe(true);
      expect(result.content).toContain('put the folder in the path parameter');
    }
    expect(await findFilesTool.run({ pattern: '*', path: 'gone' }, contextFor(cwd))).toEqual({ content: 'folder not found: gone', isError: true });
    expect(await findFilesTool.run({ pattern: '*', path: 'README.md' }, contextFor(cwd))).toEqual({ content: 'README.md is not a folder', isError: true });
  });

  it('shows absolute paths for a folder outside the working folder', async () => {
    const outside = tempFolder({ 'o.md': '' });
    const cwd = tempFolder();
    expect((await findFilesTool.run({ pattern: '*.md', path: outside }, contextFor(cwd))).content).toBe(path.join(outside, 'o.md'));
  });
});
