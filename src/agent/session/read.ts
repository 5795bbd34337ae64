// Reading session files. A whole read for loading; cheap partial reads for listing (the header,
// the first prompt and a byte scan that counts message lines without parsing them).

import fs from 'node:fs';
import path from 'node:path';
import type { ChatMessage, ProviderId } from '../types.js';
import { parseSessionFileName } from './naming.js';
import { decodeLine, MESSAGE_LINE_PREFIX, SESSION_VERSION, type SessionHeader } from './records.js';

export class SessionError extends Error {
  override readonly name = 'SessionError';
}

export interface ParsedSessionFile {
  header: SessionHeader;
  /** The model and provider in use at the end (the header's, or the last meta record's). */
  model: string;
  provider: ProviderId;
  messages: ChatMessage[];
  /** One line each, ready to print; damage a repaired record names is not among them. */
  warnings: string[];
  /** Damaged lines (1-based; 0 for a missing header) not reported before. */
  newDamage: number[];
  /** Some damage was found that an earlier resume already reported. */
  knownDamage: boolean;
  /** false: the last line has no newline; the next append must start a new line first. */
  endsWithNewline: boolean;
}

/** Reads and checks every line. Never writes. A missing or damaged header is made up from the file name (with a warning). */
export function readSessionFile(file: string, id: string): ParsedSessionFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SessionError(`cannot read session ${id} (${file}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n') || text === '';
  // With a final newline the split leaves one empty string after it; that is not a line.
  if (endsWithNewline) lines.pop();

  const first = lines[0] === undefined ? undefined : decodeLine(lines[0]);
  const hasHeader = first?.ok === true && first.record.type === 'session';
  const header = hasHeader ? (first.record as SessionHeader) : headerFromName(file, id);
  let { model, provider } = header;
  const messages: ChatMessage[] = [];
  // Warnings by line number, so those a repaired record (read later in the file) names can go.
  const damage = new Map<number, string>();
  const known = new Set<number>();
  // A write that failed (a full disk) or was cut short left the header torn, blank or absent.
  if (!hasHeader) damage.set(0, `session ${id}: its first line is not a session header (a write probably failed there); its folder and model are unknown`);

  for (let i = hasHeader ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue; // a newline added after a failed write
    const decoded = decodeLine(line);
    if (decoded.ok) {
      const { record } = decoded;
      if (record.type === 'message') messages.push(record.message);
      else if (record.type === 'meta') ({ model, provider } = record);
      // The compacted view replaces everything before it; the older records stay on disk.
      else if (record.type === 'compaction') messages.splice(0, messages.length, ...record.messages);
      else if (record.type === 'repaired') for (const n of record.lines) known.add(n);
      continue;
    }
    if (decoded.reason === 'unknown') continue;
    const torn = i === lines.length - 1 && !endsWithNewline;
    if (torn) damage.set(i + 1, `session ${id}: the last line is incomplete (hermes probably stopped while writing it); skipped it`);
    else damage.set(i + 1, `session ${id}: line ${i + 1} is damaged (${decoded.reason === 'json' ? 'not valid JSON' : 'not a session record'}); skipped it`);
  }
  const newDamage = [...damage.keys()].filter((n) => !known.has(n));
  const warnings = newDamage.map((n) => damage.get(n)!);
  return { header, model, provider, messages, warnings, newDamage, knownDamage: newDamage.length < damage.size, endsWithNewline };
}

/** Stops reading the head of a file here: the first prompt is normally on line 2. */
const HEAD_LIMIT = 256 * 1024;
const CHUNK = 64 * 1024;

/** The header alone (for finding the latest session in a folder), or undefined. */
export function readHeader(file: string): SessionHeader | undefined {
  const head = readHead(file, true);
  return head?.header;
}

export interface FileSummary {
  header: SessionHeader;
  /** The first user message, or '' when none was found in the first 256 KiB. */
  firstPrompt: string;
  /** Complete message lines, counted without parsing them. */
  messageCount: number;
}

export function summariseFile(file: string): FileSummary | undefined {
  const head = readHead(file, false);
  if (!head) return undefined;
  const messageCount = countMessageLines(file);
  return { header: head.header, firstPrompt: head.firstPrompt, messageCount };
}

function readHead(file: string, headerOnly: boolean): { header: SessionHeader; firstPrompt: string } | undefined {
  const id = parseSessionFileName(path.basename(file))?.id ?? '';
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(HEAD_LIMIT);
    let length = 0;
    let header: SessionHeader | undefined;
    let lineStart = 0;
    while (length < HEAD_LIMIT) {
      const n = fs.readSync(fd, buffer, length, Math.min(CHUNK, HEAD_LIMIT - length), length);
      if (n === 0) break;
      length += n;
      for (let nl = buffer.indexOf(10, lineStart); nl !== -1 && nl < length; nl = buffer.indexOf(10, lineStart)) {
        const line = buffer.toString('utf8', lineStart, nl);
        lineStart = nl + 1;
        if (!header) {
          const decoded = decodeLine(line);
          const valid = decoded.ok && decoded.record.type === 'session';
          header = valid ? (decoded.record as SessionHeader) : headerFromName(file, id);
          if (headerOnly) return { header, firstPrompt: '' };
          if (valid) continue;
        }
        // Parse only lines that look like a user message; tool output can be large.
        if (!line.startsWith(MESSAGE_LINE_PREFIX) || !line.includes('"message":{"role":"user"')) continue;
        const decoded = decodeLine(line);
        if (decoded.ok && decoded.record.type === 'message' && decoded.record.message.role === 'user') {
          return { header, firstPrompt: decoded.record.message.content };
        }
      }
    }
    return { header: header ?? headerFromName(file, id), firstPrompt: '' };
  } finally {
    fs.closeSync(fd);
  }
}

/** Counts lines that begin a message record and are complete (a newline follows them). */
function countMessageLines(file: string): number {
  const pattern = Buffer.from(`\n${MESSAGE_LINE_PREFIX}`);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return 0;
  }
  try {
    const buffer = Buffer.alloc(CHUNK + pattern.length);
    // A newline before the file's first byte (position -1): a file whose header was lost starts
    // with a message line.
    buffer[0] = 10;
    let carry = 1; // bytes kept from the previous chunk so a match may straddle two reads
    let offset = 0; // file position of buffer[carry]
    let count = 0;
    let lastMatch = -2;
    let lastNewline = -2;
    for (;;) {
      const n = fs.readSync(fd, buffer, carry, CHUNK, offset);
      if (n === 0) break;
      const end = carry + n;
      const base = offset - carry;
      for (let at = buffer.indexOf(pattern, 0); at !== -1 && at + pattern.length <= end; at = buffer.indexOf(pattern, at + 1)) {
        if (base + at <= lastMatch) continue;
        count++;
        lastMatch = base + at;
      }
      const nl = buffer.lastIndexOf(10, end - 1);
      if (nl !== -1) lastNewline = Math.max(lastNewline, base + nl);
      carry = Math.min(pattern.length - 1, end);
      buffer.copy(buffer, 0, end - carry, end);
      offset += n;
    }
    // A message line after the final newline was cut short.
    if (lastMatch !== -2 && lastMatch === lastNewline) count--;
    return count;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What a file without a usable header still tells: its id and start time (in its name). The
 * folder and the model are unknown (''); a resume records the model in use then (a meta record).
 */
function headerFromName(file: string, id: string): SessionHeader {
  const startedAt = parseSessionFileName(path.basename(file))?.startedAt ?? new Date(0).toISOString();
  return { type: 'session', version: SESSION_VERSION, id, startedAt, cwd: '', model: '', provider: 'openai' };
}
