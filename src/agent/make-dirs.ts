// `mkdir -p` that always ends. Node 20's own recursive mkdir never returns for a path under
// /proc (mkdir there says ENOENT although the parent exists, and libuv retries the parent for
// ever): HERMES_HOME=/proc/x/y spun at 100% CPU. This walks up once to the nearest folder that
// exists, then creates each missing level once, and throws the first error it meets.

import fs from 'node:fs';
import path from 'node:path';

export function makeDirs(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; ) {
    const kind = kindOf(current);
    if (kind === 'directory') break;
    if (kind === 'other') throw fsError('ENOTDIR', current);
    const parent = path.dirname(current);
    if (parent === current) throw fsError('ENOENT', current);
    missing.push(current);
    current = parent;
  }
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level, { mode });
    } catch (err) {
      // Someone else made it meanwhile: that is what we wanted.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || kindOf(level) !== 'directory') throw err;
    }
  }
}

function kindOf(file: string): 'directory' | 'other' | 'missing' {
  try {
    return fs.statSync(file).isDirectory() ? 'directory' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

function fsError(code: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: cannot create ${file}`), { code, path: file });
}
