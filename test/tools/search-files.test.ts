// Both search engines against the same folders: ripgrep (when installed) and the JavaScript
// fallback must give the same answers.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGitignore, IgnoreRules } from '../../src/agent/tools/gitignore.js';
import { findRipgrep } from '../../src/agent/tools/ripgrep.js';
import { createSearchFilesTool } from '../../src/agent/tools/search-files.js';
import { SEARCH_MAX_MATCHES } from '../../src/agent/tools/search-results.js';
import { contextFor, tempFolder } from './helpers.js';

const rg = findRipgrep();

const engines = [
  { engine: 'javascript fallback', tool: createSearchFilesTool({ ripgrep: 'never' }), available: true },
  { engine: 'ripgrep', tool: createSearchFilesTool({ ripgrep: rg ?? 'rg' }), available: rg !== undefined },
];

const project = {
  '.gitignore': 'dist/\n*.log\n!keep.log\n/rootonly.txt\n',
  'src/main.ts': 'export function main() {\n  return helper(1);\n}\n',
  'src/helper.ts': 'export function helper(n: number) {\n  return n + 1;\n}\n',
  'src/nested/.gitignore': 'generated.ts\n',
  'src/nested/generated.ts': 'function generated() {}\n',
  'src/nested/kept.ts': 'function kept() {}\n',
  'src/rootonly.txt': 'function inSubfolder\n',
  'rootonly.txt': 'function atRoot\n',
  'dist/bundle.js': 'function bundled() {}\n',
  'debug.log': 'function logged\n',
  'keep.log': 'function keptLog\n',
  '.hidden/secret.ts': 'function hidden() {}\n',
  'image.bin': Buffer.concat([Buffer.from('function binary'), Buffer.from([0, 1, 2, 3])]),
};

for (const { engine, tool, available } of engines) {
  describe.skipIf(!available)(`search_files (${engine})`, () => {
    it('finds matches as path:line:text, respecting .gitignore (nested, negated, anchored), skipping hidden and binary files', async () => {
      const cwd = tempFolder(project);
      const result = await tool.run({ pattern: 'function \\w+' }, contextFor(cwd));
      expect(result.isError).toBeUndefined();
      expect(result.content.split('\n').sort()).toEqual(
        [
          'keep.log:1:function keptLog',
          'src/helper.ts:1:export function helper(n: number) {',
          'src/main.ts:1:export function main() {',
          'src/nested/kept.ts:1:function kept() {}',
          'src/rootonly.txt:1:function inSubfolder',
        ].sort(),
      );
    });

    it('limits the files with a glob and searches below a path', async () => {
      const cwd = tempFolder(project);
      expect((await tool.run({ pattern: 'return', glob: '*.ts' }, contextFor(cwd))).content.split('\n').sort()).toEqual([
        'src/helper.ts:2:  return n + 1;',
        'src/main.ts:2:  return helper(1);',
      ]);
      expect((await tool.run({ pattern: 'function', path: 'src/nested' }, contextFor(cwd))).content).toBe('src/nested/kept.ts:1:function kept() {}');
      expect((await tool.run({ pattern: 'helper', path: 'src/main.ts' }, contextFor(cwd))).content).toBe('src/main.ts:2:  return helper(1);');
    });

    it('applies the .gitignore of the repository above a searched sub-folder', async () => {
      const cwd = tempFolder({ ...project, '.git/HEAD': 'ref: refs/heads/main\n', 'src/app.log': 'function appLog\n' });
      const result = await tool.run({ pattern: 'function', path: 'src' }, contextFor(cwd));
      expect(result.content).not.toContain('app.log');
      expect(result.content).toContain('src/main.ts:1:');
    });

    it('says when nothing matches', async () => {
      const cwd = tempFolder(project);
      expect(await tool.run({ pattern: 'zebra' }, contextFor(cwd))).toEqual({ content: 'no matches for /zebra/ in .' });
    });

    it('caps the number of matches and says so', async () => {
      const lines = Array.from({ length: SEARCH_MAX_MATCHES + 50 }, (_, i) => `hit ${i}`).join('\n');
      const cwd = tempFolder({ 'many.txt': lines });
      const out = (await tool.run({ pattern: 'hit' }, contextFor(cwd))).content.split('\n');
      expect(out).toHaveLength(SEARCH_MAX_MATCHES + 1);
      expect(out[0]).toBe('many.txt:1:hit 0');
      expect(out.at(-1)).toMatch(/^\[results capped at 500 matches/);
    });

    it('cuts very long matching lines', async () => {
      const cwd = tempFolder({ 'min.js': `var x="${'a'.repeat(5000)}";` });
      const result = await tool.run({ pattern: 'var x' }, contextFor(cwd));
      expect(result.content.length).toBeLessThan(700);
      expect(result.content.startsWith('min.js:1:var x="aaa')).toBe(true);
    });

    it('shows absolute paths when searching outside the working folder', async () => {
      const outside = tempFolder({ 'o.txt': 'needle\n' });
      const cwd = tempFolder();
      expect((await tool.run({ pattern: 'needle', path: outside }, contextFor(cwd))).content).toBe(`${path.join(outside, 'o.txt')}:1:needle`);
    });

    it('accepts JavaScript-only syntax such as lookahead', async () => {
      const cwd = tempFolder({ 'a.txt': 'foobar\nfoobaz\n' });
      expect((await tool.run({ pattern: 'foo(?=baz)' }, contextFor(cwd))).content).toBe('a.txt:2:foobaz');
    });

    it('reports an invalid pattern and a missing path as errors', async () => {
      const cwd = tempFolder(project);
      const bad = await tool.run({ pattern: 'unclosed(' }, contextFor(cwd));
      expect(bad.isError).toBe(true);
      expect(bad.content).toContain('unclosed(');
      expect(await tool.run({ pattern: 'x', path: 'gone' }, contextFor(cwd))).toEqual({ content: 'not found: gone', isError: true });
      expect(await tool.run({ pattern: '' }, contextFor(cwd))).toEqual({ content: 'pattern is empty', isError: true });
    });
  });
}

describe('search_files engine choice', () => {
  it('uses the JavaScript fallback when rg is not on PATH', () => {
    expect(findRipgrep('/nonexistent-folder')).toBeUndefined();
  });

  it.skipIf(!rg)('finds rg on PATH when installed', () => {
    expect(findRipgrep(path.dirname(rg!))).toBe(rg);
  });

  it('reports a broken rg executable instead of crashing', async () => {
    const cwd = tempFolder({ 'a.txt': 'x\n' });
    const fake = path.join(cwd, 'fake-rg');
    fs.writeFileSync(fake, '#!/bin/sh\necho "rg: something broke" >&2\nexit 2\n', { mode: 0o755 });
    const result = await createSearchFilesTool({ ripgrep: fake }).run({ pattern: 'x' }, contextFor(cwd));
    expect(result).toEqual({ content: 'rg: something broke', isError: true });
  });
});

describe('gitignore rules', () => {
  it('apply in order, last match winning, with folder-only and anchored patterns', () => {
    const rules = new IgnoreRules();
    rules.add(parseGitignore('/p', '# comment\n*.log\n!important.log\nbuild/\n/top.txt\ndocs/**/*.tmp\n'));
    expect(rules.ignored('/p/a.log', false)).toBe(true);
    expect(rules.ignored('/p/x/important.log', false)).toBe(false);
    expect(rules.ignored('/p/x/build', true)).toBe(true);
    expect(rules.ignored('/p/x/build', false)).toBe(false);
    expect(rules.ignored('/p/top.txt', false)).toBe(true);
    expect(rules.ignored('/p/sub/top.txt', false)).toBe(false);
    expect(rules.ignored('/p/docs/a/b/c.tmp', false)).toBe(true);
    expect(rules.ignored('/other/a.log', false)).toBe(false);
  });
});
