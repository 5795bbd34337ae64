import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInstructions, INSTRUCTIONS_LIMIT_BYTES } from '../../src/agent/prompt/instructions.js';
import { builtInPrompt, systemPrompt } from '../../src/agent/prompt/system-prompt.js';

let top: string;
const write = (relative: string, text: string) => {
  const file = path.join(top, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

beforeEach(() => {
  top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-instructions-')));
});
afterEach(() => fs.rmSync(top, { recursive: true, force: true }));

describe('project instructions', () => {
  it('reads AGENTS.md from the repository root down to the working folder, after the personal file', () => {
    fs.mkdirSync(path.join(top, 'repo', '.git'), { recursive: true });
    write('AGENTS.md', 'above the repository: never read');
    write('repo/AGENTS.md', 'root rules');
    write('repo/pkg/AGENTS.md', 'package rules');
    write('repo/pkg/app/AGENTS.md', 'app rules');
    write('home/AGENTS.md', 'personal rules');
    const loaded = loadInstructions({ cwd: path.join(top, 'repo/pkg/app'), home: path.join(top, 'home') });
    expect(loaded.files.map((f) => path.relative(top, f.path))).toEqual(['home/AGENTS.md', 'repo/AGENTS.md', 'repo/pkg/AGENTS.md', 'repo/pkg/app/AGENTS.md']);
    const order = ['personal rules', 'root rules', 'package rules', 'app rules'].map((t) => loaded.text.indexOf(t));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThanOrEqual(0);
    expect(loaded.text).not.toContain('never read');
    // labelled with their paths: relative inside the working folder, absolute above it
    expect(loaded.text).toContain('## AGENTS.md\n\napp rules');
    expect(loaded.text).toContain(`## ${path.join(top, 'repo/AGENTS.md')}\n\nroot rules`);
    expect(loaded.truncated).toBe(false);
  });

  it('falls back to CLAUDE.md only in a folder that has no AGENTS.md', () => {
    fs.mkdirSync(path.join(top, '.git'));
    write('CLAUDE.md', 'claude root');
    write('sub/AGENTS.md', 'agents sub');
    write('sub/CLAUDE.md', 'claude sub: shadowed');
    const loaded = loadInstructions({ cwd: path.join(top, 'sub') });
    expect(loaded.files.map((f) => path.relative(top, f.path))).toEqual(['CLAUDE.md', 'sub/AGENTS.md']);
    expect(loaded.text).not.toContain('shadowed');
  });

  it('without a repository reads only the working folder', () => {
    write('AGENTS.md', 'parent');
    write('work/AGENTS.md', 'work');
    const loaded = loadInstructions({ cwd: path.join(top, 'work') });
    expect(loaded.files.map((f) => path.relative(top, f.path))).toEqual(['work/AGENTS.md']);
  });

  it('expands @imports inside the project, refusing cycles, depth beyond five and paths outside', () => {
    fs.mkdirSync(path.join(top, 'repo', '.git'), { recursive: true });
    write('repo/AGENTS.md', 'start\n@docs/style.md\n@../secret.txt\n@missing.md\nend');
    write('repo/docs/style.md', 'style guide\n@loop.md');
    write('repo/docs/loop.md', 'loop body\n@style.md');
    write('secret.txt', 'outside the project');
    const loaded = loadInstructions({ cwd: path.join(top, 'repo') });
    expect(loaded.text).toContain('start\nstyle guide\nloop body\n@style.md\n@../secret.txt\n@missing.md\nend');
    expect(loaded.text).not.toContain('outside the project');
    expect(loaded.notes).toEqual([
      'loop.md: @style.md imports itself (a cycle), not imported again',
      'AGENTS.md: @../secret.txt is outside the project, not imported',
      'AGENTS.md: @missing.md cannot be read, not imported',
    ]);
  });

  it('stops importing more than five levels deep', () => {
    fs.mkdirSync(path.join(top, '.git'));
    write('AGENTS.md', '@1.md');
    for (let i = 1; i <= 7; i++) write(`${i}.md`, `level ${i}\n@${i + 1}.md`);
    const loaded = loadInstructions({ cwd: top });
    expect(loaded.text).toContain('level 5');
    expect(loaded.text).not.toContain('level 6');
    expect(loaded.notes).toEqual(['5.md: @6.md is more than 5 imports deep, not imported']);
  });

  it('caps the whole at 32 KiB on a character boundary, with a note', () => {
    fs.mkdirSync(path.join(top, '.git'));
    write('AGENTS.md', 'é'.repeat(40_000));
    const loaded = loadInstructions({ cwd: top });
    expect(loaded.truncated).toBe(true);
    expect(loaded.text).not.toContain('\ufffd');
    expect(loaded.text.endsWith('[project instructions cut at 32 KiB]')).toBe(true);
    expect(Buffer.byteLength(loaded.text)).toBeLessThanOrEqual(INSTRUCTIONS_LIMIT_BYTES + 64);
  });

  it('has nothing to say where there are no files', () => {
    expect(loadInstructions({ cwd: top })).toEqual({ files: [], text: '', truncated: false, notes: [] });
  });
});

describe('the system prompt', () => {
  const environment = { cwd: '/home/u/proj', platform: 'linux', shell: '/bin/bash', date: '2026-12-04', gitRoot: '/home/u/proj' };

  it('tells the model where it works, the platform, the date, the repository, tools and approvals', () => {
    const prompt = builtInPrompt(environment, ['read_file', 'run_shell']);
    for (const part of ['hermes', '/home/u/proj', 'linux', '/bin/bash', '2026-12-04', 'git repository rooted at /home/u/proj', 'read_file, run_shell', 'approve']) {
      expect(prompt).toContain(part);
    }
    expect(builtInPrompt({ ...environment, gitRoot: undefined }, [])).toContain('not inside a git repository');
    expect(builtInPrompt(environment, [])).toContain('no tools');
  });

  it('is replaced by -s, extended by --append-system, followed by the instructions', () => {
    expect(systemPrompt({ environment, tools: [], replace: 'Be a pirate.' })).toBe('Be a pirate.');
    const full = systemPrompt({ environment, tools: [], append: 'Answer in French.', instructions: '## AGENTS.md\n\nUse tabs.' });
    expect(full.startsWith(builtInPrompt(environment, []))).toBe(true);
    expect(full.indexOf('Answer in French.')).toBeLessThan(full.indexOf('Use tabs.'));
    expect(full).toContain('# Project instructions');
  });

  it('is the same text every time for the same session (a stable, cacheable prefix)', () => {
    expect(systemPrompt({ environment, tools: ['read_file'] })).toBe(systemPrompt({ environment, tools: ['read_file'] }));
  });
});
