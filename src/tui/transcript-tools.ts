// The tool calls in progress, one live row each: preparing (arguments streaming), waiting for
// the user's approval, running. A finished call leaves the live rows for one scrollback line.

import type { Theme } from './theme.js';
import { describeArguments, oneLine } from './tool-summary.js';

export interface LiveTool {
  id: string;
  name: string;
  args?: string;
  running: boolean;
  /** What the user decided for it, said on its one scrollback line (see decide). */
  decision?: { label: string; command: string[] };
}

const MAX_TOOL_ROWS = 4;

export class LiveTools {
  #tools: LiveTool[] = [];
  #awaitingId: string | undefined;

  get length(): number {
    return this.#tools.length;
  }

  /** Rows the calls take in the live view. */
  get rows(): number {
    return Math.min(this.#tools.length, MAX_TOOL_ROWS) + (this.#tools.length > MAX_TOOL_ROWS ? 1 : 0);
  }

  /** The call waiting for the user's approval (its row says so), or undefined. */
  awaiting(callId: string | undefined): void {
    this.#awaitingId = callId;
  }

  /** The user answered the call's approval prompt; false when the call is not live. */
  decide(id: string, label: string, command: string[]): boolean {
    const tool = this.#tools.find((candidate) => candidate.id === id);
    if (tool) tool.decision = { label, command };
    return tool !== undefined;
  }

  /** The model began a call (its arguments are still streaming). */
  begin(id: string, name: string): void {
    this.#tools.push({ id, name: oneLine(name), running: false });
  }

  /** The call's arguments are complete. */
  arguments(id: string, name: string, json: string): void {
    this.#find(id, name).args = describeArguments(json);
  }

  /** The tool runs. */
  started(id: string, name: string, json: string): void {
    const tool = this.#find(id, name);
    tool.running = true;
    tool.args ??= describeArguments(json);
  }

  /** The call is over: it leaves the live rows. */
  finished(id: string, name: string): LiveTool {
    const index = this.#tools.findIndex((candidate) => candidate.id === id);
    if (index === -1) return { id, name: oneLine(name), running: true };
    return this.#tools.splice(index, 1)[0]!;
  }

  /** Every call still live (the run ended without them): they leave the live rows. */
  drain(): LiveTool[] {
    const tools = this.#tools;
    this.#tools = [];
    return tools;
  }

  clear(): void {
    this.#tools = [];
  }

  view(t: Theme): string[] {
    const shown = this.#tools.slice(0, MAX_TOOL_ROWS).map((tool) => this.#row(tool, t));
    if (this.#tools.length > MAX_TOOL_ROWS) shown.push(t.dim(`  +${this.#tools.length - MAX_TOOL_ROWS} more`));
    return shown;
  }

  #find(id: string, name: string): LiveTool {
    let tool = this.#tools.find((candidate) => candidate.id === id);
    if (!tool) {
      tool = { id, name: oneLine(name), running: false };
      this.#tools.push(tool);
    }
    return tool;
  }

  #row(tool: LiveTool, t: Theme): string {
    const args = tool.args ? ` ${tool.args}` : '';
    const state = tool.id === this.#awaitingId ? 'waiting for your approval' : tool.running ? 'running…' : 'preparing…';
    return `${t.cyan('⚙')} ${t.bold(tool.name)}${args} ${t.dim(state)}`;
  }
}
