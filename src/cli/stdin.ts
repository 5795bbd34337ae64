// Piped stdin: read to the end, keep at most 8 MB (cut on a character boundary), and decide
// what the prompt is. A terminal stdin is never read here: that is the interactive mode's.

import { capUtf8 } from '../stream/utf8-cap.js';

export const STDIN_LIMIT_BYTES = 8 * 1024 * 1024;
export const STDIN_TRUNCATED_NOTE = 'hermes: stdin was longer than 8 MB; only the first 8 MB were sent.';

export interface StdinText {
  text: string;
  truncated: boolean;
}

/**
 * Reads a stream to EOF. Bytes past the limit are read and dropped rather than left unread,
 * so the program writing into the pipe finishes normally instead of dying of EPIPE.
 */
export async function readAll(input: NodeJS.ReadableStream, limit = STDIN_LIMIT_BYTES): Promise<StdinText> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  // Four spare bytes let capUtf8 see whether a character straddles the limit.
  const keep = limit + 4;
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    seen += buf.length;
    if (kept < keep) {
      const part = buf.length > keep - kept ? buf.subarray(0, keep - kept) : buf;
      chunks.push(part);
      kept += part.length;
    }
  }
  const { text, truncated } = capUtf8(Buffer.concat(chunks, kept), limit);
  return { text, truncated: truncated || seen > limit };
}

/**
 * `-p` and piped text together: the instruction, a blank line, then the data. With nothing to
 * ask, `usage` says why (the caller reports it as a usage error).
 */
export function combinePrompt(flagPrompt: string | undefined, piped: string | undefined): { prompt: string } | { usage: string } {
  const hasPiped = piped !== undefined && piped.trim() !== '';
  const hasFlag = flagPrompt !== undefined && flagPrompt.trim() !== '';
  if (hasFlag && hasPiped) return { prompt: `${flagPrompt}\n\n${piped}` };
  if (hasFlag) return { prompt: flagPrompt };
  if (hasPiped) return { prompt: piped };
  if (flagPrompt !== undefined) return { usage: 'the prompt is empty' };
  return { usage: 'no prompt: pass one with -p "...", or pipe text into hermes' };
}
