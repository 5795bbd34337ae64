// read_file: a text file (or a line range of it) with line numbers. Binary files are refused
// and big ones are cut, saying where to read on, so one call cannot flood the context.

import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { BINARY_SNIFF_BYTES, looksBinary } from './binary.js';
import { resolvePath } from './paths.js';
import { defineTool, positiveIntArg, stringArg, ToolInputError, type BuiltinTool } from './tool.js';

export const READ_MAX_LINES = 2000;
export const READ_MAX_BYTES = 256 * 1024;
export const READ_MAX_LINE_CHARS = 2000;

export const readFileTool: BuiltinTool = defineTool(
  {
    name: 'read_file',
    description:
      `Read a text file, with line numbers. Optionally only lines start_line..end_line (1-based, inclusive). ` +
      `At most ${READ_MAX_LINES} lines or ${READ_MAX_BYTES / 1024} KB are returned per call; the result says how to read on. Binary files are refused.`,
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path, relative to the working folder' },
        start_line: { type: 'integer', minimum: 1, description: 'First line to return (default 1)' },
        end_line: { type: 'integer', minimum: 1, description: 'Last line to return (default: the end of the file)' },
      },
      required: ['path'],
    },
  },
  { readOnly: true, paths: (args) => [String(args.path ?? '')] },
  async (args, { cwd, signal }) => {
    const input = stringArg(args, 'path');
    const start = positiveIntArg(args, 'start_line') ?? 1;
    const end = positiveIntArg(args, 'end_line');
    if (end !== undefined && end < start) throw new ToolInputError(`end_line (${end}) is before start_line (${start})`);
    const file = resolvePath(cwd, input);
    const name = file.display;

    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file.absolute);
    } catch {
      throw new ToolInputError(`file not found: ${name}`);
    }
    if (stat.isDirectory()) throw new ToolInputError(`${name} is a directory; use list_directory to see what it holds`);
    // Devices and pipes could block forever or never end.
    if (!stat.isFile()) throw new ToolInputError(`${name} is not a regular file`);

    const handle = await fs.promises.open(file.absolute, 'r');
    try {
      const sample = Buffer.alloc(Math.min(BINARY_SNIFF_BYTES, stat.size));
      await handle.read(sample, 0, sample.length, 0);
      if (looksBinary(sample)) {
        throw new ToolInputError(`${name} looks like a binary file (${stat.size} bytes); read_file only shows text`);
      }
    } finally {
      await handle.close();
    }
    if (stat.size === 0) return { content: `(${name} is empty)` };

    const lines = await readLines(file.absolute, start, end, signal);
    if (start > lines.total) {
      throw new ToolInputError(`start_line ${start} is past the end of ${name}, which has ${lines.total} line${lines.total === 1 ? '' : 's'}`);
    }
    const last = start + lines.shown.length - 1;
    let content = lines.shown.join('\n');
    const wanted = Math.min(end ?? lines.total, lines.total);
    if (last < wanted) {
      content += `\n[showing lines ${start}-${last} of ${lines.total}: output is capped at ${READ_MAX_LINES} lines / ${READ_MAX_BYTES / 1024} KB; read on with start_line=${last + 1}]`;
    } else if (start > 1 || last < lines.total) {
      content += `\n[lines ${start}-${last} of ${lines.total}]`;
    }
    return { content };
  },
);

interface Lines {
  shown: string[];
  total: number;
}

/** Streams the file once: keeps the wanted numbered lines within the caps, counts them all. */
async function readLines(file: string, start: number, end: number | undefined, signal: AbortSignal): Promise<Lines> {
  const shown: string[] = [];
  let bytes = 0;
  let full = false;
  let lineNo = 0;
  let partial = '';
  let endsWithNewline = true;
  const decoder = new StringDecoder('utf8');

  const take = (line: string): void => {
    lineNo++;
    if (full || lineNo < start || (end !== undefined && lineNo > end)) return;
    let text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.length > READ_MAX_LINE_CHARS) text = `${text.slice(0, READ_MAX_LINE_CHARS)}… [line cut at ${READ_MAX_LINE_CHARS} characters]`;
    const numbered = `${String(lineNo).padStart(6)}\t${text}`;
    const size = Buffer.byteLength(numbered) + 1;
    if (shown.length >= READ_MAX_LINES || bytes + size > READ_MAX_BYTES) {
      full = true;
      return;
    }
    shown.push(numbered);
    bytes += size;
  };

  for await (const chunk of fs.createReadStream(file, { signal }) as AsyncIterable<Buffer>) {
    endsWithNewline = chunk[chunk.length - 1] === 10;
    const done = full || (end !== undefined && lineNo >= end);
    if (done && partial === '') {
      // Past what is shown: only count the rest.
      let at = chunk.indexOf(10);
      while (at >= 0) {
        lineNo++;
        at = chunk.indexOf(10, at + 1);
      }
      continue;
    }
    const pieces = (partial + decoder.write(chunk)).split('\n');
    partial = pieces.pop() ?? '';
    for (const piece of pieces) take(piece);
  }
  partial += decoder.end();
  if (partial !== '' || !endsWithNewline) take(partial);
  return { shown, total: lineNo };
}
