// Paths from the model are resolved against the working folder. Whether one is outside it is
// decided on the path the kernel will reach, so a symlink inside the folder pointing elsewhere
// counts as outside, even when its target does not exist yet (writing through a dangling link
// creates the target).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ToolInputError } from './tool.js';

export interface ResolvedPath {
  /** Absolute, lexically normalised. */
  absolute: string;
  /** Relative to the working folder when inside it ('.' for the folder), absolute otherwise. */
  display: string;
  outside: boolean;
  /** Where the kernel lands, every symlink followed; undefined for a symlink loop. */
  real: string | undefined;
}

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS); more is ELOOP. */
const MAX_SYMLINKS = 40;

/** Expands a leading ~ (the model writes paths the way a shell user would). */
export function expandHome(input: string, home = os.homedir()): string {
  if (input === '~') return home;
  if (input.startsWith('~/')) return path.join(home, input.slice(2));
  return input;
}

export function resolvePath(cwd: string, input: string, home = os.homedir()): ResolvedPath {
  const absolute = path.resolve(cwd, expandHome(input, home));
  const real = kernelPath(absolute);
  // A loop cannot be judged, so it is treated as outside (it asks; the kernel refuses it anyway).
  const outside = real === undefined || !isWithin(kernelPath(cwd) ?? cwd, real);
  const display = outside ? absolute : path.relative(cwd, absolute) || '.';
  return { absolute, display, outside, real };
}

export type WritablePath = ResolvedPath & { real: string };

/** resolvePath for a file about to be written: a symlink loop is refused here. */
export function resolveWritable(cwd: string, input: string): WritablePath {
  const file = resolvePath(cwd, input);
  if (file.real === undefined) throw new ToolInputError(`${file.display}: too many levels of symbolic links`);
  return { ...file, real: file.real };
}

/** true when `target` is `root` or below it. */
export function isWithin(root: string, target: string): boolean {
  if (target === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return target.startsWith(prefix);
}

/**
 * The path the kernel reaches for `absolute`, resolving one component at a time: a symlink is
 * replaced by its target (relative targets against the link's folder), also when the target
 * does not exist; from the first missing component on, the rest is taken as written (that is
 * what creating it makes). `followFinal: false` leaves a last component that is a symlink
 * unresolved (what rm, lstat and O_NOFOLLOW see). undefined when links loop.
 */
export function kernelPath(absolute: string, followFinal = true): string | undefined {
  const { root } = path.parse(absolute);
  const pending = absolute.slice(root.length).split(path.sep).filter((part) => part !== '' && part !== '.');
  let resolved = root;
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved = path.dirname(resolved);
      continue;
    }
    const next = path.join(resolved, part);
    let target: string;
    try {
      if (!fs.lstatSync(next).isSymbolicLink() || (!followFinal && pending.length === 0)) {
        resolved = next;
        continue;
      }
      target = fs.readlinkSync(next);
    } catch {
      // Missing (or unreadable): nothing below it can be a link yet.
      return path.join(next, ...pending);
    }
    if (++links > MAX_SYMLINKS) return undefined;
    const { root: targetRoot } = path.parse(target);
    if (targetRoot !== '') resolved = targetRoot;
    pending.unshift(...target.slice(targetRoot.length).split(path.sep).filter((p) => p !== '' && p !== '.'));
  }
  return resolved;
}

/** How a path is shown in results: relative inside the folder, absolute outside. */
export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
