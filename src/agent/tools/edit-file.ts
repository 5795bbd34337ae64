// edit_file: replaces one exact, unique snippet. A snippet that is missing or ambiguous is an
// error saying which, so the model retries with more context instead of editing blindly.

import { unifiedDiff } from './diff.js';
import { resolveWritable, type WritablePath } from './paths.js';
import { writeResolved } from './safe-write.js';
import { PREVIEW_MAX_DIFF_LINES, readExisting, RESULT_MAX_DIFF_LINES } from './text-file.js';
import { defineTool, stringArg, ToolInputError, type BuiltinTool, type ToolPreview } from './tool.js';

interface Edit {
  file: WritablePath;
  before: string;
  after: string;
}

/** Non-overlapping occurrences of `needle`, up to 1000 (enough to say "many"). */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  let at = haystack.indexOf(needle);
  while (at >= 0 && found.length < 1000) {
    found.push(at);
    at = haystack.indexOf(needle, at + needle.length);
  }
  return found;
}

async function planEdit(args: Record<string, unknown>, cwd: string): Promise<Edit> {
  const input = stringArg(args, 'path');
  let oldString = stringArg(args, 'old_string');
  let newString = stringArg(args, 'new_string');
  if (oldString === '') throw new ToolInputError('old_string is empty; to create a file or replace all of it, use write_file');
  if (oldString === newString) throw new ToolInputError('old_string and new_string are the same; nothing would change');
  const file = resolveWritable(cwd, input);
  const existing = await readExisting(file.absolute);
  switch (existing.kind) {
    case 'missing':
      throw new ToolInputError(`file not found: ${file.display} (use write_file to create it)`);
    case 'directory':
      throw new ToolInputError(`${file.display} is a folder, not a file`);
    case 'special':
      throw new ToolInputError(`${file.display} is not a regular file`);
    case 'binary':
      throw new ToolInputError(`${file.display} looks like a binary file (${existing.size} bytes); edit_file only edits text`);
  }
  const before = existing.text;
  let found = occurrences(before, oldString);
  // Models write "\n"; a Windows-style file has "\r\n". Match it the way the file is written.
  if (found.length === 0 && before.includes('\r\n') && oldString.includes('\n') && !oldString.includes('\r')) {
    const crlf = oldString.replace(/\n/g, '\r\n');
    const crlfFound = occurrences(before, crlf);
    if (crlfFound.length > 0) {
      oldString = crlf;
      newString = newString.replace(/\r?\n/g, '\r\n');
      found = crlfFound;
    }
  }
  if (found.length === 0) {
    throw new ToolInputError(`old_string was not found in ${file.display}; it must match the file exactly, including whitespace and indentation (read the file again to copy it)`);
  }
  if (found.length > 1) {
    const lines = found.slice(0, 10).map((at) => before.slice(0, at).split('\n').length);
    const where = `line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${found.length > lines.length ? ', …' : ''}`;
    throw new ToolInputError(
      `old_string matches ${found.length >= 1000 ? '1000 or more' : found.length} places in ${file.display} (${where}); it must match exactly one: include more of the surrounding lines`,
    );
  }
  const at = found[0]!;
  return { file, before, after: before.slice(0, at) + newString + before.slice(at + oldString.length) };
}

async function preview(args: Record<string, unknown>, cwd: string): Promise<ToolPreview> {
  try {
    const edit = await planEdit(args, cwd);
    return { diff: unifiedDiff(edit.before, edit.after, { path: edit.file.display, maxLines: PREVIEW_MAX_DIFF_LINES }) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export const editFileTool: BuiltinTool = defineTool(
  {
    name: 'edit_file',
    description:
      'Edit a text file by replacing one exact snippet: old_string must occur exactly once in the file ' +
      '(include enough surrounding lines to make it unique; whitespace and indentation must match). ' +
      'Returns the change as a unified diff.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path, relative to the working folder' },
        old_string: { type: 'string', description: 'The exact text to replace (must occur exactly once)' },
        new_string: { type: 'string', description: 'The text to put in its place' },
      },
      required: ['path', 'old_string', 'new_string'],
    },
  },
  {
    readOnly: false,
    paths: (args) => [String(args.path ?? '')],
    preview: (args, { cwd }) => preview(args, cwd),
  },
  async (args, { cwd, signal }) => {
    const edit = await planEdit(args, cwd);
    if (signal.aborted) throw new ToolInputError('interrupted');
    await writeResolved(edit.file.real, edit.after, edit.file.display);
    const diff = unifiedDiff(edit.before, edit.after, { path: edit.file.display, maxLines: RESULT_MAX_DIFF_LINES });
    return { content: `edited ${edit.file.display}\n${diff}` };
  },
);
