// Writes land on the file that was checked, not on whatever the path points at by the time
// the bytes go out: the target is the path with every symlink already resolved, opened without
// following a final symlink, and (on Linux) the opened file's own path is compared with it, so
// a link swapped in between the check and the write is refused instead of followed.

import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ToolInputError } from './tool.js';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

/** Writes `content` to `real` (every symlink resolved), creating missing parent folders. */
export async function writeResolved(real: string, content: string, display: string): Promise<void> {
  const changed = (): ToolInputError => new ToolInputError(`${display} changed (a symlink appeared) after it was checked; nothing was written`);
  await fs.mkdir(path.dirname(real), { recursive: true });
  let handle: fs.FileHandle;
  let created = false;
  try {
    handle = await fs.open(real, O_WRONLY | O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw changed();
    if (code !== 'ENOENT') throw err;
    try {
      // O_EXCL: a link created since is not followed either
      handle = await fs.open(real, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
      created = true;
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') throw changed();
      throw again;
    }
  }
  try {
    const opened = await openedPath(handle.fd);
    if (opened !== undefined && opened !== real) {
      if (created) await fs.unlink(opened).catch(() => {});
      throw changed();
    }
    await handle.truncate(0);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** The path of an open file as the kernel knows it (Linux); undefined elsewhere. */
async function openedPath(fd: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  return fs.readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
}
