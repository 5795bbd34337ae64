// Where the time goes: runs one contender once under `node --cpu-prof` against the bench server
// and prints the hottest functions (self time) and the time per file. For diagnosing a MISS.
//
//   node bench/profile.mjs [openai|anthropic] [tokens=20000] [hermes|reference] [top=25]

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expectedText, startFakeServer } from './fake-server.mjs';
import { ROOT, cleanEnv, describeMismatch, runNode, scratchDir } from './measure.mjs';

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

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) {
  console.error('no profile written');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
// Idle time is waiting for the network, not work: leave it out of the percentages.
const total = [...selfUs].reduce((sum, [id, us]) => (byId.get(id).callFrame.functionName === '(idle)' ? sum : sum + us), 0);

const fnTime = new Map();
const fileTime = new Map();
for (const [id, us] of selfUs) {
  const { callFrame: f } = byId.get(id);
  const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '';
  const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
  fnTime.set(key, (fnTime.get(key) ?? 0) + us);
  const fileKey = f.url ? shortUrl(f.url) : f.functionName || '(native)';
  fileTime.set(fileKey, (fileTime.get(fileKey) ?? 0) + us);
}

function shortUrl(url) {
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('/node_modules/')) return path.slice(path.lastIndexOf('/node_modules/') + 14);
  if (path.includes('/dist/')) return `dist/${basename(path)}`;
  if (path.startsWith('node:')) return path;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

const print = (title, map, n) => {
  console.log(`\n${title} (self time, ${(total / 1000).toFixed(0)} ms busy)`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
};
print('hottest functions', fnTime, top);
print('by file', fileTime, 15);
