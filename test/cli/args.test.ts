// The command line as a user types it: every flag in both spellings, and every mistake
// rejected with a one-line reason instead of being guessed at.

import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.js';

const usageError = (argv: string[]): UsageError => {
  try {
    parseArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`);
};

describe('parseArgs', () => {
  it('reads every flag in its short and long spelling', () => {
    expect(
      parseArgs([
        '-p', 'hello', '-m', 'gpt-x', '--provider', 'anthropic', '--base-url', 'http://127.0.0.1:1234/v1',
        '-s', 'be brief', '--no-stream', '--output-format', 'json', '--show-reasoning', '--max-turns', '3',
        '--stall-timeout', '2.5',
      ]),
    ).toEqual({
      prompt: 'hello',
      model: 'gpt-x',
      provider: 'anthropic',
      baseURL: 'http://127.0.0.1:1234/v1',
      system: 'be brief',
      stream: false,
      outputFormat: 'json',
      showReasoning: true,
      maxTurns: 3,
      stallTimeout: 2.5,
    });
    expect(parseArgs(['--prompt', 'a', '--model', 'b', '--system', 'c'])).toEqual({ prompt: 'a', model: 'b', system: 'c' });
    expect(parseArgs(['-v'])).toEqual({ version: true });
    expect(parseArgs(['--version'])).toEqual({ version: true });
    expect(parseArgs(['-h'])).toEqual({ help: true });
    expect(parseArgs(['--help'])).toEqual({ help: true });
  });

  it('accepts --flag=value, including values with "=" and leading dashes', () => {
    expect(parseArgs(['--prompt=a=b', '--model=m', '--output-format=stream-json', '--max-turns=7'])).toEqual({
      prompt: 'a=b',
      model: 'm',
      outputFormat: 'stream-json',
      maxTurns: 7,
    });
    expect(parseArgs(['--prompt=-1 squared?'])).toEqual({ prompt: '-1 squared?' });
    expect(parseArgs(['-p', '-1 squared?'])).toEqual({ prompt: '-1 squared?' });
  });

  it('keeps a prompt verbatim, newlines and quotes included', () => {
    expect(parseArgs(['-p', 'line one\nline "two"'])).toEqual({ prompt: 'line one\nline "two"' });
  });

  it('stops reading options at --', () => {
    expect(parseArgs(['-p', 'x', '--'])).toEqual({ prompt: 'x' });
    expect(usageError(['-p', 'x', '--', '--model']).message).toMatch(/unexpected argument '--model'.*-p/);
  });

  it('rejects unknown options by name', () => {
    expect(usageError(['--bogus']).message).toBe("unknown option '--bogus'");
    expect(usageError(['-x']).message).toBe("unknown option '-x'");
    expect(usageError(['--bogus=1']).message).toBe("unknown option '--bogus'");
  });

  it('takes plain words as the first message of the chat, and refuses them beside -p', () => {
    expect(parseArgs(['what is this?'])).toEqual({ firstMessage: 'what is this?' });
    expect(parseArgs(['what', 'is', 'this', '-m', 'x'])).toEqual({ firstMessage: 'what is this', model: 'x' });
    expect(parseArgs(['--', '-rf', 'means?'])).toEqual({ firstMessage: '-rf means?' });
    expect(usageError(['-p', 'a', 'b']).message).toBe(`unexpected argument 'b' after -p: quote the prompt as one argument`);
  });

  it('reads --append-system and --no-instructions', () => {
    expect(parseArgs(['--append-system', 'Answer in French.', '--no-instructions'])).toEqual({ appendSystem: 'Answer in French.', noInstructions: true });
    expect(usageError(['--append-system', ' ']).message).toBe('--append-system needs a non-empty value');
  });

  it('reports a missing value, also when the next word is another option', () => {
    expect(usageError(['-p']).message).toBe('-p needs a value');
    expect(usageError(['--model']).message).toBe('--model needs a value');
    expect(usageError(['-p', '--model', 'x']).message).toBe('-p needs a value');
    expect(usageError(['-m', '-p', 'x']).message).toBe('-m needs a value');
  });

  it('rejects bad values', () => {
    expect(usageError(['--max-turns', 'many']).message).toMatch(/--max-turns must be a whole number/);
    expect(usageError(['--max-turns', '0']).message).toMatch(/--max-turns/);
    expect(usageError(['--max-turns', '2.5']).message).toMatch(/--max-turns/);
    expect(usageError(['--stall-timeout', 'soon']).message).toMatch(/--stall-timeout must be a number of seconds/);
    expect(usageError(['--stall-timeout', '0']).message).toMatch(/--stall-timeout/);
    expect(usageError(['--stall-timeout', '-3']).message).toMatch(/--stall-timeout/);
    expect(usageError(['--provider', 'gemini']).message).toBe("unknown provider 'gemini' (expected openai, anthropic, openai-responses)");
    expect(usageError(['--output-format', 'yaml']).message).toBe("unknown output format 'yaml' (expected text, json, stream-json)");
    expect(usageError(['--base-url', 'localhost:8080']).message).toMatch(/--base-url must be an http:\/\/ or https:\/\/ URL/);
    expect(usageError(['--base-url', 'not a url']).message).toMatch(/--base-url/);
    expect(usageError(['--model', '  ']).message).toMatch(/--model needs a non-empty value/);
    expect(usageError(['--no-stream=yes']).message).toBe('--no-stream takes no value');
  });

  it('keeps every message on one line', () => {
    for (const argv of [['--bogus'], ['-p', 'x', 'y'], ['-p'], ['--max-turns', 'x'], ['--base-url', 'x']]) {
      expect(usageError(argv).message).not.toContain('\n');
    }
  });
});

describe('session and tool flags', () => {
  it('reads -c/--continue, --resume, --no-session, --yolo, --allow, --tools and --no-tools', () => {
    expect(parseArgs(['-c', '-p', 'x'])).toEqual({ continue: true, prompt: 'x' });
    expect(parseArgs(['--continue'])).toEqual({ continue: true });
    expect(parseArgs(['--resume', ' ab12 '])).toEqual({ resume: 'ab12' });
    expect(parseArgs(['--no-session', '--yolo'])).toEqual({ noSession: true, yolo: true });
    expect(parseArgs(['--allow', 'write_file, run_shell', '--tools=read_file,edit_file'])).toEqual({
      allow: ['write_file', 'run_shell'],
      tools: ['read_file', 'edit_file'],
    });
    expect(parseArgs(['--no-tools'])).toEqual({ noTools: true });
  });

  it('rejects combinations that contradict each other', () => {
    expect(usageError(['-c', '--resume', 'ab']).message).toMatch(/either --continue or --resume/);
    expect(usageError(['--no-session', '-c']).message).toMatch(/--no-session/);
    expect(usageError(['--tools', 'read_file', '--no-tools']).message).toMatch(/--tools or --no-tools/);
    expect(usageError(['--allow', ' , ']).message).toMatch(/comma-separated/);
    expect(usageError(['--resume', '--resume', 'ab']).message).toMatch(/--resume is given twice/);
    expect(usageError(['--resume', '--no-session']).message).toMatch(/--no-session/);
    expect(usageError(['--resume=']).message).toMatch(/needs a non-empty value/);
  });

  it('--resume without an id (last, or before another flag) asks to choose a session', () => {
    expect(parseArgs(['--resume'])).toEqual({ pickSession: true });
    expect(parseArgs(['--resume', '-p', 'x'])).toEqual({ pickSession: true, prompt: 'x' });
    expect(parseArgs(['--resume', '--', 'question'])).toEqual({ pickSession: true, firstMessage: 'question' });
    // After a flag that takes a value it is that flag's forgotten value, as any flag is.
    expect(usageError(['-p', '--resume']).message).toMatch(/-p needs a value/);
    expect(parseArgs(['-s', 'be brief', '--resume'])).toEqual({ system: 'be brief', pickSession: true });
    expect(parseArgs(['--resume', 'ab12', '-p', 'x'])).toEqual({ resume: 'ab12', prompt: 'x' });
  });
});
