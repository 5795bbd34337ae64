// A sorted depth-first walk of a folder for find_files and the search fallback. Symlinked
// folders are not followed (a link cycle or a link out of the working folder cannot be
// walked into), unreadable folders are skipped, and an aborted signal stops it.

import fs from 'node:fs/promises';
import path from 'node:path';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface WalkEntry {
  absolute: string;
  /** Relative to the walk's root, '/'-separated. */
  relative: string;
  name: string;
  kind: EntryKind;
}

export interface WalkOptions {
  signal: AbortSignal;
  /** Leave this entry out; for a folder, do not enter it either. */
  skip?(entry: WalkEntry): boolean;
  /** Called before a folder's entries are read (to load its .gitignore). */
  enter?(absolute: string): Promise<void>;
}

export const ALWAYS_SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  yield* walkFolder(root, '', options);
}

async function* walkFolder(absolute: string, relative: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  if (options.signal.aborted) return;
  await options.enter?.(absolute);
  let dirents: import('node:fs').Dirent[];
  try {
    dirents = await fs.readdir(absolute, { withFileTypes: true });
  } catch {
    return;
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    if (options.signal.aborted) return;
    const entry: WalkEntry = {
      absolute: path.join(absolute, dirent.name),
      relative: relative === '' ? dirent.name : `${relative}/${dirent.name}`,
      name: dirent.name,
      kind: dirent.isDirectory() ? 'directory' : dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'symlink' : 'other',
    };
    if (options.skip?.(entry)) continue;
    yield entry;
    if (entry.kind === 'directory') yield* walkFolder(entry.absolute, entry.relative, options);
  }
}
