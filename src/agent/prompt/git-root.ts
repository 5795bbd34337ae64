// Which repository a folder belongs to, without starting git: the nearest folder upward that
// holds a `.git` entry (a folder, or a file for worktrees and submodules).

import fs from 'node:fs';
import path from 'node:path';

/** The repository root containing `folder`, or undefined when it is not in one. */
export function findGitRoot(folder: string): string | undefined {
  let current = path.resolve(folder);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
