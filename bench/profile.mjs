// Where the time goes: runs one contender once under `node --cpu-prof` against the bench server
// and prints the hottest functions (self time) and the time per file. For diagnosing a MISS.
//
//   node bench/profile.mjs [openai|anthropic] [tokens=20000] [hermes|reference] [top=25]
//   (the interactive TUI: bench/profile-tui.mjs)

import { join } from 'node:path';
import { expectedText, startFakeServer } from './fake-server.mjs';
import { ROOT, cleanEnv, describeMismatch, runNode, scratchDir } from './measure.mjs';
import { printProfile } from './profile-report.mjs';

const wire = process.argv[2] ?? 'openai';
const count = Number(process.argv[3] ?? 20000);
const who = process.argv[4] ?? 'hermes';
const top = Number(process.argv[5] ?? 25);
const envVar = wire === 'openai' ? 'OPENAI_BASE_URL' : 'ANTHROPIC_BASE_URL';
const model = wire === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-20250514';

const server = await startFakeServer();
const dir = scratchDir('prof');
const url = server.baseURL(wire, count);
const script =
  who === 'hermes'
    ? [join(ROOT, 'bin/hermes.js'), '-p', 'x', '--provider', wire, '--base-url', url, '-m', model]
    : [join(ROOT, `bench/reference-${wire}.mjs`), 'x'];
const result = await runNode(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', ...script], {
  env: cleanEnv({ HERMES_HOME: scratchDir('home'), [envVar]: url, BENCH_MODEL: model }),
});
await server.close();

const expected = expectedText(count);
console.log(
  `${who} ${wire} ${count} tokens: wall ${result.wallMs.toFixed(0)} ms, cpu ${result.cpuMs?.toFixed(0)} ms, rss ${result.rssMiB?.toFixed(1)} MiB, ` +
    (result.stdout.equals(Buffer.from(expected)) ? 'output correct' : `WRONG OUTPUT: ${describeMismatch(result.stdout, expected)}`),
);

printProfile(dir, top);
