// search_files without ripgrep: a JavaScript walk that behaves like rg's defaults — .gitignore
// respected, hidden files and folders skipped, symlinks not followed, binary files skipped.

import fs from 'node:fs/promises';
import { BINARY_SNIFF_BYTES, looksBinary } from './binary.js';
import { IgnoreRules } from './gitignore.js';
import { pathMatcher } from './glob.js';
import { displayPath } from './paths.js';
import { matchText, type SearchResults } from './search-results.js';
import { ToolInputError } from './tool.js';
import { walk } from './walk.js';

/** Bigger files are skipped: a model searching source code does not need them. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface FallbackSearch {
  cwd: string;
  /** Absolute file or folder to search. */
  root: string;
  pattern: string;
  glob?: string;
  signal: AbortSignal;
  results: SearchResults;
}

export function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new ToolInputError(`invalid regular expression /${pattern}/: ${err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err)}`);
  }
}

export async function searchWithJavaScript(search: FallbackSearch): Promise<void> {
  const regexp = compilePattern(search.pattern);
  const stat = await fs.stat(search.root);
  if (stat.isFile()) {
    await searchFile(search.root, regexp, search);
    return;
  }
  const glob = search.glob ? globFilter(search.glob) : undefined;
  const ignore = new IgnoreRules();
  await ignore.loadAncestors(search.root);
  for await (const entry of walk(search.root, {
    signal: search.signal,
    enter: (dir) => ignore.load(dir),
    skip: (e) => e.name.startsWith('.') || e.kind === 'symlink' || e.kind === 'other' || ignore.ignored(e.absolute, e.kind === 'directory'),
  })) {
    if (entry.kind !== 'file') continue;
    if (glob && !glob(entry.relative)) continue;
    if (!(await searchFile(entry.absolute, regexp, search))) return;
  }
}

/** rg's --glob: a leading '!' excludes. */
function globFilter(glob: string): (relative: string) => boolean {
  if (glob.startsWith('!')) {
    const excluded = pathMatcher(glob.slice(1));
    return (rel) => !excluded(rel);
  }
  return pathMatcher(glob);
}

/** Adds the file's matching lines; false once the results are full. */
async function searchFile(file: string, regexp: RegExp, search: FallbackSearch): Promise<boolean> {
  let data: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return true;
    data = await fs.readFile(file, { signal: search.signal });
  } catch {
    return !search.signal.aborted; // unreadable: skipped, as rg does
  }
  if (looksBinary(data.subarray(0, BINARY_SNIFF_BYTES))) return true;
  const name = displayPath(search.cwd, file);
  const lines = data.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!regexp.test(line)) continue;
    if (!search.results.add(`${name}:${i + 1}:${matchText(line)}`)) return false;
  }
  return true;
}
