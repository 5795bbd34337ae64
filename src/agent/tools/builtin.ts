// The built-in tool set, and the validation of tool names given on the command line
// (--tools read_file,search_files, --allow write_file).

import { editFileTool } from './edit-file.js';
import { findFilesTool } from './find-files.js';
import { listDirectoryTool } from './list-directory.js';
import { readFileTool } from './read-file.js';
import { createRunShellTool, type RunShellOptions } from './run-shell.js';
import { createSearchFilesTool, type SearchFilesOptions } from './search-files.js';
import type { BuiltinTool } from './tool.js';
import { writeFileTool } from './write-file.js';

export const BUILTIN_TOOL_NAMES = ['read_file', 'list_directory', 'find_files', 'search_files', 'write_file', 'edit_file', 'run_shell'] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

export interface BuiltinToolOptions {
  /** Only these tools (validated with selectTools); [] for none (--no-tools). Default: all. */
  only?: readonly string[];
  searchFiles?: SearchFilesOptions;
  runShell?: RunShellOptions;
}

/** A bad --tools / --allow value; the message lists the valid names. */
export class ToolSelectionError extends Error {
  override name = 'ToolSelectionError';
}

function isBuiltinName(name: string): name is BuiltinToolName {
  return (BUILTIN_TOOL_NAMES as readonly string[]).includes(name);
}

/**
 * Validates tool names: a comma-separated string ("read_file, run_shell") or a list. Returns
 * them without duplicates; throws ToolSelectionError naming the unknown ones and the valid ones.
 */
export function selectTools(names: string | readonly string[]): BuiltinToolName[] {
  const list = (typeof names === 'string' ? names.split(',') : names.flatMap((n) => n.split(','))).map((n) => n.trim()).filter((n) => n !== '');
  const valid = BUILTIN_TOOL_NAMES.join(', ');
  if (list.length === 0) throw new ToolSelectionError(`no tool names given; valid tools: ${valid} (use --no-tools to disable them all)`);
  const unknown = list.filter((n) => !isBuiltinName(n));
  if (unknown.length > 0) {
    const quoted = unknown.map((n) => `"${n}"`).join(', ');
    throw new ToolSelectionError(`unknown tool${unknown.length === 1 ? '' : 's'} ${quoted}; valid tools: ${valid}`);
  }
  return [...new Set(list as BuiltinToolName[])];
}

export function createBuiltinTools(options: BuiltinToolOptions = {}): BuiltinTool[] {
  const wanted = options.only === undefined ? BUILTIN_TOOL_NAMES : options.only.length === 0 ? [] : selectTools(options.only);
  const make: Record<BuiltinToolName, () => BuiltinTool> = {
    read_file: () => readFileTool,
    list_directory: () => listDirectoryTool,
    find_files: () => findFilesTool,
    search_files: () => createSearchFilesTool(options.searchFiles),
    write_file: () => writeFileTool,
    edit_file: () => editFileTool,
    run_shell: () => createRunShellTool(options.runShell),
  };
  // Always in the canonical order, whatever order the names were given in.
  return BUILTIN_TOOL_NAMES.filter((name) => wanted.includes(name)).map((name) => make[name]());
}
