// The file operations a session's writes go through. Tests pass a wrapper that fails some of
// them (ENOSPC), the way a full disk does, without needing one.

import fs from 'node:fs';

export interface SessionFs {
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Buffer, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
}

export const nodeFs: SessionFs = {
  openSync: (file, flags, mode) => fs.openSync(file, flags, mode),
  writeSync: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (file) => fs.unlinkSync(file),
};
