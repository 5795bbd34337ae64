// Stopping everything one tool run started: its process group, and on Linux every process
// whose environment carries the run's token (those that left the group with setsid, a double
// fork or a new session). A process that rewrote its environment (env -i, exec -c) is not
// found this way: the sweep is cleanup, not a sandbox.

import fs from 'node:fs';

/** The variable each tool run's processes inherit; its value is random per run. */
export const TOOL_RUN_VARIABLE = 'HERMES_TOOL_RUN';

/** How often liveness is checked while waiting for SIGTERM to take effect. */
const POLL_MS = 25;
/** SIGKILL rounds: a process forking while it is being swept is caught on the next one. */
const KILL_ROUNDS = 20;

/** SIGTERM to all, up to `graceMs` for them to go, then SIGKILL until none is left. */
export async function stopToolRun(groupId: number | undefined, token: string, graceMs: number): Promise<void> {
  const marker = Buffer.from(`${TOOL_RUN_VARIABLE}=${token}\0`);
  const alive = (): boolean => groupAlive(groupId) || markedProcesses(marker).length > 0;
  if (!alive()) return;
  signalAll(groupId, marker, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    if (!alive()) return;
  }
  for (let round = 0; round < KILL_ROUNDS && alive(); round++) {
    signalAll(groupId, marker, 'SIGKILL');
    await sleep(POLL_MS);
  }
}

function signalAll(groupId: number | undefined, marker: Buffer, signal: NodeJS.Signals): void {
  if (groupId !== undefined) kill(-groupId, signal);
  for (const pid of markedProcesses(marker)) kill(pid, signal);
}

function groupAlive(groupId: number | undefined): boolean {
  return groupId !== undefined && kill(-groupId, 0);
}

/** false when there is no such process (or group) left. */
function kill(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Processes (not zombies: theirs reads empty) whose environment holds the marker. Only the
 * user's own processes are readable, which are the only ones a tool could have started.
 */
function markedProcesses(marker: Buffer): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      const at = environ.indexOf(marker);
      // a whole variable, not the end of another one's value
      if (at === 0 || (at > 0 && environ[at - 1] === 0)) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
