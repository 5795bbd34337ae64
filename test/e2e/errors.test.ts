// Failures as a user sees them: one line on stderr, the right exit code, no stack trace, and
// never the API key, whatever the server echoes back.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoopbackServer } from '../support/loopback.js';
import { chatTextFrames, chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { e2eScope, runHermes } from './helpers.js';
import { TmuxServer, hasTmux } from './tmux.js';

const SECRET = 'sk-test-SECRET123456789';

const scope = e2eScope();
let server: LoopbackServer | undefined;

function dirs() {
  const d = scope.home();
  return d;
}

const expectOneLine = (stderr: string): void => {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('usage and configuration errors exit 2', () => {
  it('an unknown flag: one line and a pointer to --help, no stack', async () => {
    const result = await runHermes(['--frobnicate'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("hermes: unknown option '--frobnicate'\nTry 'hermes --help'.\n");
  });

  it('a bad value and a positional word say what is wrong', async () => {
    const bad = await runHermes(['-p', 'x', '--max-turns', 'lots'], { env: {} });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hermes: --max-turns must be a whole number/);
    const word = await runHermes(['-p', 'hello', 'there'], { env: {} });
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/^hermes: unexpected argument 'there' after -p: quote the prompt as one argument/);
  });

  it('no key for the default address names the variable to set', async () => {
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'hi'], { env: { HOME: home, HERMES_HOME: hermesHome } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('hermes: OPENAI_API_KEY is not set. Export it, or point --base-url at a local OpenAI-compatible server.\n');
  });

  it('an invalid config file names the file and is left untouched', async () => {
    const { home, hermesHome } = dirs();
    const file = path.join(hermesHome, 'config.json');
    const broken = '{ "model": "gpt-4.1", }\n';
    fs.writeFileSync(file, broken);
    const result = await runHermes(['-p', 'hi'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_API_KEY: SECRET } });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(broken);

    fs.writeFileSync(file, '{"maxTurns": "five"}');
    const typed = await runHermes(['-p', 'hi'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_API_KEY: SECRET } });
    expect(typed.code).toBe(2);
    expect(typed.stderr).toContain(file);
    expect(typed.stderr).toContain('"maxTurns"');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"maxTurns": "five"}');
  });
});

describe('--output-format json and stream-json report errors before the first request', () => {
  const errorResult = (kind: string, message: string) => ({ status: 'error', text: '', turns: [], toolCalls: [], error: { kind, message } });

  it('a missing key: the JSON result says so, exit code 2, stderr unchanged', async () => {
    const { home, hermesHome } = dirs();
    const message = 'OPENAI_API_KEY is not set. Export it, or point --base-url at a local OpenAI-compatible server.';
    const json = await runHermes(['-p', 'hi', '--output-format', 'json'], { env: { HOME: home, HERMES_HOME: hermesHome } });
    expect(json.code).toBe(2);
    expect(json.stderr).toBe(`hermes: ${message}\n`);
    expect(json.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject(errorResult('config', message));

    const stream = await runHermes(['-p', 'hi', '--output-format=stream-json'], { env: { HOME: home, HERMES_HOME: hermesHome } });
    expect(stream.code).toBe(2);
    const lines = stream.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { type: 'error', kind: 'config', message, partial: false },
      expect.objectContaining({ type: 'result', ...errorResult('config', message) }),
    ]);
  });

  it('a bad flag after the format and an unreadable config file', async () => {
    const { home, hermesHome } = dirs();
    const flag = await runHermes(['--output-format', 'json', '-p', 'hi', '--max-turns', 'lots'], { env: { HOME: home, HERMES_HOME: hermesHome } });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^hermes: --max-turns must be a whole number/);
    expect(JSON.parse(flag.stdout)).toMatchObject({ status: 'error', error: { kind: 'usage', message: expect.stringMatching(/^--max-turns must be a whole number/) } });

    fs.writeFileSync(path.join(hermesHome, 'config.json'), '{ nope');
    const config = await runHermes(['-p', 'hi', '--output-format', 'json'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_API_KEY: SECRET } });
    expect(config.code).toBe(2);
    expect(JSON.parse(config.stdout)).toMatchObject({ status: 'error', error: { kind: 'config', message: expect.stringContaining('is not valid JSON') } });
  });

  it('text output keeps stdout empty', async () => {
    const result = await runHermes(['-p', 'hi', '--max-turns', 'lots'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('model and network failures exit 1', () => {
  it('HTTP 500 on every attempt: retried, then one line without the key', async () => {
    server = await scope.serve([
      { kind: 'json', status: 500, headers: { 'retry-after-ms': '0' }, body: { error: { message: `upstream exploded for key ${SECRET}`, type: 'server_error' } } },
    ]);
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'hi'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: SECRET } });
    expect(result.code).toBe(1);
    expect(server.requests.length).toBeGreaterThan(1);
    expect(result.stdout).toBe('');
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/^hermes: HTTP 500: upstream exploded/);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(result.stdout + result.stderr).not.toContain('SECRET123456789');
  });

  it('HTTP 401: one line naming the key variable, never the key', async () => {
    server = await scope.serve([
      { kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${SECRET}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', code: 'invalid_api_key' } } },
    ]);
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'hi', '--output-format', 'json'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: SECRET } });
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/^hermes: HTTP 401: Incorrect API key provided: .*\(check OPENAI_API_KEY\)\n$/);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'error', error: { kind: 'auth', status: 401 } });
    expect(result.stdout + result.stderr).not.toContain('SECRET123456789');
  });

  it('a stream that breaks after some text keeps the text, ends its line and reports the error', async () => {
    const frames = chatTextFrames(['partial', ' answer'], { usage: true });
    server = await scope.serve([{ kind: 'stream', chunks: frames.slice(0, 3), drop: true }]);
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'hi'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: SECRET } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('partial answer\n');
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/^hermes: /);
    // Text was shown, so the request is not repeated (it would print the text twice).
    expect(server.requests).toHaveLength(1);
  });

  it('a silent server is given up on after --stall-timeout', async () => {
    const frames = chatTextFrames(['before', ' silence'], { usage: true });
    server = await scope.serve([{ kind: 'stream', chunks: frames.slice(0, 2), hang: true }]);
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'hi', '--stall-timeout', '0.5'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: SECRET } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('before\n');
    expect(result.stderr).toMatch(/^hermes: the stream stalled.*--stall-timeout\)\n$/);
  });
});

describe('a server that is not running', () => {
  // Port 9 (discard) has no listener on a test machine: every connection is refused.
  const NOWHERE = 'http://127.0.0.1:9/v1';
  const terminals = new TmuxServer('errors');
  afterAll(() => terminals.stop());

  it('the one-shot error names the address it tried; retries are silent on a piped stderr', async () => {
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'hi', '--no-session'], { env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: NOWHERE } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`hermes: could not connect to ${NOWHERE} (connection refused)\n`);
  });

  it.skipIf(!hasTmux)('on a terminal, stderr says that it is retrying, and where', async () => {
    const hermes = await terminals.start('refused', { baseURL: NOWHERE, args: ['-p', 'hi', '--no-session'] });
    expect(await hermes.exitCode()).toBe('1');
    const screen = await hermes.screen();
    expect(screen).toMatch(new RegExp(`retrying in [0-9.]+ s \\(attempt 2\\): could not connect to ${NOWHERE.replace(/[./]/g, '\\$&')} \\(connection refused\\)`));
    expect(screen).toContain(`hermes: could not connect to ${NOWHERE} (connection refused)`);
  });
});

describe('answers that are not an API answer', () => {
  const PROVIDERS = [
    { name: 'openai', args: [] as string[], env: (s: LoopbackServer) => ({ OPENAI_BASE_URL: s.baseURL, OPENAI_API_KEY: SECRET }) },
    { name: 'openai-responses', args: ['--provider', 'openai-responses'], env: (s: LoopbackServer) => ({ OPENAI_BASE_URL: s.baseURL, OPENAI_API_KEY: SECRET }) },
    { name: 'anthropic', args: ['--provider', 'anthropic'], env: (s: LoopbackServer) => ({ ANTHROPIC_BASE_URL: s.origin, ANTHROPIC_API_KEY: SECRET }) },
  ];
  // A proxy's error page: a title, styles, a script and kilobytes of markup.
  const page = (title: string): string =>
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${'body{margin:0}'.repeat(200)}</style>` +
    `<script>${'var x=1;'.repeat(300)}</script></head><body><h1>${title}</h1>${'<p>The upstream server did not answer.</p>'.repeat(80)}</body></html>\n`;

  for (const provider of PROVIDERS) {
    it(`${provider.name}: a proxy's HTML 502 page is one line with its status, title and address`, async () => {
      const html = page('502 Bad Gateway &mdash; nginx');
      expect(html.length).toBeGreaterThan(7_000);
      server = await scope.serve([{ kind: 'stream', status: 502, headers: { 'content-type': 'text/html', 'retry-after-ms': '0' }, chunks: [html] }]);
      const { home, hermesHome } = dirs();
      const result = await runHermes(['-p', 'hi', ...provider.args], { env: { HOME: home, HERMES_HOME: hermesHome, ...provider.env(server) } });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expectOneLine(result.stderr);
      expect(result.stderr).toMatch(/^hermes: HTTP 502: 502 Bad Gateway — nginx \(an HTML page from http:\/\/127\.0\.0\.1:\d+\/v1\/\w+/);
      expect(result.stderr).not.toMatch(/<|var x|upstream server did not answer/);
      expect(result.stderr.length).toBeLessThan(400);
    });

    it(`${provider.name}: a captive portal's 200 text/html is reported as a web page, not as a broken stream`, async () => {
      server = await scope.serve([{ kind: 'stream', status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, chunks: [page('Hotel WiFi Login')] }]);
      const { home, hermesHome } = dirs();
      const result = await runHermes(['-p', 'hi', ...provider.args], { env: { HOME: home, HERMES_HOME: hermesHome, ...provider.env(server) } });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expectOneLine(result.stderr);
      expect(result.stderr).toMatch(/^hermes: the server answered with text\/html, not a stream \("Hotel WiFi Login"\) \(HTTP 200 from http:\/\/127\.0\.0\.1:\d+\/v1\/\w+/);
      expect(result.stderr).not.toContain('ended before the answer was complete');
      // A portal does not turn into an API between attempts.
      expect(server.requests).toHaveLength(1);
    });

    it(`${provider.name}: with --no-stream, a 200 web page is reported as not JSON`, async () => {
      server = await scope.serve([{ kind: 'stream', status: 200, headers: { 'content-type': 'text/html' }, chunks: [page('Hotel WiFi Login')] }]);
      const { home, hermesHome } = dirs();
      const result = await runHermes(['-p', 'hi', '--no-stream', ...provider.args], { env: { HOME: home, HERMES_HOME: hermesHome, ...provider.env(server) } });
      expect(result.code).toBe(1);
      expectOneLine(result.stderr);
      expect(result.stderr).toMatch(/^hermes: the server answered with text\/html, not JSON \("Hotel WiFi Login"\)/);
    });
  }
});

describe('long runs', () => {
  it('15 tool round trips print no Node warning (no abort listener piles up on the run)', async () => {
    const rounds = 15;
    server = await scope.serve((n) =>
      n <= rounds
        ? { kind: 'stream', chunks: [chatToolCallSse([{ id: `call_${n}`, name: 'list_directory', arguments: '{"path":"."}' }])] }
        : { kind: 'stream', chunks: [chatTextSse(['all listed'])] },
    );
    const { home, hermesHome } = dirs();
    const result = await runHermes(['-p', 'list it again and again', '--max-turns', String(rounds + 1)], {
      env: { HOME: home, HERMES_HOME: hermesHome, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: SECRET },
      cwd: home,
    });
    expect(server.requests).toHaveLength(rounds + 1);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('all listed\n');
    expect(result.stderr).not.toMatch(/Warning|MaxListeners/);
  });
});
