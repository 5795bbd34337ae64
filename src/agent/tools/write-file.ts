// write_file: creates or replaces a whole file, making missing parent folders.

import { unifiedDiff } from './diff.js';
import { resolveWritable, type WritablePath } from './paths.js';
import { writeResolved } from './safe-write.js';
import { lineCount, PREVIEW_MAX_DIFF_LINES, readExisting, type ExistingFile } from './text-file.js';
import { defineTool, stringArg, ToolInputError, type BuiltinTool, type ToolPreview } from './tool.js';

interface Plan {
  file: WritablePath;
  content: string;
  existing: ExistingFile;
}

async function plan(args: Record<string, unknown>, cwd: string): Promise<Plan> {
  const input = stringArg(args, 'path');
  if (input.trim() === '') throw new ToolInputError('path is empty');
  const content = stringArg(args, 'content');
  const file = resolveWritable(cwd, input);
  const existing = await readExisting(file.absolute);
  if (existing.kind === 'directory') throw new ToolInputError(`${file.display} is a folder; give a file path`);
  if (existing.kind === 'special') throw new ToolInputError(`${file.display} is not a regular file`);
  return { file, content, existing };
}

async function preview(args: Record<string, unknown>, cwd: string): Promise<ToolPreview> {
  try {
    const { file, content, existing } = await plan(args, cwd);
    if (existing.kind === 'binary') return { diff: `binary file ${file.display} (${existing.size} bytes) would be replaced by ${lineCount(content)} lines of text` };
    const old = existing.kind === 'text' ? existing.text : '';
    const diff = unifiedDiff(old, content, { path: file.display, created: existing.kind === 'missing', maxLines: PREVIEW_MAX_DIFF_LINES });
    return { diff: diff || `${file.display} already has exactly this content` };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export const writeFileTool: BuiltinTool = defineTool(
  {
    name: 'write_file',
    description:
      'Write a whole file: creates it (and any missing parent folders) or replaces its content. ' +
      'To change part of an existing file, prefer edit_file.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path, relative to the working folder' },
        content: { type: 'string', description: 'The complete new content of the file' },
      },
      required: ['path', 'content'],
    },
  },
  {
    readOnly: false,
    paths: (args) => [String(args.path ?? '')],
    preview: (args, { cwd }) => preview(args, cwd),
  },
  async (args, { cwd, signal }) => {
    const { file, content, existing } = await plan(args, cwd);
    if (signal.aborted) throw new ToolInputError('interrupted');
    await writeResolved(file.real, content, file.display);
    const lines = lineCount(content);
    const bytes = Buffer.byteLength(content);
    const verb = existing.kind === 'missing' ? 'created' : 'overwrote';
    return { content: `${verb} ${file.display} (${lines} line${lines === 1 ? '' : 's'}, ${bytes} byte${bytes === 1 ? '' : 's'})` };
  },
);
