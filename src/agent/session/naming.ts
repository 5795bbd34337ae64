// Session ids and file names. A file is named `<UTC start time>_<id>.jsonl`, so sorting names
// sorts sessions by start time and finding an id needs no file to be opened.

import { randomInt } from 'node:crypto';

const ID_LENGTH = 8;
const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const FILE_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{3})?Z)_([0-9a-z]+)\.jsonl$/;

/** 8 base36 characters: 2.8e12 possibilities, short enough to type as a prefix. */
export function newSessionId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** `2026-11-23T19-45-12.345Z_k3j9x0ab.jsonl`: no colons, so the name is valid everywhere. */
export function sessionFileName(startedAt: Date, id: string): string {
  return `${startedAt.toISOString().replace(/:/g, '-')}_${id}.jsonl`;
}

/** The id and start time a session file's name carries, or undefined for any other file. */
export function parseSessionFileName(name: string): { id: string; startedAt: string } | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  const stamp = m[1]!;
  // Back to ISO: only the time part's dashes were colons.
  const startedAt = stamp.replace(/T(\d{2})-(\d{2})-(\d{2})/, 'T$1:$2:$3');
  return { id: m[2]!, startedAt };
}
