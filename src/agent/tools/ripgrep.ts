// search_files through ripgrep, when it is installed: fast, and it already knows .gitignore.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { matchText, type SearchResults } from './search-results.js';

/** The rg executable on PATH, or undefined. */
export function findRipgrep(envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'rg.exe' : 'rg');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RipgrepSearch {
  rg: string;
  cwd: string;
  /** The path to search as rg should see it (relative to cwd, or absolute). */
  target: string;
  pattern: string;
  glob?: string;
  signal: AbortSignal;
  results: SearchResults;
}

export type RipgrepOutcome = { ok: true } | { ok: false; message: string; badPattern: boolean };

export function searchWithRipgrep(search: RipgrepSearch): Promise<RipgrepOutcome> {
  const args = [
    '--no-config',
    '--line-number',
    '--no-heading',
    '--with-filename',
    '--color',
    'never',
    // .gitignore applies even where there is no git repository, as in the fallback
    '--no-require-git',
    '--sort',
    'path',
    '--regexp',
    search.pattern,
  ];
  if (search.glob) args.push('--glob', search.glob);
  args.push('--', search.target);

  return new Promise((resolve) => {
    const child = spawn(search.rg, args, { cwd: search.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    let stderr = '';
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => stop();
    search.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stopped) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!search.results.add(formatLine(line, search.target))) {
          stop();
          return;
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (err) => {
      search.signal.removeEventListener('abort', onAbort);
      resolve({ ok: false, message: `ripgrep failed to start: ${err.message}`, badPattern: false });
    });
    child.on('close', (code) => {
      search.signal.removeEventListener('abort', onAbort);
      if (!stopped && partial !== '') search.results.add(formatLine(partial, search.target));
      // 1: no match. 2: an error, but matches found elsewhere still count (an unreadable file).
      if (stopped || code === 0 || code === 1 || search.results.lines.length > 0) return resolve({ ok: true });
      const message = stderr.trim() || `ripgrep exited with code ${code}`;
      resolve({ ok: false, message, badPattern: /regex parse error|error parsing regex/i.test(message) });
    });
  });
}

/** `./src/a.ts:3:text` -> `src/a.ts:3:text` with the text cut like the fallback's. */
function formatLine(line: string, target: string): string {
  const rel = target === '.' && line.startsWith('./') ? line.slice(2) : line;
  const match = /^(.*?):(\d+):/.exec(rel);
  if (!match) return matchText(rel);
  return `${match[1]}:${match[2]}:${matchText(rel.slice(match[0].length))}`;
}
