// One command of a script as the dangerous-command rules see it: prefixes (sudo, env, nice,
// xargs…) removed, the program's name, its arguments, and where it runs. Also the small
// helpers the rules share (operands, flags, paths written in a command).

import path from 'node:path';
import { expandHome } from './paths.js';
import type { SimpleCommand, Word } from './shell-words.js';

export interface Danger {
  /** The rule's id, e.g. 'recursive-delete-outside'. */
  id: string;
  /** What it would do, for the approval prompt: "deletes recursively outside the working folder". */
  description: string;
}

export interface CommandView {
  /** The program's name without its folder: /bin/rm -> rm. */
  name: string;
  /** The name is computed ($VAR, $(…), `…`): what runs is unknown here. */
  computedName: boolean;
  /** The command gets (more) arguments from its input: it runs under xargs. */
  viaXargs: boolean;
  args: Word[];
  command: SimpleCommand;
  /** The folder it runs in, after any `cd` before it; undefined when unknown. */
  dir: string | undefined;
  /** The working folder, symlinks resolved. */
  cwd: string;
  home: string;
}

export interface Rule extends Danger {
  /** Checks one command. */
  command?(view: CommandView): boolean;
  /** Checks the commands of one pipeline (a | b | c), in order. */
  pipeline?(views: CommandView[]): boolean;
  /** Checks the script's text as written. */
  script?(text: string): boolean;
}

export type Where = Pick<CommandView, 'cwd' | 'home' | 'dir'>;

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);
export const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'deno', 'bun']);
export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh']);

// Words that may precede the real command.
const KEYWORDS = new Set(['!', '{', '}', 'if', 'then', 'elif', 'else', 'do', 'while', 'until', 'time']);
/** Prefix commands that run the rest of the line; value: their options that take an argument. */
const WRAPPERS: Record<string, string[]> = {
  sudo: ['-u', '-g', '-C', '-p', '-U', '-r', '-t', '-T', '-D', '-h'],
  doas: ['-u', '-C'],
  env: ['-u', '-C', '-S', '--unset', '--chdir'],
  nice: ['-n', '--adjustment'],
  ionice: ['-c', '-n', '-p', '-t'],
  nohup: [],
  setsid: [],
  time: ['-f', '-o'],
  command: [],
  builtin: [],
  exec: ['-a'],
  stdbuf: ['-i', '-o', '-e'],
  timeout: ['-k', '-s', '--kill-after', '--signal'],
  xargs: ['-I', '-n', '-P', '-d', '-L', '-s', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file'],
  busybox: [],
  unbuffer: [],
};

/** $HOME and $PWD are known; any other expansion is not. */
const KNOWN_VARIABLES = /\$\{?(?:HOME|PWD)\}?(?![A-Za-z0-9_])/g;

export function commandView(command: SimpleCommand, where: Where): CommandView | undefined {
  const words = command.words;
  let viaXargs = false;
  let i = 0;
  for (;;) {
    while (i < words.length && (KEYWORDS.has(words[i]!.text) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text))) i++;
    const word = words[i];
    // A bare redirection (`> file`) still writes.
    if (!word) return command.redirects.length > 0 ? { ...where, name: '', computedName: false, viaXargs, args: [], command } : undefined;
    const name = path.basename(word.text);
    const withArgument = WRAPPERS[name];
    if (!withArgument) {
      const computedName = word.dynamic && /[$`]/.test(word.text.replace(KNOWN_VARIABLES, ''));
      return { ...where, name, computedName, viaXargs, args: words.slice(i + 1), command };
    }
    // `command -v rm` looks a command up instead of running it
    if (name === 'command' && words[i + 1] && /^-[vV]$/.test(words[i + 1]!.text)) return undefined;
    if (name === 'xargs') viaXargs = true;
    i++;
    while (i < words.length && words[i]!.text.startsWith('-')) {
      const option = words[i]!.text;
      i += withArgument.includes(option) ? 2 : 1;
      if (option === '--') break;
    }
    if (name === 'timeout') i++; // the duration
  }
}

/** The scripts a command runs from its words: bash -c '…', eval '…', su -c '…', bash <<< '…'. */
export function innerScripts(view: CommandView): Word[] {
  if (view.name === 'eval') {
    const joined = view.args.map((w) => w.text).join(' ');
    return [{ text: joined, dynamic: view.args.some((w) => w.dynamic), substitutions: view.args.flatMap((w) => w.substitutions) }];
  }
  if (!SHELLS.has(view.name) && view.name !== 'su') return [];
  const flag = view.args.findIndex((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.text) || w.text === '--command');
  const script = flag >= 0 ? view.args[flag + 1] : undefined;
  if (script !== undefined) return [script];
  return view.command.redirects.filter((r) => r.op === '<<<').map((r) => r.target);
}

export function readsProgramFromStdin(view: CommandView): boolean {
  const operandsGiven = operands(view.args).filter((w) => w.text !== '-');
  if (SHELLS.has(view.name)) {
    const options = view.args.filter((w) => /^-[a-zA-Z]+$/.test(w.text)).map((w) => w.text);
    if (options.some((o) => o.includes('c'))) return false;
    return options.some((o) => o.includes('s')) || operandsGiven.length === 0;
  }
  if (INTERPRETERS.has(view.name)) {
    // python -m json.tool, node -e '…', perl -ne '…': the program is not stdin
    const programFlag = view.args.some((w) => /^-[a-zA-Z]*[cemEnpr]$/.test(w.text) || w.text === '--eval');
    return !programFlag && operandsGiven.length === 0;
  }
  return false;
}

export function changeDirectory(view: CommandView): string | undefined {
  const target = operands(view.args)[0];
  if (!target) return view.home;
  const resolved = staticPath(target, view);
  return resolved === undefined || resolved === '-' ? undefined : resolved;
}

/** A path word as an absolute path, or undefined when it depends on something unknown. */
export function staticPath(word: Word, view: Where): string | undefined {
  let text = word.text.replace(/\$\{?HOME\}?(?![A-Za-z0-9_])/g, view.home);
  if (view.dir !== undefined) text = text.replace(/\$\{?PWD\}?(?![A-Za-z0-9_])/g, view.dir);
  if (/[$`]/.test(text)) return undefined;
  text = expandHome(text, view.home);
  if (text === '-') return '-';
  if (text.startsWith('~')) return undefined; // ~user
  if (path.isAbsolute(text)) return path.resolve(text);
  return view.dir === undefined ? undefined : path.resolve(view.dir, text);
}

/** Arguments that are not options (everything after `--` is an operand). */
export function operands(args: Word[]): Word[] {
  const out: Word[] = [];
  let optionsDone = false;
  for (const word of args) {
    if (!optionsDone && word.text === '--') optionsDone = true;
    else if (optionsDone || !word.text.startsWith('-') || word.text === '-') out.push(word);
  }
  return out;
}

/** A short option letter in any cluster (-rf, -fR) or the long form, before `--`. */
export function hasFlag(args: Word[], letters: string, long: string): boolean {
  for (const word of args) {
    const text = word.text;
    if (text === '--') return false;
    if (text === long) return true;
    if (/^-[a-zA-Z]+$/.test(text) && [...letters].some((letter) => text.includes(letter))) return true;
  }
  return false;
}

export function literal(text: string): Word {
  return { text, dynamic: false, substitutions: [] };
}
