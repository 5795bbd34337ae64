// What a command costs at start-up is mostly what it loads. `hermes --version` must load the
// entry file and nothing else; `hermes -p` must load the SDK of the provider in use and never the
// other provider's SDK, nor Ink or React (the TUI), nor grammY (the Telegram gateway). The app is bundled into chunks, so file
// names say little: every loaded file is recorded by a loader hook in the child and its text is
// searched for strings only that SDK or library contains.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { anthropicTextSse } from '../support/wire/anthropic.js';
import { chatTextSse } from '../support/wire/openai-chat.js';
import { BIN, ROOT, ensureBuilt } from './helpers.js';

// Strings that appear in the library's code (not only in comments, which the bundle drops) and
// nowhere in hermes' own code.
const MARKERS = {
  anthropicSdk: ['anthropic-version', 'anthropic-dangerous-direct-browser-access', 'Anthropic/JS'],
  openaiSdk: ['OpenAI-Organization', 'OpenAI-Project'],
  react: ['react.transitional.element', 'react.fragment', 'react.production'],
  ink: ['ink-root', 'ink-virtual-text'],
  grammy: ['Call to getUpdates failed', 'Simple long polling already running'],
};

// The hook itself. The load hook runs on a separate thread in Node 20, so it gets the log path
// through register()'s data and appends synchronously (the child may exit at any moment).
const HOOKS = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data && data.out; }
export async function load(url, context, nextLoad) {
  if (out) appendFileSync(out, url + '\\n');
  return nextLoad(url, context);
}
`;

// Loaded with --import in the main thread: registers the hook, and also records CommonJS files
// compiled here, because require() does not pass through ESM hooks in Node 20.
const REGISTER = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const out = process.env.HERMES_LOAD_LOG;
register(new URL('./hooks.mjs', import.meta.url), { data: { out } });
const Module = createRequire(import.meta.url)('node:module');
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (out) appendFileSync(out, pathToFileURL(filename).href + '\\n');
  return compile.apply(this, arguments);
};
`;

let dir: string;
let server: LoopbackServer;

beforeAll(async () => {
  await ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-loads-'));
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
  fs.writeFileSync(path.join(dir, 'register.mjs'), REGISTER);
  fs.mkdirSync(path.join(dir, 'home'));
  server = await startLoopback((_n, req) => ({
    kind: 'stream',
    chunks: [req.url.endsWith('/messages') ? anthropicTextSse(['Hello', ', loader', '.']) : chatTextSse(['Hello', ', loader', '.'], { usage: true })],
  }));
});

afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Traced {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every module URL the child loaded, in order, without duplicates. */
  loaded: string[];
}

let serial = 0;

function traceHermes(args: string[], extraEnv: Record<string, string> = {}): Promise<Traced> {
  const log = path.join(dir, `loads-${serial++}.txt`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    HERMES_HOME: path.join(dir, 'home'),
    HERMES_LOAD_LOG: log,
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
      resolve({ code, stdout, stderr, loaded: [...new Set(lines)] });
    });
  });
}

/** Loaded files (not node: builtins), as paths. */
function files(t: Traced): string[] {
  return t.loaded.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
}

function relative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/** The loaded files whose text contains any of the markers, with the marker found. */
function filesContaining(t: Traced, markers: string[]): string[] {
  const hits: string[] = [];
  for (const file of files(t)) {
    const text = fs.readFileSync(file, 'utf8');
    const marker = markers.find((m) => text.includes(m));
    if (marker) hits.push(`${relative(file)} (${marker})`);
  }
  return hits;
}

/** Loaded files from a package folder in node_modules (an unbundled import would show up here). */
function fromPackages(t: Traced, names: string[]): string[] {
  return files(t)
    .map(relative)
    .filter((file) => names.some((name) => file.includes(`node_modules/${name}/`)));
}

describe('modules loaded by a command', () => {
  it('hermes --version loads only the entry file and node builtins', async () => {
    const t = await traceHermes(['--version']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // The recorder must have seen the entry, or an empty list would prove nothing.
    expect(filesContaining(t, MARKERS.grammy)).toEqual([]);
    const ours = files(t).map(relative);
    expect(ours).toContain('dist/cli.js');
    expect(ours.filter((f) => f !== 'bin/hermes.js')).toEqual(['dist/cli.js']);
    expect(t.loaded.filter((url) => !url.startsWith('file:') && !url.startsWith('node:'))).toEqual([]);
  });

  it('hermes -p with the openai provider loads the OpenAI SDK and neither the Anthropic SDK nor Ink/React', async () => {
    const t = await traceHermes(['-p', 'hi', '--provider', 'openai', '--base-url', server.baseURL, '-m', 'gpt-4o']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout.trimEnd()).toBe('Hello, loader.');
    expect(filesContaining(t, MARKERS.openaiSdk)).not.toEqual([]);
    expect(filesContaining(t, MARKERS.anthropicSdk)).toEqual([]);
    expect(filesContaining(t, [...MARKERS.ink, ...MARKERS.react])).toEqual([]);
    expect(fromPackages(t, ['@anthropic-ai', 'ink', 'react', 'react-reconciler', 'yoga-layout'])).toEqual([]);
    expect(filesContaining(t, MARKERS.grammy)).toEqual([]);
    expect(fromPackages(t, ['grammy', 'node-fetch'])).toEqual([]);
  });

  it('hermes -p with the anthropic provider loads the Anthropic SDK and neither the OpenAI SDK nor Ink/React', async () => {
    const t = await traceHermes(['-p', 'hi', '--provider', 'anthropic', '--base-url', server.origin, '-m', 'claude-sonnet-4-20250514']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout.trimEnd()).toBe('Hello, loader.');
    expect(filesContaining(t, MARKERS.anthropicSdk)).not.toEqual([]);
    expect(filesContaining(t, MARKERS.openaiSdk)).toEqual([]);
    expect(filesContaining(t, [...MARKERS.ink, ...MARKERS.react])).toEqual([]);
    expect(fromPackages(t, ['openai', 'ink', 'react', 'react-reconciler', 'yoga-layout'])).toEqual([]);
  });

  it('hermes gateway telegram loads grammY (the markers above find it)', async () => {
    const t = await traceHermes(['gateway', 'telegram', '--api-root', 'http://127.0.0.1:9', '--base-url', server.baseURL], { TELEGRAM_BOT_TOKEN: '7000001:not-a-real-token' });
    expect(t.code, t.stderr).toBe(1);
    expect(t.stderr).toMatch(/cannot reach the Bot API/);
    expect(filesContaining(t, MARKERS.grammy)).not.toEqual([]);
  });
});
