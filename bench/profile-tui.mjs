// Where the interactive TUI's time goes: the real `hermes` under `node --cpu-prof` in a 120x40
// tmux pane (no CI variable), asked once against the TUI bench's server; prints the hottest
// functions of the samples taken from Enter to the last token on the terminal. For diagnosing a
// MISS of bench/tui.mjs.
//
//   node bench/profile-tui.mjs [tokens=2000] [tokens/s=200 (0: unthrottled)] [top=30]

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratchDir } from './measure.mjs';
import { printProfile } from './profile-report.mjs';
import { LAST_MARKER, startTuiServer } from './tui-server.mjs';
import { Tmux, cpuMs, sleep } from './tui-term.mjs';

const count = Number(process.argv[2] ?? 2000);
const rate = Number(process.argv[3] ?? 200);
const top = Number(process.argv[4] ?? 30);
const READY = 'sk anything';

const dir = scratchDir('prof-tui');
const server = await startTuiServer();
const tmux = new Tmux(dir, { columns: 120, rows: 40 });
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
let window;
try {
  await tmux.start();
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    HERMES_HOME: join(dir, 'home'),
    OPENAI_BASE_URL: server.baseURL(count, rate),
    OPENAI_API_KEY: 'sk-bench-not-a-real-key',
  };
  const pane = await tmux.pane([process.execPath, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', join(ROOT, 'bin/hermes.js')], env);
  await pane.enter();
  await pane.tap.waitFor(READY, { timeoutMs: 20_000 });
  await pane.type('zqxprompt');
  await pane.tap.waitFor('zqxprompt', { timeoutMs: 20_000 });
  await pane.tap.quiet(300);
  const from = pane.tap.length;
  const cpu0 = cpuMs(pane.pid);
  const began = monotonicUs();
  await pane.enter();
  await pane.tap.waitFor(LAST_MARKER, { from, timeoutMs: (count / Math.max(rate, 1)) * 1000 + 60_000 });
  window = [began, monotonicUs()];
  console.log(`TUI, ${count} tokens${rate ? ` at ${rate}/s` : ''}: ${cpuMs(pane.pid) - cpu0} ms CPU (under the profiler), Enter → last token`);
  await pane.tap.waitFor(READY, { from, timeoutMs: 20_000 });
  await pane.tap.quiet(300);
  await pane.keys('C-d');
  for (let i = 0; i < 100 && !readdirSync(dir).some((f) => f.endsWith('.cpuprofile')); i++) await sleep(100);
  await pane.kill();
} finally {
  await tmux.stop();
  await server.close();
}
printProfile(dir, top, window);
