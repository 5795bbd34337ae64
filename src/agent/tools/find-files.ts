// find_files: paths matching a glob, below a folder. .git and node_modules are skipped unless
// the pattern names them; the pattern cannot leave the folder (path is what approval checks).

import fs from 'node:fs/promises';
import { pathMatcher } from './glob.js';
import { displayPath, resolvePath } from './paths.js';
import { defineTool, optionalNonEmpty, stringArg, ToolInputError, type BuiltinTool } from './tool.js';
import { ALWAYS_SKIPPED_FOLDERS, walk } from './walk.js';

export const FIND_MAX_RESULTS = 1000;

export const findFilesTool: BuiltinTool = defineTool(
  {
    name: 'find_files',
    description:
      `Find files and folders whose path matches a glob pattern, searching below path (default: the working folder). ` +
      `Supports ** (any folders), *, ?, [abc] and {a,b}. A pattern without '/' matches names at any depth ("*.ts" finds every .ts file); ` +
      `one with '/' matches the path relative to the search folder ("src/**/*.test.ts"). Folders are listed with a trailing '/'. ` +
      `.git and node_modules are skipped unless the pattern names them. At most ${FIND_MAX_RESULTS} results.`,
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Glob pattern, e.g. "**/*.md" or "src/*.{ts,tsx}"' },
        path: { type: 'string', description: 'Folder to search below (default ".")' },
      },
      required: ['pattern'],
    },
  },
  { readOnly: true, paths: (args) => [typeof args.path === 'string' && args.path.trim() !== '' ? args.path : '.'] },
  async (args, { cwd, signal }) => {
    const pattern = stringArg(args, 'pattern').trim();
    if (pattern === '') throw new ToolInputError('pattern is empty');
    if (pattern.startsWith('/') || pattern.startsWith('~') || pattern.split('/').includes('..')) {
      throw new ToolInputError('the pattern must stay below the search folder (no leading "/", "~" or ".."); put the folder in the path parameter');
    }
    const root = resolvePath(cwd, optionalNonEmpty(args, 'path') ?? '.');
    const stat = await fs.stat(root.absolute).catch(() => undefined);
    if (!stat) throw new ToolInputError(`folder not found: ${root.display}`);
    if (!stat.isDirectory()) throw new ToolInputError(`${root.display} is not a folder`);

    const matches = pathMatcher(pattern);
    const named = new Set(pattern.split(/[/{},]/));
    const results: string[] = [];
    let more = false;
    for await (const entry of walk(root.absolute, {
      signal,
      skip: (e) => e.kind === 'directory' && ALWAYS_SKIPPED_FOLDERS.has(e.name) && !named.has(e.name),
    })) {
      if (!matches(entry.relative)) continue;
      if (results.length >= FIND_MAX_RESULTS) {
        more = true;
        break;
      }
      results.push(displayPath(cwd, entry.absolute) + (entry.kind === 'directory' ? '/' : ''));
    }
    if (signal.aborted) throw new ToolInputError('interrupted');
    if (results.length === 0) return { content: `no files match ${pattern} in ${root.display}` };
    if (more) results.push(`[results capped at ${FIND_MAX_RESULTS}; narrow the pattern or the path]`);
    return { content: results.join('\n') };
  },
);
