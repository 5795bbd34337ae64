// list_directory: the entries of one folder, folders marked with a trailing '/'.

import fs from 'node:fs/promises';
import path from 'node:path';
import { resolvePath } from './paths.js';
import { defineTool, optionalNonEmpty, ToolInputError, type BuiltinTool } from './tool.js';

export const LIST_MAX_ENTRIES = 1000;

export const listDirectoryTool: BuiltinTool = defineTool(
  {
    name: 'list_directory',
    description:
      `List the entries of a folder (default: the working folder). Folders end with '/', symbolic links show their target. ` +
      `At most ${LIST_MAX_ENTRIES} entries.`,
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Folder path, relative to the working folder (default ".")' },
      },
    },
  },
  { readOnly: true, paths: (args) => [typeof args.path === 'string' && args.path.trim() !== '' ? args.path : '.'] },
  async (args, { cwd }) => {
    const folder = resolvePath(cwd, optionalNonEmpty(args, 'path') ?? '.');
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(folder.absolute, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ToolInputError(`folder not found: ${folder.display}`);
      if (code === 'ENOTDIR') throw new ToolInputError(`${folder.display} is a file, not a folder; use read_file to read it`);
      throw err;
    }
    if (entries.length === 0) return { content: `(${folder.display} is empty)` };
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const shown = entries.slice(0, LIST_MAX_ENTRIES);
    const lines = await Promise.all(
      shown.map(async (entry) => {
        if (entry.isDirectory()) return `${entry.name}/`;
        if (entry.isSymbolicLink()) {
          const target = await fs.readlink(path.join(folder.absolute, entry.name)).catch(() => '?');
          return `${entry.name} -> ${target}`;
        }
        return entry.name;
      }),
    );
    if (entries.length > shown.length) {
      lines.push(`[${entries.length - shown.length} more entries not shown; ${entries.length} in all — use find_files to narrow down]`);
    }
    return { content: lines.join('\n') };
  },
);
