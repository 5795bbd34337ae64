// Installing from a clone as the README says: the package is hermes-chat (the registry's
// `hermes` is someone else's), the command is hermes, and `npm install -g .` puts it on a PATH.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt } from './helpers.js';

describe('installing hermes from a clone', () => {
  it('is the package hermes-chat with the command hermes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(pkg.name).toBe('hermes-chat');
    expect(Object.keys(pkg.bin)).toEqual(['hermes']);
  });

  it('npm install -g . puts a working hermes on the PATH', async () => {
    await ensureBuilt();
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-global-'));
    try {
      const install = spawnSync('npm', ['install', '-g', '.', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
      expect(install.status, install.stderr).toBe(0);
      // Started from another folder, as a user would.
      const run = spawnSync(path.join(prefix, 'bin', 'hermes'), ['--version'], { cwd: os.tmpdir(), encoding: 'utf8' });
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  }, 120_000);

  it('a clone that was never built says how to build it, without a stack trace', () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-unbuilt-'));
    try {
      fs.mkdirSync(path.join(clone, 'bin'));
      fs.copyFileSync(BIN, path.join(clone, 'bin', 'hermes.js'));
      fs.writeFileSync(path.join(clone, 'package.json'), '{"type": "module"}');
      const run = spawnSync(process.execPath, [path.join(clone, 'bin', 'hermes.js'), '--version'], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`hermes: not built yet: run 'npm install' (or 'npm run build') in ${clone}/\n`);
    } finally {
      fs.rmSync(clone, { recursive: true, force: true });
    }
  });
});
