// Reading a file that write_file or edit_file is about to change: missing, a folder, binary,
// or its text. Shared by the tools and by their previews (the diff shown before approval).

import fs from 'node:fs/promises';
import { BINARY_SNIFF_BYTES, looksBinary } from './binary.js';

export type ExistingFile =
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'special' }
  | { kind: 'binary'; size: number }
  | { kind: 'text'; text: string };

/** Beyond this a file is not loaded to be edited or diffed. */
export const MAX_EDITABLE_BYTES = 10 * 1024 * 1024;

export async function readExisting(absolute: string): Promise<ExistingFile> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  if (stat.isDirectory()) return { kind: 'directory' };
  if (!stat.isFile()) return { kind: 'special' };
  if (stat.size > MAX_EDITABLE_BYTES) return { kind: 'binary', size: stat.size };
  const data = await fs.readFile(absolute);
  if (looksBinary(data.subarray(0, BINARY_SNIFF_BYTES))) return { kind: 'binary', size: stat.size };
  return { kind: 'text', text: data.toString('utf8') };
}

/** Lines in a text, counting a last line without newline. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** The diff shown in an approval prompt is long enough to review, not unbounded. */
export const PREVIEW_MAX_DIFF_LINES = 2000;
/** The diff returned to the model after an edit stays short. */
export const RESULT_MAX_DIFF_LINES = 80;
