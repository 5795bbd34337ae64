// Compares the TUI's CPU of two or more builds on the same throttled answer, run side by side in
// separate tmux panes at the same moment, so that the shared machine's changing load weighs on
// all of them alike (run one after the other, a 20% swing between runs is common here). Prints
// each build's CPU per round (all threads, and the main thread alone), the medians, and the
// median of the per-round ratios to the first build. Make the other builds with
// `git worktree add /tmp/base <commit>`, a node_modules symlink and `node scripts/build.mjs`.
//
//   node bench/tui-ab.mjs [rounds=5] [tokens=2000] [tokens/s=200] <launcher> <launcher>…
//   (a launcher is a path to bin/hermes.js; default: this checkout's)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, median, scratchDir } from './measure.mjs';
import { LAST_MARKER, startTuiServer } from './tui-server.mjs';
import { CPU_TICK_MS, Tmux } from './tui-term.mjs';

const [rounds = 5, count = 2000, rate = 200] = process.argv.slice(2, 5).map(Number);
const launchers = process.argv.slice(5);
if (launchers.length === 0) launchers.push(join(ROOT, 'bin/hermes.js'));
const READY = 'sk anything';
const PROMPT = 'zqxprompt';

/** CPU ms of the process: all its threads, and its main thread (whose id is the pid). */
function cpu(pid) {
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * CPU_TICK_MS;
      all += ms;
      if (tid === String(pid)) main = ms;
    } catch {
      // the thread ended
    }
  }
  return { all, main };
}

const dir = scratchDir('tui-ab');
const server = await startTuiServer();
const tmux = new Tmux(dir, { columns: 120, rows: 40 });

async function session(launcher, index) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    HERMES_HOME: join(dir, `home${index}`),
    OPENAI_BASE_URL: server.baseURL(count, rate),
    OPENAI_API_KEY: 'sk-bench-not-a-real-key',
  };
  const pane = await tmux.pane([process.execPath, launcher], env);
  try {
    await pane.enter();
    await pane.tap.waitFor(READY, { timeoutMs: 20_000 });
    await pane.type(PROMPT);
    await pane.tap.waitFor(PROMPT, { timeoutMs: 20_000 });
    await pane.tap.quiet(500);
    return {
      async ask() {
        const from = pane.tap.length;
        const before = cpu(pane.pid);
        await pane.enter();
        await pane.tap.waitFor(LAST_MARKER, { from, timeoutMs: (count / Math.max(rate, 1)) * 1000 + 60_000 });
        const after = cpu(pane.pid);
        return { all: after.all - before.all, main: after.main - before.main };
      },
      kill: () => pane.kill(),
    };
  } catch (err) {
    await pane.kill();
    throw err;
  }
}

const results = launchers.map(() => []);
try {
  await tmux.start();
  for (let round = 1; round <= rounds; round++) {
    // started one after the other (start-up is not measured), asked at the same moment
    const sessions = [];
    for (const [i, launcher] of launchers.entries()) sessions.push(await session(launcher, i));
    const figures = await Promise.all(sessions.map((s) => s.ask()));
    await Promise.all(sessions.map((s) => s.kill()));
    figures.forEach((f, i) => results[i].push(f));
    console.log(`round ${round}: ${figures.map((f) => `${f.all} ms (main ${f.main})`).join('  |  ')}`);
  }
} finally {
  await tmux.stop();
  await server.close();
}

console.log(`\nTUI CPU, Enter → last of ${count} tokens at ${rate}/s, median of ${rounds} rounds:`);
for (const [i, launcher] of launchers.entries()) {
  const ratio = median(results[i].map((r, k) => r.all / results[0][k].all));
  console.log(
    `  ${String(median(results[i].map((r) => r.all))).padStart(5)} ms (main thread ${median(results[i].map((r) => r.main))} ms)  ${i === 0 ? '' : `${ratio.toFixed(2)}x the first  `}${launcher}`,
  );
}
