// Project instructions: AGENTS.md files (CLAUDE.md where a folder has no AGENTS.md) from the
// repository root down to the working folder, after the user's own $HERMES_HOME/AGENTS.md,
// general to specific. A line `@relative/path` brings in another file of the project. The
// whole is capped, so a huge file cannot crowd the conversation out of the context window.

import fs from 'node:fs';
import path from 'node:path';
import { isWithin } from '../tools/paths.js';
import { findGitRoot } from './git-root.js';

export const INSTRUCTIONS_LIMIT_BYTES = 32 * 1024;
export const MAX_IMPORT_DEPTH = 5;
const FILE_NAMES = ['AGENTS.md', 'CLAUDE.md'] as const;
/** One file is read up to this much: more could never fit under the cap anyway. */
const READ_LIMIT_BYTES = INSTRUCTIONS_LIMIT_BYTES + 4;

export interface InstructionFile {
  /** Absolute path. */
  path: string;
  /** Its text with imports expanded. */
  text: string;
}

export interface Instructions {
  files: InstructionFile[];
  /** Labelled and joined, ready for the system prompt; '' when there are none. */
  text: string;
  /** true when the cap cut the text. */
  truncated: boolean;
  /** What could not be imported, and why (shown to the user, not to the model). */
  notes: string[];
}

export interface InstructionOptions {
  cwd: string;
  /** HERMES_HOME: its AGENTS.md comes first. */
  home?: string;
  limitBytes?: number;
}

export function loadInstructions(options: InstructionOptions): Instructions {
  const cwd = path.resolve(options.cwd);
  const root = findGitRoot(cwd) ?? cwd;
  const notes: string[] = [];
  const files: InstructionFile[] = [];

  if (options.home) {
    const personal = path.join(path.resolve(options.home), 'AGENTS.md');
    const text = readText(personal);
    if (text !== undefined) files.push({ path: personal, text: expandImports(text, personal, path.dirname(personal), notes) });
  }
  for (const folder of foldersDown(root, cwd)) {
    for (const name of FILE_NAMES) {
      const file = path.join(folder, name);
      const text = readText(file);
      if (text === undefined) continue;
      files.push({ path: file, text: expandImports(text, file, root, notes) });
      break;
    }
  }
  const { text, truncated } = join(files, cwd, options.limitBytes ?? INSTRUCTIONS_LIMIT_BYTES);
  return { files, text, truncated, notes };
}

/** root, then each folder below it on the way to cwd, cwd last. */
function foldersDown(root: string, cwd: string): string[] {
  const folders = [cwd];
  let current = cwd;
  while (current !== root && isWithin(root, current)) {
    current = path.dirname(current);
    folders.unshift(current);
  }
  return folders;
}

/** Replaces each `@relative/path` line by that file's text, inside `boundary`, without cycles. */
function expandImports(text: string, file: string, boundary: string, notes: string[], chain: string[] = [file]): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^\s*@(\S+)\s*$/.exec(line);
      if (!match) return line;
      const target = path.resolve(path.dirname(file), match[1]!);
      const where = `${path.basename(file)}: @${match[1]}`;
      if (!isWithin(realOrSelf(boundary), realOrSelf(target))) return note(notes, line, `${where} is outside the project, not imported`);
      if (chain.includes(target)) return note(notes, line, `${where} imports itself (a cycle), not imported again`);
      if (chain.length > MAX_IMPORT_DEPTH) return note(notes, line, `${where} is more than ${MAX_IMPORT_DEPTH} imports deep, not imported`);
      const imported = readText(target);
      if (imported === undefined) return note(notes, line, `${where} cannot be read, not imported`);
      return expandImports(imported, target, boundary, notes, [...chain, target]).replace(/\n+$/, '');
    })
    .join('\n');
}

function note(notes: string[], line: string, message: string): string {
  notes.push(message);
  return line;
}

function join(files: InstructionFile[], cwd: string, limitBytes: number): { text: string; truncated: boolean } {
  if (files.length === 0) return { text: '', truncated: false };
  const full = files.map((file) => `## ${label(file.path, cwd)}\n\n${file.text.trim()}`).join('\n\n');
  const bytes = Buffer.from(full, 'utf8');
  if (bytes.length <= limitBytes) return { text: full, truncated: false };
  // Cut on a character boundary: a torn UTF-8 sequence would decode to U+FFFD.
  let end = limitBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  const cut = bytes.subarray(0, end).toString('utf8');
  return { text: `${cut}\n\n[project instructions cut at ${Math.round(limitBytes / 1024)} KiB]`, truncated: true };
}

function label(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function readText(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    if (!fs.fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(READ_LIMIT_BYTES);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function realOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
