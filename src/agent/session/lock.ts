// One writer per session file. Two hermes processes continuing the same conversation at once
// (`hermes -c -p a & hermes -c -p b`) would interleave their lines, so a process takes
// `<session file>.lock` (created O_EXCL, holding its pid) before it reads the file to continue
// it, and removes it when it is done with the file or exits. A lock whose pid is no longer
// running (SIGKILL, power loss) is stale and taken over.

import fs from 'node:fs';

export interface SessionLock {
  readonly file: string;
  release(): void;
}

export type LockAttempt = { lock: SessionLock } | { holder: number };

/** An unreadable lock this old is a process that died between creating it and writing its pid. */
const EMPTY_LOCK_STALE_MS = 2000;
const POLL_MS = 100;

/** Locks held by this process, with how many holders each: a /resume of the session already open takes it twice. */
const held = new Map<string, number>();
let releaseOnExit = false;

export function lockFileFor(sessionFile: string): string {
  return `${sessionFile}.lock`;
}

/** Takes the lock now, or says which process holds it. Never waits. */
export function tryLock(sessionFile: string): LockAttempt {
  const file = lockFileFor(sessionFile);
  if (held.has(file)) return { lock: holding(file) };
  // A few rounds: a stale lock taken away lets the next round create ours.
  for (let round = 0; round < 3; round++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return { lock: holding(file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder === 'gone') continue;
    if (holder !== 'stale') return { holder };
    removeStale(file);
  }
  return { holder: 0 };
}

/** Takes the lock, waiting up to `waitMs` for its holder to finish. */
export async function acquireLock(sessionFile: string, waitMs: number): Promise<LockAttempt> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const attempt = tryLock(sessionFile);
    if ('lock' in attempt || Date.now() >= deadline) return attempt;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function holding(file: string): SessionLock {
  held.set(file, (held.get(file) ?? 0) + 1);
  if (!releaseOnExit) {
    releaseOnExit = true;
    // Every way out of the process ends here (a return, process.exit, a handled signal).
    process.once('exit', () => {
      for (const lock of held.keys()) unlinkQuietly(lock);
      held.clear();
    });
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      const count = (held.get(file) ?? 1) - 1;
      if (count > 0) return void held.set(file, count);
      held.delete(file);
      unlinkQuietly(file);
    },
  };
}

/** The live pid in a lock file, 'stale' when that process is gone, 'gone' when the file is. */
function readHolder(file: string): number | 'stale' | 'gone' {
  let text: string;
  let age: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    age = Date.now() - fs.statSync(file).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return age > EMPTY_LOCK_STALE_MS ? 'stale' : 0;
  // Our own pid in a lock we do not hold: left by an earlier process that had the same pid.
  return pid !== process.pid && alive(pid) ? pid : 'stale';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside before deleting it, and checks that what was moved is still stale:
 * another process may have taken it over meanwhile, and its fresh lock must stay.
 */
function removeStale(file: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // someone else took it away first
  }
  if (readHolder(aside) !== 'stale') {
    try {
      fs.linkSync(aside, file); // put the live lock back, unless a newer one is there already
    } catch {
      // a newer lock is in place
    }
  }
  unlinkQuietly(aside);
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}
