// The processes a test started, found in /proc by their command line and working folder (a
// folder of the test's own), so that an orphan left behind by hermes can be seen.

import fs from 'node:fs';

/** Pids whose argv is exactly `argv` and whose working folder is `cwd`. */
export function processesIn(cwd: string, argv: readonly string[]): number[] {
  const want = argv.join('\0');
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0$/, '');
      if (cmdline !== want || fs.readlinkSync(`/proc/${name}/cwd`) !== cwd) continue;
      // A zombie has been killed already; only its parent has not reaped it yet.
      if (/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${name}/stat`, 'utf8'))) continue;
      out.push(Number(name));
    } catch {
      // it exited while we looked
    }
  }
  return out;
}

/** Polls until `check` holds; rejects with `what` after `timeoutMs` (generous: a shared machine). */
export async function eventually<T>(check: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
