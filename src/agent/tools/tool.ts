// What every built-in tool shares: the facts the approval policy needs about a call, and a
// wrapper that turns any failure into an error result, so a tool never throws at the loop.

import type { Tool, ToolContext, ToolResult } from '../tools.js';
import type { ToolDefinition } from '../types.js';

/** The outcome of previewing a change: the diff it would make, or why it would fail. */
export type ToolPreview = { diff: string } | { error: string };

/**
 * Facts about a call, stated by the tool; what they imply (run, ask, always ask) is decided
 * in approval.ts only.
 */
export interface ToolAccess {
  /** true: the tool never changes anything. */
  readOnly: boolean;
  /** The paths a call acts on, as the model gave them (the policy resolves them against cwd). */
  paths(args: Record<string, unknown>): string[];
  /** The shell command a call runs, checked against the dangerous-command list. */
  command?(args: Record<string, unknown>): string | undefined;
  /** The change a call would make, computed without making it (shown when asking). */
  preview?(args: Record<string, unknown>, context: ToolContext): Promise<ToolPreview>;
}

export interface BuiltinTool extends Tool {
  access: ToolAccess;
}

export function accessOf(tool: Tool): ToolAccess | undefined {
  const access = (tool as Partial<BuiltinTool>).access;
  return access && typeof access.paths === 'function' ? access : undefined;
}

/** A bad argument or a refusal: its message goes to the model as it is. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

export const INTERRUPTED = 'interrupted by the user';

/** Builds a tool whose run never throws: errors become `{content, isError: true}`. */
export function defineTool(
  definition: ToolDefinition,
  access: ToolAccess,
  run: (args: Record<string, unknown>, context: ToolContext) => Promise<ToolResult>,
): BuiltinTool {
  return {
    definition,
    access,
    async run(args, context) {
      if (context.signal.aborted) return { content: INTERRUPTED, isError: true };
      try {
        return await run(args, context);
      } catch (err) {
        if (context.signal.aborted) return { content: INTERRUPTED, isError: true };
        return { content: errorText(err), isError: true };
      }
    },
  };
}

/** A readable one-line reason for a failure (Node's fs errors carry codes worth translating). */
export function errorText(err: unknown): string {
  if (err instanceof ToolInputError) return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const file = (err as NodeJS.ErrnoException | undefined)?.path;
  const where = file ? `: ${file}` : '';
  switch (code) {
    case 'ENOENT':
      return `no such file or directory${where}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}`;
    case 'EISDIR':
      return `is a directory${where}`;
    case 'ENOTDIR':
      return `not a directory${where}`;
    case 'EROFS':
      return `read-only file system${where}`;
    case 'ENOSPC':
      return `no space left on device${where}`;
  }
  return err instanceof Error ? err.message : String(err);
}

// Argument readers. Models sometimes send numbers as strings; that is accepted, nothing else.

export function stringArg(args: Record<string, unknown>, key: string): string;
export function stringArg(args: Record<string, unknown>, key: string, optional: 'optional'): string | undefined;
export function stringArg(args: Record<string, unknown>, key: string, optional?: 'optional'): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw new ToolInputError(`missing required parameter "${key}"`);
  }
  if (typeof value !== 'string') throw new ToolInputError(`parameter "${key}" must be a string`);
  return value;
}

/** A non-empty string, or undefined when absent or blank (optional path-like arguments). */
export function optionalNonEmpty(args: Record<string, unknown>, key: string): string | undefined {
  const value = stringArg(args, key, 'optional');
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function numberArg(args: Record<string, unknown>, key: string): number | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw new ToolInputError(`parameter "${key}" must be a number`);
  return n;
}

export function positiveIntArg(args: Record<string, unknown>, key: string): number | undefined {
  const n = numberArg(args, key);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1) throw new ToolInputError(`parameter "${key}" must be a whole number of at least 1`);
  return n;
}
