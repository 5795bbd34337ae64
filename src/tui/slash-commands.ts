// Slash commands typed at the prompt. They act on the session through SlashCommandContext and
// print through ctx.print; nothing here ever reaches the model, including a mistyped command.

export interface SlashCommandSpec {
  name: string;
  args?: string;
  description: string;
}

export interface ParsedSlashCommand {
  name: string;
  args: string;
}

export interface SlashCommandContext {
  showModel(): string;
  setModel(name: string): string;
  showProvider(): string;
  /** Returns a message, or throws Error with a readable message for an unknown provider. */
  setProvider(name: string): string;
  /** The system prompt in effect, as lines to print. */
  showSystem(): string[];
  /** `undefined` clears the system prompt. */
  setSystem(text: string | undefined): string;
  /** /compact [focus]: compacts the conversation now (it prints what happened itself). */
  compact(focus: string): void;
  /** /context: what fills the context window, as lines to print. */
  context(): string[];
  toggleReasoning(): string;
  usage(): string;
  copyLastAnswer(): string;
  /** /sessions: the lines to print. */
  listSessions(): string[];
  /** /resume ID: switches to a stored conversation (it prints what happened itself). */
  resume(id: string): void;
  /** /council a,b,c | NAME | off (empty: what is in effect). */
  council(args: string): string;
  clear(): void;
  exit(): void;
  print(line: string, tone?: 'info' | 'error'): void;
}

export const SLASH_COMMANDS: SlashCommandSpec[] = [
  { name: 'help', description: 'list the commands and keys' },
  { name: 'clear', description: 'clear the screen and start a new conversation' },
  { name: 'sessions', description: 'list recent conversations' },
  { name: 'resume', args: '<id>', description: 'continue a stored conversation' },
  { name: 'model', args: '[name]', description: 'show or switch the model' },
  { name: 'provider', args: '[name]', description: 'show or switch the provider' },
  { name: 'system', args: '[text | --clear]', description: 'show the system prompt, replace it, or remove it' },
  { name: 'council', args: '[a,b,c | name | off]', description: 'put prompts to a council of models (off: one model again)' },
  { name: 'context', description: 'what fills the context window' },
  { name: 'compact', args: '[focus]', description: 'summarise the conversation to free context' },
  { name: 'reasoning', description: 'show or hide the model’s reasoning' },
  { name: 'usage', description: 'tokens used in this session' },
  { name: 'copy', description: 'copy the last answer to the clipboard' },
  { name: 'exit', description: 'quit hermes' },
];

const ALIASES: Record<string, string> = { quit: 'exit', q: 'exit', '?': 'help' };

const KEYS_HELP = [
  'Enter send · Shift+Enter, Alt+Enter or Ctrl+J new line · Up/Down history',
  'Esc interrupt (keeps your text) · Ctrl+C interrupt and clear · Ctrl+C twice or Ctrl+D quit',
  'when a tool asks: y once · a always for that tool this session · n deny (then a reason, or Esc) · Esc interrupt',
];

/** `/name args` → {name, args}; undefined when the input is not a command. Input that starts
 *  with a path such as `/usr/bin/env is missing` is a message, not a command. */
export function parseSlashCommand(input: string): ParsedSlashCommand | undefined {
  if (!input.startsWith('/')) return undefined;
  const match = /^\/(\S*)(?:\s+([\s\S]*))?$/.exec(input.trimEnd());
  if (!match) return undefined;
  const name = match[1] ?? '';
  if (name.includes('/')) return undefined;
  return { name: name.toLowerCase(), args: (match[2] ?? '').trim() };
}

export interface SlashCompletion {
  matches: SlashCommandSpec[];
  /** The whole prompt text after Tab: the unique command (plus a space when it takes
   *  arguments) or the longest common prefix of the matches, when longer than what is typed. */
  completion?: string;
}

/** Completion for the text being typed: the commands it can still become. Once arguments are
 *  being typed, the one command they belong to (so the hint can show its usage). */
export function completeSlashCommand(input: string): SlashCompletion {
  if (!input.startsWith('/') || input.includes('\n')) return { matches: [] };
  const space = input.search(/\s/);
  if (space !== -1) {
    const name = resolve(input.slice(1, space).toLowerCase());
    return { matches: SLASH_COMMANDS.filter((command) => command.name === name) };
  }
  const typed = input.slice(1).toLowerCase();
  const matches = SLASH_COMMANDS.filter((command) => command.name.startsWith(typed));
  const [first] = matches;
  if (first === undefined) return { matches };
  if (matches.length === 1) {
    const completion = `/${first.name}${first.args ? ' ' : ''}`;
    return completion === input ? { matches } : { matches, completion };
  }
  const prefix = commonPrefix(matches.map((command) => command.name));
  return prefix.length > typed.length ? { matches, completion: `/${prefix}` } : { matches };
}

function commonPrefix(words: string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

function resolve(name: string): string {
  return ALIASES[name] ?? name;
}

export function runSlashCommand(command: ParsedSlashCommand, ctx: SlashCommandContext): void {
  try {
    dispatch(command, ctx);
  } catch (error) {
    ctx.print(error instanceof Error ? error.message : String(error), 'error');
  }
}

function dispatch({ name, args }: ParsedSlashCommand, ctx: SlashCommandContext): void {
  switch (resolve(name)) {
    case 'help':
      for (const line of helpLines()) ctx.print(line);
      return;
    case 'clear':
      ctx.clear();
      return;
    case 'sessions':
      for (const line of ctx.listSessions()) ctx.print(line);
      return;
    case 'resume':
      if (args === '') {
        ctx.print('which one? /resume ID — /sessions lists them', 'error');
        return;
      }
      ctx.resume(args);
      return;
    case 'model':
      ctx.print(args === '' ? ctx.showModel() : ctx.setModel(args));
      return;
    case 'provider':
      ctx.print(args === '' ? ctx.showProvider() : ctx.setProvider(args));
      return;
    case 'system':
      if (args === '') for (const line of ctx.showSystem()) ctx.print(line);
      else ctx.print(ctx.setSystem(args === '--clear' ? undefined : args));
      return;
    case 'council':
      ctx.print(ctx.council(args));
      return;
    case 'context':
      for (const line of ctx.context()) ctx.print(line);
      return;
    case 'compact':
      ctx.compact(args);
      return;
    case 'reasoning':
      ctx.print(ctx.toggleReasoning());
      return;
    case 'usage':
      ctx.print(ctx.usage());
      return;
    case 'copy':
      ctx.print(ctx.copyLastAnswer());
      return;
    case 'exit':
      ctx.exit();
      return;
    default:
      ctx.print(unknownCommandMessage(name), 'error');
  }
}

function unknownCommandMessage(name: string): string {
  if (name === '') return 'type a command after / — type /help for the list';
  // The name is user input echoed to the terminal: keep only printable characters, bounded.
  const shown = name.replace(/[^\p{L}\p{N}\p{P}\p{S}]/gu, '').slice(0, 40);
  const guess = SLASH_COMMANDS.find((command) => command.name.startsWith(name.slice(0, 2)));
  const suggestion = guess && name.length >= 2 ? ` (did you mean /${guess.name}?)` : '';
  return `unknown command /${shown}${suggestion} — type /help for the list`;
}

export function helpLines(): string[] {
  const width = Math.max(...SLASH_COMMANDS.map((command) => usageOf(command).length));
  return [
    'commands:',
    ...SLASH_COMMANDS.map((command) => `  ${usageOf(command).padEnd(width)}  ${command.description}`),
    'keys:',
    ...KEYS_HELP.map((line) => `  ${line}`),
  ];
}

/** `/model [name]` */
export function usageOf(command: SlashCommandSpec): string {
  return command.args ? `/${command.name} ${command.args}` : `/${command.name}`;
}

/** OSC 52 "set clipboard" sequence for `text` (the caller writes it to the terminal). BEL ends
 *  it because more terminals accept BEL than ST here. */
export function osc52Copy(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}
