// Paths from the model are resolved against the working folder. Whether one is outside it is
// decided on real paths, so a symlink inside the folder pointing elsewhere counts as outside.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ResolvedPath {
  /** Absolute, lexically normalised. */
  absolute: string;
  /** Relative to the working folder when inside it ('.' for the folder), absolute otherwise. */
  display: string;
  outside: boolean;
}

/** Expands a leading ~ (the model writes paths the way a shell user would). */
export function expandHome(input: string, home = os.homedir()): string {
  if (input === '~') return home;
  if (input.startsWith('~/')) return path.join(home, input.slice(2));
  return input;
}

export function resolvePath(cwd: string, input: string, home = os.homedir()): ResolvedPath {
  const absolute = path.resolve(cwd, expandHome(input, home));
  const outside = !isWithin(realPath(cwd), realPath(absolute));
  const display = outside ? absolute : path.relative(cwd, absolute) || '.';
  return { absolute, display, outside };
}

/** true when `target` is `root` or below it. */
export function isWithin(root: string, target: string): boolean {
  if (target === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return target.startsWith(prefix);
}

/** The real path of the deepest existing ancestor, with the rest appended (for new files). */
function realPath(absolute: string): string {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** How a path is shown in results: relative inside the folder, absolute outside. */
export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
