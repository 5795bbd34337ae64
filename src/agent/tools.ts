// The tool registry interface the turn loop runs tools through: the loop only needs
// definitions to send and a way to run one call. The built-in tools and the approval
// wrapper live in ./tools/.

import type { ToolCall, ToolDefinition } from './types.js';

export interface ToolResult {
  content: string;
  isError?: boolean;
}

export interface ToolContext {
  signal: AbortSignal;
  cwd: string;
}

export interface Tool {
  definition: ToolDefinition;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}

export interface ToolRegistry {
  definitions(): ToolDefinition[];
  run(call: ToolCall, context: ToolContext): Promise<ToolResult>;
  /** The tool behind a name, for wrappers that need more than its definition (approval). */
  tool?(name: string): Tool | undefined;
}

/** A registry over a fixed list of tools. Bad JSON or an unknown tool is an error result, never a throw. */
export class StaticToolRegistry implements ToolRegistry {
  private readonly byName: Map<string, Tool>;

  constructor(tools: Tool[]) {
    this.byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  }

  definitions(): ToolDefinition[] {
    return [...this.byName.values()].map((tool) => tool.definition);
  }

  tool(name: string): Tool | undefined {
    return this.byName.get(name);
  }

  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const tool = this.byName.get(call.name);
    if (!tool) return { content: `unknown tool: ${call.name}`, isError: true };
    const args = parseToolArguments(call.arguments);
    if (!args) return { content: `invalid arguments for ${call.name}: expected a JSON object`, isError: true };
    try {
      return await tool.run(args, context);
    } catch (err) {
      return { content: `${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
    }
  }
}

/** A call's argument JSON as an object, or undefined when it is not one. Empty means {}. */
export function parseToolArguments(json: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = json.trim() === '' ? {} : JSON.parse(json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export const NO_TOOLS: ToolRegistry = new StaticToolRegistry([]);
