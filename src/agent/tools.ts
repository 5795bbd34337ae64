// The tool registry interface the turn loop runs tools through. Real tools arrive later;
// the loop only needs definitions to send and a way to run one call.

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

  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const tool = this.byName.get(call.name);
    if (!tool) return { content: `unknown tool: ${call.name}`, isError: true };
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      args = parsed as Record<string, unknown>;
    } catch {
      return { content: `invalid arguments for ${call.name}: expected a JSON object`, isError: true };
    }
    try {
      return await tool.run(args, context);
    } catch (err) {
      return { content: `${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
    }
  }
}

export const NO_TOOLS: ToolRegistry = new StaticToolRegistry([]);
