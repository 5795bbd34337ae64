// hermes -p and piped stdin, run as a user runs them: the built binary against a loopback
// OpenAI-compatible server. What reaches stdout, what the server was sent, and the exit code.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopbackServer } from '../support/loopback.js';
import { chatCompletionJson, chatTextFrames, chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { conversationOf, e2eScope, ROOT, runHermes, startHermes } from './helpers.js';

const scope = e2eScope();
let server: LoopbackServer | undefined;

async function setup(steps: Parameters<typeof scope.serve>[0]) {
  server = await scope.serve(steps);
  const dirs = scope.home();
  const env = { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test-e2e-0123456789' };
  return { server, env, dirs };
}

const textStep = (tokens: string[], extra: { delayMs?: number } = {}) => ({
  kind: 'stream' as const,
  chunks: extra.delayMs ? chatTextFrames(tokens, { usage: true }) : [chatTextSse(tokens, { usage: true })],
  ...extra,
});

describe('hermes -p', () => {
  it('streams the answer to stdout as it arrives and exits 0', async () => {
    const tokens = ['Once', ' upon', ' a', ' time', ' there', ' was', ' a', ' stream', '.'];
    const { server, env } = await setup([textStep(tokens, { delayMs: 150 })]);
    const run = startHermes(['-p', 'tell me a story'], { env });
    const firstAt = await run.waitForStdout('Once');
    const result = await run.result;

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Once upon a time there was a stream.\n');
    expect(result.stderr).toBe('');
    const request = server.requests[0]!;
    // The first words were on stdout while the server was still sending the rest.
    expect(firstAt).toBeLessThan(request.lastWriteAt!);
    expect(run.stdoutChunks.length).toBeGreaterThan(1);
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.json).toMatchObject({ model: 'gpt-4.1-mini', stream: true });
    expect(conversationOf(request.json)).toEqual([{ role: 'user', content: 'tell me a story' }]);
    // the built-in system prompt comes first and says where hermes works
    expect(request.json.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining(`Working folder: ${ROOT.replace(/\/$/, '')}`) });
  });

  it('sends --model and --system and keeps an answer that already ends with a newline as it is', async () => {
    const { server, env } = await setup([textStep(['line one\n', 'line two\n'])]);
    const result = await runHermes(['-m', 'my-model', '-s', 'be terse', '-p', 'hi'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('line one\nline two\n');
    expect(server.requests[0]!.json).toMatchObject({
      model: 'my-model',
      messages: [
        { role: 'system', content: 'be terse' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('asks for the whole answer at once with --no-stream', async () => {
    const { server, env } = await setup([{ kind: 'json', body: chatCompletionJson('All at once.') }]);
    const result = await runHermes(['--no-stream', '-p', 'hi'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('All at once.\n');
    expect(server.requests[0]!.json.stream).toBeFalsy();
  });

  it('never lets escape sequences from the model reach stdout', async () => {
    const tokens = ['Hello', '\u001b]0;pwned\u0007', ' \u001b[2J', '\u001b[31mred', '\u001b[0m', ' world', '\u0007\u0008!'];
    const { env } = await setup([textStep(tokens)]);
    const result = await runHermes(['-p', 'hi'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hello red world!\n');
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('keeps reasoning off a piped stderr unless --show-reasoning asks, and then prints it plain', async () => {
    const step = { kind: 'stream' as const, chunks: chatTextFrames(['The answer.'], { reasoning: ['Thinking', ' hard'] }) };
    const { env } = await setup([step, step]);
    const quiet = await runHermes(['-p', 'hi'], { env });
    expect(quiet).toMatchObject({ code: 0, stdout: 'The answer.\n', stderr: '' });
    const shown = await runHermes(['-p', 'hi', '--show-reasoning'], { env });
    expect(shown).toMatchObject({ code: 0, stdout: 'The answer.\n', stderr: 'Thinking hard\n' });
  });

  it('writes the whole of a large answer into a pipe before exiting', async () => {
    const tokens = Array.from({ length: 4000 }, (_, i) => `${String(i).padStart(6, '0')} ${'x'.repeat(120)}\n`);
    const { env } = await setup([textStep(tokens)]);
    const result = await runHermes(['-p', 'long'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(tokens.join('').length);
    expect(result.stdout.endsWith(tokens[tokens.length - 1]!)).toBe(true);
  });
});

describe('piped stdin', () => {
  it('is the prompt when there is no -p', async () => {
    const { server, env } = await setup([textStep(['4'])]);
    const result = await runHermes([], { env, stdin: 'what is 2+2?\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('4\n');
    expect(conversationOf(server.requests[0]!.json)).toEqual([{ role: 'user', content: 'what is 2+2?\n' }]);
  });

  it('follows the -p instruction after a blank line', async () => {
    const { server, env } = await setup([textStep(['Two lines.'])]);
    const file = 'first line\nsecond line — ünïcödé\n';
    const result = await runHermes(['-p', 'summarise this'], { env, stdin: file });
    expect(result.code).toBe(0);
    expect(conversationOf(server.requests[0]!.json)).toEqual([{ role: 'user', content: `summarise this\n\n${file}` }]);
  });

  it('that is empty, with no -p, is a usage error and nothing is sent', async () => {
    const { server, env } = await setup([textStep(['unused'])]);
    for (const stdin of ['', '  \n\n']) {
      const result = await runHermes([], { env, stdin });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^hermes: no prompt: pass one with -p "\.\.\.", or pipe text into hermes\nTry 'hermes --help'\.\n$/);
    }
    const nothing = await runHermes([], { env });
    expect(nothing.code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('longer than 8 MB is cut, with one note on stderr', async () => {
    const { server, env } = await setup([textStep(['ok'])]);
    const big = 'é'.repeat(4 * 1024 * 1024 + 10); // 2 bytes each: just over 8 MB
    const result = await runHermes(['-p', 'count'], { env, stdin: big });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('hermes: stdin was longer than 8 MB; only the first 8 MB were sent.\n');
    const content: string = conversationOf(server.requests[0]!.json)[0].content;
    expect(content).toBe(`count\n\n${'é'.repeat(4 * 1024 * 1024)}`);
  });
});

describe('--output-format', () => {
  it('json prints one object with the text, usage and how the run ended', async () => {
    const { env } = await setup([textStep(['Hello', ' \u001b[31mthere'])]);
    const result = await runHermes(['-p', 'hi', '--output-format', 'json'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(result.stdout);
    expect(out).toEqual({
      text: 'Hello \u001b[31mthere',
      turns: ['Hello \u001b[31mthere'],
      sessionId: expect.stringMatching(/^[0-9a-z]+$/),
      reasoning: '',
      toolCalls: [],
      usage: expect.objectContaining({ inputTokens: 12, outputTokens: 2 }),
      // the name the server answered with (the loopback answers as OpenAI's snapshot does)
      model: 'gpt-4o-2024-08-06',
      provider: 'openai',
      stopReason: 'stop',
      status: 'completed',
    });
  });

  it('json keeps the text of separate model turns apart: the answer is the last, every turn is in turns', async () => {
    const { env, dirs } = await setup([
      { kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'list_directory', arguments: '{"path":"."}' }], { textBefore: ['Let me use a tool.'] })] },
      textStep(['The tool returned a listing.']),
    ]);
    const result = await runHermes(['-p', 'look', '--output-format', 'json'], { env, cwd: dirs.home });
    const out = JSON.parse(result.stdout);
    expect(out.text).toBe('The tool returned a listing.');
    expect(out.turns).toEqual(['Let me use a tool.', 'The tool returned a listing.']);
  });

  it('stream-json prints one object per line whose text deltas are exactly the answer', async () => {
    const tokens = ['A', ' line\n', 'and "quotes" ', '🙂', ' \\ done'];
    const { env } = await setup([{ kind: 'stream', chunks: chatTextFrames(tokens, { usage: true, reasoning: ['hmm'] }) }]);
    const result = await runHermes(['-p', 'hi', '--output-format=stream-json'], { env });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.filter((l) => l.type === 'text').map((l) => l.delta)).toEqual(tokens);
    expect(lines.filter((l) => l.type === 'reasoning').map((l) => l.delta)).toEqual(['hmm']);
    expect(lines.some((l) => l.type === 'usage')).toBe(true);
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ type: 'result', text: tokens.join(''), reasoning: 'hmm', status: 'completed', stopReason: 'stop' });
    expect(result.stderr).toBe('');
  });
});

describe('what the server says about the answer', () => {
  it('json names the model the server answered with (llama.cpp names its file, not what was asked)', async () => {
    const { env } = await setup([{ kind: 'stream', chunks: [chatTextSse(['hi'], { usage: true, model: 'tiny-scripted' })] }]);
    const result = await runHermes(['-p', 'hi', '-m', 'llama3.2', '--output-format', 'json'], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ model: 'tiny-scripted', status: 'completed' });
  });

  it('a length stop says the context window is full when prompt and answer filled it, else the output limit', async () => {
    const { env, dirs } = await setup([
      { kind: 'stream', chunks: [chatTextSse(['cut', ' off'], { usage: true, finishReason: 'length', promptTokens: 998 })] },
      { kind: 'stream', chunks: [chatTextSse(['cut', ' off'], { usage: true, finishReason: 'length', promptTokens: 12 })] },
    ]);
    fs.writeFileSync(path.join(dirs.hermesHome, 'config.json'), JSON.stringify({ contextWindow: 1000 }));
    const full = await runHermes(['-p', 'hi', '--no-session'], { env });
    expect(full.stdout).toBe('cut off\n');
    expect(full.stderr).toBe('hermes: the answer was cut off: the context window is full (start a new conversation, without -c or --resume)\n');
    const limit = await runHermes(['-p', 'hi', '--no-session'], { env });
    expect(limit.stderr).toBe('hermes: the answer was cut off at the output token limit\n');
  });
});

describe('--version and --help', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const result = await runHermes([flag], { env: {} });
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('--help lists the options, the environment variables and the exit codes', async () => {
    const result = await runHermes(['--help'], { env: {} });
    expect(result.code).toBe(0);
    for (const word of ['--prompt', '--model', '--provider', '--base-url', '--system', '--no-stream', '--output-format', '--show-reasoning', '--max-turns', '--stall-timeout', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL', 'HERMES_HOME', 'NO_COLOR', 'HERMES_DEBUG', '130']) {
      expect(result.stdout).toContain(word);
    }
  });
});

describe('hermes "question" without a terminal', () => {
  it('answers the words like -p', async () => {
    const { env, server } = await setup([textStep(['Four.'])]);
    const result = await runHermes(['what is', '2+2?'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Four.\n');
    expect(server.requests[0]!.json.messages.at(-1)).toEqual({ role: 'user', content: 'what is 2+2?' });
  });
});

describe('--max-turns', () => {
  it('says "stopped after 1 model request" in the singular', async () => {
    const { env, dirs } = await setup([{ kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name: 'list_directory', arguments: '{"path":"."}' }])] }]);
    const result = await runHermes(['-p', 'look', '--max-turns', '1'], { env, cwd: dirs.home });
    expect(result.stderr).toContain('stopped after 1 model request (--max-turns)');
  });
});
