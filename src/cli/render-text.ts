// The default one-shot output: the answer on stdout as it streams, nothing else there.
// Reasoning and progress go to stderr, and only where a person is watching (a terminal), or
// reasoning also when --show-reasoning asks for it.

import type { AgentEvent, RunResult } from '../agent/events.js';
import { createTerminalSanitizer } from '../stream/sanitize.js';
import { DIM, UNDIM, safeLine } from './messages.js';
import type { OutputWriter } from './output-writer.js';
import type { Renderer } from './renderer.js';

export interface TextRendererOptions {
  writer: OutputWriter;
  secrets: readonly string[];
  /** Print reasoning on stderr. */
  showReasoning: boolean;
  /** Print progress (retries, fallback, tools) on stderr. */
  showProgress: boolean;
  /** Dim what goes to stderr. */
  color: boolean;
  /** Makes an error's "the server" the address that was tried. */
  nameAddress?: (message: string) => string;
}

export function createTextRenderer(options: TextRendererOptions): Renderer {
  const { writer, secrets } = options;
  const text = createTerminalSanitizer();
  const reasoning = createTerminalSanitizer();
  let outAtLineStart = true;
  let wroteText = false;
  let errAtLineStart = true;
  let reasoningOpen = false;

  const out = (chunk: string): void => {
    if (chunk === '') return;
    writer.out(chunk);
    wroteText = true;
    outAtLineStart = chunk.endsWith('\n');
  };
  const err = (chunk: string, dim: boolean): void => {
    if (chunk === '') return;
    writer.err(dim && options.color ? `${DIM}${chunk}${UNDIM}` : chunk);
    errAtLineStart = chunk.endsWith('\n');
  };
  const closeReasoning = (): void => {
    if (!reasoningOpen) return;
    reasoningOpen = false;
    err(reasoning.flush(), true);
    if (!errAtLineStart) err('\n', false);
  };
  /** Ends the answer's current line so what follows (a tool line, the next segment) starts fresh. */
  const closeText = (): void => {
    out(text.flush());
    if (wroteText && !outAtLineStart) out('\n');
  };
  const progress = (line: string): void => {
    if (!options.showProgress) return;
    closeReasoning();
    err(safeLine(line, secrets), true);
    err('\n', false);
  };

  return {
    event(event: AgentEvent): void {
      switch (event.type) {
        case 'text':
          closeReasoning();
          out(text.push(event.delta));
          break;
        case 'reasoning':
          if (!options.showReasoning) break;
          reasoningOpen = true;
          err(reasoning.push(event.delta), true);
          break;
        case 'message':
          // The segment before a tool call is closed, so later text does not glue onto it.
          closeReasoning();
          if (event.message.toolCalls.length > 0) closeText();
          break;
        case 'retrying':
          progress(`retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt}): ${options.nameAddress?.(event.reason) ?? event.reason}`);
          break;
        case 'fallback':
          progress(event.reason);
          break;
        case 'tool_started':
          progress(`running ${event.name}…`);
          break;
        case 'tool_finished':
          progress(`${event.name} ${event.isError ? 'failed' : 'done'}`);
          break;
        default:
          break;
      }
    },
    finish(_result: RunResult): void {
      closeReasoning();
      // Partial text stays; it just gets its newline.
      closeText();
    },
  };
}
