// A private tmux server for the TUI benchmark, and a tap on everything a pane's program writes
// to its terminal. The tap is `tmux pipe-pane` into a FIFO that this process reads as a stream,
// so each chunk gets an arrival time on our own clock (performance.now()) the moment tmux has
// taken it from the pty: no file polling, no second clock.
//
// tmux is always called with `-L <our socket>` and `-f /dev/null`: other sessions and the
// user's configuration are never touched.

import { execFile, execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
/** The resolution of /proc CPU figures, in ms. */
export const CPU_TICK_MS = 1000 / CLOCK_TICKS;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** user+system CPU of a process (all its threads) in ms, from /proc/<pid>/stat. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

export function processName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Everything a pane's program wrote, as chunks stamped with their arrival time. */
export class Tap {
  #socket;
  #fd;
  #chunks = [];
  #buffer = Buffer.alloc(1 << 20);
  #length = 0;
  #waiters = new Set();

  constructor(fifo) {
    // Read-write, so that the FIFO always has a writer and never reports end-of-file between
    // tmux's writer closing and reopening; non-blocking, so opening does not wait for tmux.
    this.#fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    this.#socket = new net.Socket({ fd: this.#fd, readable: true, writable: false });
    this.#socket.on('data', (chunk) => this.#push(chunk));
    this.#socket.on('error', () => {});
  }

  #push(chunk) {
    const at = performance.now();
    if (this.#length + chunk.length > this.#buffer.length) {
      const bigger = Buffer.alloc(Math.max(this.#buffer.length * 2, this.#length + chunk.length));
      this.#buffer.copy(bigger, 0, 0, this.#length);
      this.#buffer = bigger;
    }
    chunk.copy(this.#buffer, this.#length);
    this.#chunks.push({ at, start: this.#length, end: this.#length + chunk.length });
    this.#length += chunk.length;
    for (const waiter of this.#waiters) waiter.check();
  }

  get length() {
    return this.#length;
  }

  get lastAt() {
    return this.#chunks.at(-1)?.at ?? NaN;
  }

  /** The bytes from `start` to `end` (default: all so far). */
  bytes(start = 0, end = this.#length) {
    return this.#buffer.subarray(start, end);
  }

  /** When the byte at `offset` arrived. */
  arrivalOf(offset) {
    let lo = 0;
    let hi = this.#chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#chunks[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return this.#chunks[lo]?.at ?? NaN;
  }

  /**
   * Resolves when `text` has been written at or after byte `from`, with { offset, at }: where it
   * starts and when its last byte arrived. Rejects after `timeoutMs`.
   */
  waitFor(text, { from = 0, timeoutMs = 30_000 } = {}) {
    const needle = Buffer.from(text);
    return new Promise((resolve, reject) => {
      let scanned = from;
      const waiter = {
        cancel: () => {
          clearTimeout(timer);
          reject(new Error(`the terminal closed before ${JSON.stringify(text)} was written`));
        },
        check: () => {
          const index = this.#buffer.subarray(0, this.#length).indexOf(needle, scanned);
          if (index >= 0) {
            this.#waiters.delete(waiter);
            clearTimeout(timer);
            resolve({ offset: index, end: index + needle.length, at: this.arrivalOf(index + needle.length - 1) });
            return;
          }
          scanned = Math.max(from, this.#length - needle.length + 1);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(text)} on the terminal`));
      }, timeoutMs);
      this.#waiters.add(waiter);
      waiter.check();
    });
  }

  /** Resolves once nothing has arrived for `quietMs` (checked from now on). */
  async quiet(quietMs, timeoutMs = 30_000) {
    const start = performance.now();
    let seen = this.#length;
    let since = performance.now();
    for (;;) {
      await sleep(Math.min(20, quietMs));
      if (this.#length !== seen) {
        seen = this.#length;
        since = performance.now();
      } else if (performance.now() - since >= quietMs) return;
      if (performance.now() - start > timeoutMs) throw new Error(`the terminal did not go quiet within ${timeoutMs} ms`);
    }
  }

  close() {
    for (const waiter of this.#waiters) waiter.cancel();
    this.#waiters.clear();
    this.#socket.destroy();
    try {
      closeSync(this.#fd);
    } catch {
      // already closed with the socket
    }
  }
}

/** A private tmux server with sessions of a fixed size. */
export class Tmux {
  #socket;
  #dir;
  #serial = 0;

  constructor(dir, { columns = 120, rows = 40, historyLimit = 100_000, cwd = process.cwd() } = {}) {
    this.#socket = `hermes-tui-bench-${process.pid}`;
    this.#dir = dir;
    this.cwd = cwd;
    this.columns = columns;
    this.rows = rows;
    this.historyLimit = historyLimit;
  }

  run(...args) {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-L', this.#socket, '-f', '/dev/null', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tmux ${args[0]}: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
  }

  /** Starts the server with a session that only keeps it alive, and sets the history size
   *  before any measured window exists (it applies to windows created afterwards). */
  async start() {
    process.once('exit', this.#stopSync);
    await this.run('new-session', '-d', '-s', 'keeper', '-x', String(this.columns), '-y', String(this.rows), 'exec sleep 86400');
    await this.run('set-option', '-g', 'history-limit', String(this.historyLimit));
    // pane commands are POSIX sh (`read gate; exec …`), whatever the user's login shell is
    await this.run('set-option', '-g', 'default-shell', '/bin/sh');
    await this.run('set-option', '-g', 'status', 'off');
    await this.run('set-option', '-g', 'remain-on-exit', 'off');
  }

  /**
   * A new session whose pane waits on a gate, with its tap attached: nothing runs until
   * the first `pane.enter()` presses Enter, so start-up is timed from a moment we choose, with the tap
   * already listening. `command` is an argv; `env` the complete environment it gets.
   */
  async pane(command, env) {
    const name = `p${++this.#serial}`;
    const fifo = join(this.#dir, `${name}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const tap = new Tap(fifo);
    const assignments = Object.entries(env).map(([key, value]) => shellQuote(`${key}=${value}`));
    const line = `read gate; exec env -i ${assignments.join(' ')} ${command.map(shellQuote).join(' ')}`;
    await this.run('new-session', '-d', '-s', name, '-c', this.cwd, '-x', String(this.columns), '-y', String(this.rows), line);
    await this.run('pipe-pane', '-o', '-t', name, `exec cat > ${shellQuote(fifo)}`);
    const pid = Number((await this.run('list-panes', '-t', name, '-F', '#{pane_pid}')).trim());
    const tmux = this;
    return {
      name,
      tap,
      pid,
      type(text) {
        return tmux.run('send-keys', '-t', name, '-l', text);
      },
      /** Presses Enter (the first one opens the gate); resolves with the moment it was sent. */
      async enter() {
        const at = performance.now();
        await tmux.run('send-keys', '-t', name, 'Enter');
        return at;
      },
      keys(...keys) {
        return tmux.run('send-keys', '-t', name, ...keys);
      },
      /** The terminal's whole history and screen, wrapped lines joined. */
      scrollback() {
        return tmux.run('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', name);
      },
      screen() {
        return tmux.run('capture-pane', '-p', '-t', name);
      },
      async kill() {
        await tmux.run('kill-session', '-t', name).catch(() => {});
        tap.close();
      },
    };
  }

  async stop() {
    process.off('exit', this.#stopSync);
    await this.run('kill-server').catch(() => {});
    this.#removeSocket();
  }

  /** tmux leaves its socket file behind after kill-server. */
  #removeSocket() {
    const uid = process.getuid?.() ?? 0;
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, this.#socket), { force: true });
  }

  /** Ends the server even when the bench dies or is interrupted half way. */
  #stopSync = () => {
    try {
      execFileSync('tmux', ['-L', this.#socket, '-f', '/dev/null', 'kill-server'], { stdio: 'ignore' });
    } catch {
      // not running
    }
    this.#removeSocket();
  };

  /** Whether tmux can be run at all. */
  static available() {
    try {
      execFileSync('tmux', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
}

function shellQuote(text) {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
