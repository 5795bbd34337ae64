// The built hermes in a real pseudo-terminal: a private tmux server (its own socket, never the
// user's), one detached session per hermes. The environment is what a user's terminal has and
// nothing more (env -i): Ink prints only its last frame when CI or CONTINUOUS_INTEGRATION is set.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const HERMES = path.join(ROOT, 'bin/hermes.js');

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface HermesOptions {
  /** The working folder (default: this checkout). */
  cwd?: string;
  /** HERMES_HOME (default: a folder of the session's own). */
  home?: string;
  /** OPENAI_BASE_URL (default: a port nothing listens on). */
  baseURL?: string;
  args?: string[];
  /** More of the environment (ANTHROPIC_BASE_URL…). */
  env?: Record<string, string>;
  columns?: number;
  rows?: number;
}

export interface HermesInTmux {
  session: string;
  /** The session's own folder: exit-code, terminal.log (everything hermes wrote to the pty). */
  dir: string;
  screen(): Promise<string>;
  /** The whole pane, scrollback included; `join` glues rows the terminal wrapped. */
  scrollback(join?: boolean): Promise<string>;
  waitForScreen(check: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  type(text: string): Promise<void>;
  key(name: string): Promise<void>;
  /** Waits for hermes to exit; its exit code. */
  exitCode(): Promise<string>;
  /** Everything hermes wrote to its terminal so far. */
  written(): string;
}

export class TmuxServer {
  readonly #socket: string;
  readonly #dirs: string[] = [];

  constructor(label: string) {
    this.#socket = `hermes-e2e-${label}-${process.pid}`;
  }

  tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.#socket, ...args]);
  }

  /** Fails at once, with what to do, when hermes is not built. */
  static requireBuild(): void {
    if (!existsSync(path.join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  }

  /** The built hermes in a new detached session named `name`. */
  async start(name: string, options: HermesOptions = {}): Promise<HermesInTmux> {
    const dir = mkdtempSync(path.join(tmpdir(), 'hermes-e2e-'));
    this.#dirs.push(dir);
    const env = [
      `PATH="$PATH"`,
      `HOME="$HOME"`,
      `TERM="$TERM"`,
      'LANG=C.UTF-8',
      `HERMES_HOME=${options.home ?? path.join(dir, 'home')}`,
      `OPENAI_BASE_URL=${options.baseURL ?? 'http://127.0.0.1:9/v1'}`,
      'OPENAI_API_KEY=sk-e2e-test-key-0123456789',
      ...Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
    ].join(' ');
    // the pane stays a while after hermes exits, so that what it printed last can be read
    const command = `cd ${options.cwd ?? ROOT} && env -i ${env} ${process.execPath} ${HERMES} ${(options.args ?? []).join(' ')}; echo $? > ${dir}/exit-code; sleep 30`;
    await this.tmux('new-session', '-d', '-s', name, '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40), command);
    await this.tmux('pipe-pane', '-o', '-t', name, `cat >> ${dir}/terminal.log`);
    const screen = async () => (await this.tmux('capture-pane', '-p', '-t', name)).stdout;
    return {
      session: name,
      dir,
      screen,
      scrollback: async (join = false) => (await this.tmux('capture-pane', '-p', ...(join ? ['-J'] : []), '-S', '-', '-E', '-', '-t', name)).stdout,
      async waitForScreen(check, what, timeoutMs = 10_000) {
        const start = Date.now();
        for (;;) {
          const text = await screen();
          if (check(text)) return text;
          if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`);
          await sleep(30);
        }
      },
      type: async (text) => {
        await this.tmux('send-keys', '-t', name, '-l', text);
      },
      key: async (key) => {
        await this.tmux('send-keys', '-t', name, key);
      },
      async exitCode() {
        const file = path.join(dir, 'exit-code');
        const start = Date.now();
        while (!existsSync(file)) {
          if (Date.now() - start > 10_000) throw new Error(`hermes did not exit; the screen shows:\n${await screen()}`);
          await sleep(30);
        }
        await sleep(50);
        return readFileSync(file, 'utf8').trim();
      },
      written: () => (existsSync(path.join(dir, 'terminal.log')) ? readFileSync(path.join(dir, 'terminal.log'), 'latin1') : ''),
    };
  }

  /** Ends every session and removes their folders. */
  async stop(): Promise<void> {
    await this.tmux('kill-server').catch(() => {});
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
