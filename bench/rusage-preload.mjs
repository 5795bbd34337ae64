// Loaded into every measured child with `node --import`: at exit, writes the process's own
// resource usage (user and system CPU in µs, peak RSS in KiB) as JSON to the file named by
// BENCH_RUSAGE_FILE. Both contenders get exactly this, so its own cost cancels out.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.once('exit', () => {
    try {
      writeFileSync(file, JSON.stringify(process.resourceUsage()));
    } catch {
      // A missing figure shows up in the report; it must not change the child's exit code.
    }
  });
}
