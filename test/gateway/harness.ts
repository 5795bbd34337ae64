// The gateway as a user runs it: the built `hermes gateway telegram` against the fake Bot API
// (--api-root) and the loopback fake LLM, HERMES_HOME in a temporary folder.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { e2eScope, startHermes, type Running } from '../e2e/helpers.js';
import type { LoopbackServer, Step, RecordedRequest } from '../support/loopback.js';
import { startFakeBotApi, type FakeBotApi, type FakeBotApiOptions } from '../support/telegram/fake-bot-api.js';

export const OWNER = 4242;
export const FRIEND = 5151;
export const STRANGER = 6666;

export interface GatewayRun {
  fake: FakeBotApi;
  llm: LoopbackServer;
  hermes: Running;
  hermesHome: string;
  /** The folder the gateway runs in (tools act here). */
  cwd: string;
}

export interface GatewayOptions {
  script: Step[] | ((n: number, req: RecordedRequest) => Step);
  fake?: FakeBotApiOptions;
  /** config.json's gateway section. */
  gateway?: Record<string, unknown>;
  allowed?: number[];
  args?: string[];
  /** Reuse a home (a restart). */
  hermesHome?: string;
  /** Reuse a fake (a restart). */
  reuseFake?: FakeBotApi;
  reuseLlm?: LoopbackServer;
}

export function gatewayScope() {
  const scope = e2eScope();
  const fakes: FakeBotApi[] = [];
  const running: Running[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    for (const f of fakes.splice(0)) await f.close();
  });

  async function start(options: GatewayOptions): Promise<GatewayRun> {
    const fake = options.reuseFake ?? (await startFakeBotApi(options.fake));
    if (!options.reuseFake) fakes.push(fake);
    const llm = options.reuseLlm ?? (await scope.serve(options.script));
    const hermesHome = options.hermesHome ?? scope.home().hermesHome;
    const cwd = path.join(path.dirname(hermesHome), 'work');
    fs.mkdirSync(cwd, { recursive: true });
    if (options.gateway) fs.writeFileSync(path.join(hermesHome, 'config.json'), JSON.stringify({ gateway: options.gateway }));
    const hermes = startHermes(['gateway', 'telegram', '--api-root', fake.apiRoot, '--base-url', llm.baseURL, '-m', 'gpt-4o', ...(options.args ?? [])], {
      env: {
        HOME: path.dirname(hermesHome),
        HERMES_HOME: hermesHome,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_ALLOWED_USERS: (options.allowed ?? [OWNER]).join(','),
      },
      cwd,
    });
    running.push(hermes);
    await hermes.waitForStdout('hermes gateway: @');
    return { fake, llm, hermes, hermesHome, cwd };
  }

  return { start, home: scope.home, serve: scope.serve };
}

/** Polls until the condition holds (the test's own timeout bounds it). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 2000) throw new Error(`waited too long for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The text of the bot's last live message in the chat. */
export function lastText(fake: FakeBotApi, chatId: number): string | undefined {
  return fake.latestBotMessage(chatId)?.text;
}

/** Stops the gateway with a signal and waits for it to exit. */
export async function stopGateway(run: GatewayRun, signal: NodeJS.Signals = 'SIGTERM') {
  run.hermes.child.kill(signal);
  return run.hermes.result;
}

export function sessionFiles(hermesHome: string): string[] {
  const dir = path.join(hermesHome, 'sessions');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : [];
}

export function sessionRecords(file: string): any[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
