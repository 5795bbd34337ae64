// Prints the hottest functions (self time) and the time per file of the .cpuprofile in a folder.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT } from './measure.mjs';

/**
 * `window`: only the samples taken between these two moments, in microseconds of the
 * monotonic clock (process.hrtime.bigint() / 1000n), which is the clock V8 stamps samples with.
 */
export function printProfile(dir, top = 25, window = undefined) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) {
    console.error('no profile written');
    process.exit(1);
  }
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window[0] || at > window[1])) continue;
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

  const print = (title, map, n) => {
    console.log(`\n${title} (self time, ${(total / 1000).toFixed(0)} ms busy)`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
    }
  };
  print('hottest functions', fnTime, top);
  print('by file', fileTime, 15);

  // Inclusive time: each function gets every sample it was on the stack for (once per sample).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame: f } = byId.get(at);
      const key = `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  print('inclusive', inclusive, top);
}

function shortUrl(url) {
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('/node_modules/')) return path.slice(path.lastIndexOf('/node_modules/') + 14);
  if (path.includes('/dist/')) return `dist/${basename(path)}`;
  if (path.startsWith('node:')) return path;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}
