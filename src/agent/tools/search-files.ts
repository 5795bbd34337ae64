// search_files: a regular expression over the files below a folder, respecting .gitignore.
// ripgrep does the work when it is on PATH; a JavaScript walk otherwise (or when forced).

import fs from 'node:fs/promises';
import { resolvePath } from './paths.js';
import { findRipgrep, searchWithRipgrep } from './ripgrep.js';
import { compilePattern, searchWithJavaScript } from './search-fallback.js';
import { SEARCH_MAX_MATCHES, SearchResults } from './search-results.js';
import { defineTool, optionalNonEmpty, stringArg, ToolInputError, type BuiltinTool } from './tool.js';

export interface SearchFilesOptions {
  /**
   * 'auto' (default): ripgrep when it is on PATH. 'never': always the JavaScript fallback.
   * A path: that rg executable.
   */
  ripgrep?: 'auto' | 'never' | (string & {});
}

export function createSearchFilesTool(options: SearchFilesOptions = {}): BuiltinTool {
  return defineTool(
    {
      name: 'search_files',
      description:
        `Search file contents for a regular expression, below path (default: the working folder) or in one file. ` +
        `Files ignored by .gitignore, hidden files and binary files are skipped. glob limits the files searched ("*.ts", "src/**/*.py"). ` +
        `Returns path:line:text for each matching line, at most ${SEARCH_MAX_MATCHES}.`,
      parameters: {
        type: 'object',
        properties: {
          pattern: { type: 'string', description: 'Regular expression (case-sensitive), e.g. "function\\s+main"' },
          path: { type: 'string', description: 'Folder or file to search (default ".")' },
          glob: { type: 'string', description: 'Only search files whose path matches this glob' },
        },
        required: ['pattern'],
      },
    },
    { readOnly: true, paths: (args) => [typeof args.path === 'string' && args.path.trim() !== '' ? args.path : '.'] },
    async (args, { cwd, signal }) => {
      const pattern = stringArg(args, 'pattern');
      if (pattern === '') throw new ToolInputError('pattern is empty');
      const glob = optionalNonEmpty(args, 'glob');
      const root = resolvePath(cwd, optionalNonEmpty(args, 'path') ?? '.');
      if (!(await fs.stat(root.absolute).catch(() => undefined))) throw new ToolInputError(`not found: ${root.display}`);

      const rg = options.ripgrep === 'never' ? undefined : options.ripgrep === undefined || options.ripgrep === 'auto' ? findRipgrep() : options.ripgrep;
      let results = new SearchResults();
      let useFallback = rg === undefined;
      if (rg !== undefined) {
        const outcome = await searchWithRipgrep({ rg, cwd, target: root.display, pattern, glob, signal, results });
        if (!outcome.ok) {
          // ripgrep's regex dialect lacks lookaround and backreferences; JavaScript has them.
          if (!outcome.badPattern) throw new ToolInputError(outcome.message);
          compilePattern(pattern);
          results = new SearchResults();
          useFallback = true;
        }
      }
      if (useFallback) await searchWithJavaScript({ cwd, root: root.absolute, pattern, glob, signal, results });
      if (signal.aborted) throw new ToolInputError('interrupted');
      return { content: results.render(pattern, root.display) };
    },
  );
}

export const searchFilesTool: BuiltinTool = createSearchFilesTool();
