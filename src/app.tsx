// Placeholder for the interactive TUI (a later issue replaces this file). It is loaded with a
// dynamic import only, so nothing here ever weighs on the one-shot path.

import type { ResolvedConfig } from './agent/config.js';

/** Runs the interactive chat; resolves with the process exit code. */
export async function runInteractive(_config: ResolvedConfig): Promise<number> {
  process.stderr.write('hermes: the interactive mode is not available yet; use -p "prompt"\n');
  return 2;
}
