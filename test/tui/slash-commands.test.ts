import { describe, expect, it } from 'vitest';
import {
  SLASH_COMMANDS,
  completeSlashCommand,
  osc52Copy,
  parseSlashCommand,
  runSlashCommand,
  type SlashCommandContext,
} from '../../src/tui/slash-commands.js';

function recordingContext(overrides: Partial<SlashCommandContext> = {}) {
  const printed: { line: string; tone: string | undefined }[] = [];
  const calls: string[] = [];
  const ctx: SlashCommandContext = {
    showModel: () => 'model: gpt-test',
    setModel: (name) => `model set to ${name}`,
    showProvider: () => 'provider: openai',
    setProvider: (name) => {
      if (name !== 'anthropic') throw new Error(`unknown provider "${name}" (known: openai, anthropic)`);
      return 'provider set to anthropic';
    },
    showSystem: () => ['system prompt (12 characters):', '  You are hermes'],
    setSystem: (text) => (text === undefined ? 'system prompt removed' : `system prompt set (${text.length} chars)`),
    compact: (focus) => calls.push(`compact ${focus}`),
    context: () => ['system prompt  100  1%', 'free  9,900  99%'],
    toggleReasoning: () => 'reasoning shown',
    usage: () => '12 in / 34 out',
    copyLastAnswer: () => 'copied',
    listSessions: () => ['recent sessions (/resume ID continues one):', '  abc12345  …'],
    resume: (id) => calls.push(`resume ${id}`),
    council: (args) => `council ${args}`,
    clear: () => calls.push('clear'),
    exit: () => calls.push('exit'),
    print: (line, tone) => printed.push({ line, tone }),
    ...overrides,
  };
  return { ctx, printed, calls };
}

function run(input: string, overrides?: Partial<SlashCommandContext>) {
  const recorded = recordingContext(overrides);
  const command = parseSlashCommand(input);
  if (!command) throw new Error(`not a command: ${input}`);
  runSlashCommand(command, recorded.ctx);
  return recorded;
}

describe('parseSlashCommand', () => {
  it('splits the name from the arguments', () => {
    expect(parseSlashCommand('/model gpt-4o')).toEqual({ name: 'model', args: 'gpt-4o' });
    expect(parseSlashCommand('/help')).toEqual({ name: 'help', args: '' });
    expect(parseSlashCommand('/Model  x  ')).toEqual({ name: 'model', args: 'x' });
    expect(parseSlashCommand('/system be brief\nand kind')).toEqual({ name: 'system', args: 'be brief\nand kind' });
  });

  it('is undefined for ordinary messages, including ones that start with a path', () => {
    expect(parseSlashCommand('hello /help')).toBeUndefined();
    expect(parseSlashCommand(' /help')).toBeUndefined();
    expect(parseSlashCommand('/usr/bin/env is missing, why?')).toBeUndefined();
  });
});

describe('runSlashCommand', () => {
  it('shows and sets the model and provider', () => {
    expect(run('/model').printed).toEqual([{ line: 'model: gpt-test', tone: undefined }]);
    expect(run('/model gpt-4o-mini').printed[0]?.line).toBe('model set to gpt-4o-mini');
    expect(run('/council a,b,c').printed[0]?.line).toBe('council a,b,c');
    expect(run('/provider').printed[0]?.line).toBe('provider: openai');
    expect(run('/provider anthropic').printed[0]?.line).toBe('provider set to anthropic');
  });

  it('prints the error of an unknown provider readably instead of throwing', () => {
    const { printed } = run('/provider nope');
    expect(printed).toEqual([{ line: 'unknown provider "nope" (known: openai, anthropic)', tone: 'error' }]);
  });

  it('sets and removes the system prompt', () => {
    expect(run('/system be terse').printed[0]?.line).toBe('system prompt set (8 chars)');
    expect(run('/system --clear').printed[0]?.line).toBe('system prompt removed');
    expect(run('/system').printed.map((p) => p.line)).toEqual(['system prompt (12 characters):', '  You are hermes']);
  });

  it('/compact passes what to keep in focus; /context prints the split', () => {
    expect(run('/compact the failing test').calls).toEqual(['compact the failing test']);
    expect(run('/compact').calls).toEqual(['compact ']);
    expect(run('/context').printed.map((p) => p.line)).toEqual(['system prompt  100  1%', 'free  9,900  99%']);
  });

  it('dispatches the other commands', () => {
    expect(run('/reasoning').printed[0]?.line).toBe('reasoning shown');
    expect(run('/usage').printed[0]?.line).toBe('12 in / 34 out');
    expect(run('/copy').printed[0]?.line).toBe('copied');
    expect(run('/clear').calls).toEqual(['clear']);
    expect(run('/exit').calls).toEqual(['exit']);
    expect(run('/quit').calls).toEqual(['exit']);
  });

  it('/sessions prints the list; /resume passes the id on, and asks for one when it is missing', () => {
    expect(run('/sessions').printed.map((entry) => entry.line)).toEqual(['recent sessions (/resume ID continues one):', '  abc12345  …']);
    expect(run('/resume  abc1 ').calls).toEqual(['resume abc1']);
    const missing = run('/resume');
    expect(missing.calls).toEqual([]);
    expect(missing.printed).toEqual([{ line: 'which one? /resume ID — /sessions lists them', tone: 'error' }]);
  });

  it('/help lists every command', () => {
    const text = run('/help').printed.map((entry) => entry.line).join('\n');
    for (const command of SLASH_COMMANDS) expect(text).toContain(`/${command.name}`);
    expect(text).toContain('/model [name]');
    expect(text).toContain('/resume <id>');
    expect(text).toContain('y once · a always');
  });

  it('answers an unknown command with a pointer to /help and calls nothing else', () => {
    let touched = false;
    const touch = () => {
      touched = true;
      return '';
    };
    const { printed, calls } = run('/foo bar', { showModel: touch, usage: touch, setSystem: touch });
    expect(printed).toEqual([{ line: 'unknown command /foo — type /help for the list', tone: 'error' }]);
    expect(calls).toEqual([]);
    expect(touched).toBe(false);
  });

  it('does not echo control characters of an unknown command', () => {
    const { printed } = run('/x\x1b[2Jy');
    expect(printed[0]?.line).not.toContain('\x1b');
  });
});

describe('completeSlashCommand', () => {
  it('lists the commands that match the typed prefix', () => {
    expect(completeSlashCommand('/').matches).toHaveLength(SLASH_COMMANDS.length);
    expect(completeSlashCommand('/u').matches.map((c) => c.name)).toEqual(['usage']);
    expect(completeSlashCommand('hello').matches).toEqual([]);
    expect(completeSlashCommand('/zzz').matches).toEqual([]);
  });

  it('completes a unique match, with a space when the command takes arguments', () => {
    expect(completeSlashCommand('/us').completion).toBe('/usage');
    expect(completeSlashCommand('/mo').completion).toBe('/model ');
    expect(completeSlashCommand('/usage').completion).toBeUndefined();
  });

  it('completes the common prefix of several matches', () => {
    // /clear, /council, /context, /compact and /copy share only "c": nothing longer to complete
    expect(completeSlashCommand('/c').completion).toBeUndefined();
    expect(completeSlashCommand('/c').matches.map((c) => c.name)).toEqual(['clear', 'council', 'context', 'compact', 'copy']);
    // /context and /compact share "co"; with /copy, only that
    expect(completeSlashCommand('/con').completion).toBe('/context');
    expect(completeSlashCommand('/com').completion).toBe('/compact ');
  });

  it('shows the usage of the command whose arguments are being typed', () => {
    expect(completeSlashCommand('/model gp').matches.map((c) => c.name)).toEqual(['model']);
    expect(completeSlashCommand('/model gp').completion).toBeUndefined();
  });
});

describe('osc52Copy', () => {
  it('wraps the UTF-8 text in base64 inside an OSC 52 clipboard sequence', () => {
    expect(osc52Copy('hi')).toBe('\x1b]52;c;aGk=\x07');
    const sequence = osc52Copy('naïve 😀\nline');
    const payload = /^\x1b\]52;c;([A-Za-z0-9+/=]*)\x07$/.exec(sequence)?.[1];
    expect(Buffer.from(payload ?? '', 'base64').toString('utf8')).toBe('naïve 😀\nline');
  });
});
