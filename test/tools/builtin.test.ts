import { describe, expect, it } from 'vitest';
import { BUILTIN_TOOL_NAMES, createBuiltinTools, selectTools, ToolSelectionError } from '../../src/agent/tools/builtin.js';

const VALID = 'valid tools: read_file, list_directory, find_files, search_files, write_file, edit_file, run_shell';

describe('built-in tools', () => {
  it('keeps the parameter names models are told about (part of the contract)', () => {
    const schemas = Object.fromEntries(
      createBuiltinTools().map((tool) => {
        const parameters = tool.definition.parameters as { type: string; properties: Record<string, unknown>; required?: string[] };
        expect(parameters.type).toBe('object');
        expect(tool.definition.description.length).toBeGreaterThan(20);
        return [tool.definition.name, { properties: Object.keys(parameters.properties), required: parameters.required ?? [] }];
      }),
    );
    expect(schemas).toEqual({
      read_file: { properties: ['path', 'start_line', 'end_line'], required: ['path'] },
      list_directory: { properties: ['path'], required: [] },
      find_files: { properties: ['pattern', 'path'], required: ['pattern'] },
      search_files: { properties: ['pattern', 'path', 'glob'], required: ['pattern'] },
      write_file: { properties: ['path', 'content'], required: ['path', 'content'] },
      edit_file: { properties: ['path', 'old_string', 'new_string'], required: ['path', 'old_string', 'new_string'] },
      run_shell: { properties: ['command', 'timeout_seconds'], required: ['command'] },
    });
  });

  it('creates all tools, only some (in canonical order), or none (--no-tools)', () => {
    expect(createBuiltinTools().map((t) => t.definition.name)).toEqual([...BUILTIN_TOOL_NAMES]);
    expect(createBuiltinTools({ only: ['run_shell', 'read_file'] }).map((t) => t.definition.name)).toEqual(['read_file', 'run_shell']);
    expect(createBuiltinTools({ only: [] })).toEqual([]);
  });

  it('refuses unknown names, listing the valid ones', () => {
    expect(() => createBuiltinTools({ only: ['read_file', 'bash'] })).toThrow(new ToolSelectionError(`unknown tool "bash"; ${VALID}`));
  });
});

describe('selectTools (--tools / --allow values)', () => {
  it('accepts a comma-separated list with spaces and duplicates, or an array', () => {
    expect(selectTools('read_file, run_shell,read_file')).toEqual(['read_file', 'run_shell']);
    expect(selectTools(['write_file', 'edit_file,run_shell'])).toEqual(['write_file', 'edit_file', 'run_shell']);
  });

  it('names every unknown tool and lists the valid ones', () => {
    expect(() => selectTools('read,shell,run_shell')).toThrow(`unknown tools "read", "shell"; ${VALID}`);
  });

  it('refuses an empty list, pointing at --no-tools', () => {
    expect(() => selectTools(' , ')).toThrow(`no tool names given; ${VALID} (use --no-tools to disable them all)`);
  });
});
