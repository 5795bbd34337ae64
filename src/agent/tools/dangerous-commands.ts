// The commands that always need the user's approval, even under --yolo or --allow: the few
// that can wreck a machine in one line. This file is the list; tests cover every entry and
// the near-misses that must not match (rm -rf ./build asks like any command, no more).
//
// Commands are parsed (shell-words.ts), not grepped, so quoting and `sudo`/`env` prefixes do
// not hide them, and a path is judged after resolving it against the working folder.

import os from 'node:os';
import path from 'node:path';
import { expandHome, isWithin } from './paths.js';
import { parseShell, type SimpleCommand, type Word } from './shell-words.js';

export interface Danger {
  /** The rule's id, e.g. 'recursive-delete-outside'. */
  id: string;
  /** What it would do, for the approval prompt: "deletes recursively outside the working folder". */
  description: string;
}

export interface ShellContext {
  /** The working folder. */
  cwd: string;
  home?: string;
}

/** One command of a script, prefixes (sudo, env, nice…) removed. */
interface CommandView {
  /** The program's name without its folder: /bin/rm -> rm. */
  name: string;
  args: Word[];
  command: SimpleCommand;
  /** The folder it runs in, after any `cd` before it; undefined when unknown. */
  dir: string | undefined;
  cwd: string;
  home: string;
}

interface Rule extends Danger {
  /** Checks one command. */
  command?(view: CommandView): boolean;
  /** Checks the commands of one pipeline (a | b | c), in order. */
  pipeline?(views: CommandView[]): boolean;
  /** Checks the script's text as written. */
  script?(text: string): boolean;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'deno', 'bun']);
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh']);

/** Block devices (disks, partitions, RAID, device-mapper volumes), not /dev/null and friends. */
const BLOCK_DEVICE =
  /^\/dev\/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|md\/|dm-\d|loop\d|nbd\d|sr\d|zd\d|bcache\d|mtdblock\d|ram\d|r?disk\d|disk\/|mapper\/)/;

export function isBlockDevicePath(absolute: string): boolean {
  return BLOCK_DEVICE.test(path.posix.normalize(absolute));
}

const RULES: readonly Rule[] = [
  {
    id: 'recursive-delete-outside',
    description: 'deletes recursively outside the working folder (or the folder itself)',
    command: (v) => v.name === 'rm' && hasFlag(v.args, 'rR', '--recursive') && operands(v.args).some((w) => riskyTarget(w, v)),
  },
  {
    id: 'find-delete-outside',
    description: 'deletes files found outside the working folder',
    command: (v) => {
      if (v.name !== 'find') return false;
      const texts = v.args.map((w) => w.text);
      const deletes =
        texts.includes('-delete') ||
        texts.some((t, i) => ['-exec', '-execdir', '-ok', '-okdir'].includes(t) && ['rm', 'shred'].includes(path.basename(texts[i + 1] ?? '')));
      if (!deletes) return false;
      const firstExpression = v.args.findIndex((w) => /^[-(!]/.test(w.text));
      const starts = v.args.slice(0, firstExpression < 0 ? v.args.length : firstExpression);
      // find deletes below its starting points, so the working folder itself is a fine start
      return (starts.length === 0 ? [literal('.')] : starts).some((w) => riskyTarget(w, v, false));
    },
  },
  {
    id: 'recursive-permissions-outside',
    description: 'changes permissions or ownership recursively outside the working folder',
    command: (v) => {
      if (!['chmod', 'chown', 'chgrp'].includes(v.name) || !hasFlag(v.args, 'R', '--recursive')) return false;
      const byReference = v.args.some((w) => w.text.startsWith('--reference'));
      // chmod MODE FILE…: the first operand is the mode (or owner), unless --reference gives it
      const targets = byReference ? operands(v.args) : operands(v.args).slice(1);
      // unlike deleting it, changing the working folder's own permissions leaves it in place
      return targets.some((w) => riskyTarget(w, v, false));
    },
  },
  {
    id: 'block-device-write',
    description: 'writes to a disk device',
    command: (v) => {
      const writesTo = (w: Word): boolean => isBlockDevicePath(w.text);
      if (v.command.redirects.some((r) => ['>', '>>', '>|', '&>', '&>>', '<>'].includes(r.op) && writesTo(r.target))) return true;
      if (v.name === 'dd') return v.args.some((w) => w.text.startsWith('of=') && isBlockDevicePath(w.text.slice(3)));
      if (['tee', 'cp', 'mv', 'shred', 'truncate', 'wipefs', 'blkdiscard', 'badblocks', 'install'].includes(v.name)) {
        return operands(v.args).some(writesTo);
      }
      return false;
    },
  },
  {
    id: 'format-disk',
    description: 'formats or repartitions a disk',
    command: (v) => {
      if (/^mkfs(\..+)?$/.test(v.name) || ['mke2fs', 'newfs', 'mkdosfs'].includes(v.name)) return true;
      if (v.name === 'mkswap') return operands(v.args).some((w) => isBlockDevicePath(w.text));
      if (['fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'parted', 'zpool'].includes(v.name)) {
        const listOnly = v.args.some((w) => ['-l', '--list', '-p', '--print', 'print', 'list', 'status'].includes(w.text));
        return !listOnly && operands(v.args).some((w) => isBlockDevicePath(w.text) || w.text === 'create');
      }
      if (v.name === 'diskutil') return /^(erase|zero|random|secureErase|partitionDisk|reformat)/i.test(v.args[0]?.text ?? '');
      return false;
    },
  },
  {
    id: 'fork-bomb',
    description: 'is a fork bomb',
    script: (text) => {
      // name(){ name|name& }; name — and the `function name { … }` spelling
      const definitions = /(?:function\s+)?([\w:.-]+)\s*(?:\(\s*\))?\s*\{([^{}]*)\}/g;
      for (const [, name, body] of text.matchAll(definitions)) {
        if (body!.replace(/\s+/g, '').includes(`${name}|${name}`)) return true;
      }
      const compact = text.replace(/\s+/g, '');
      return /fork(?:\(\))?while(?:\(\))?fork/.test(compact) || /while(?:True|1|true):(?:\w+\.)?fork\(\)/.test(compact);
    },
  },
  {
    id: 'download-to-shell',
    description: 'runs a script downloaded from the internet',
    pipeline: (views) => {
      const download = views.findIndex((v) => DOWNLOADERS.has(v.name));
      return download >= 0 && views.slice(download + 1).some(readsProgramFromStdin);
    },
    command: (v) => {
      // bash <(curl …), sh -c "$(curl …)", source <(wget -O- …), eval "$(curl …)"
      const runner = SHELLS.has(v.name) || INTERPRETERS.has(v.name) || ['source', '.', 'eval'].includes(v.name);
      const where = { cwd: v.cwd, home: v.home, dir: v.dir };
      return runner && v.args.some((w) => w.substitutions.some((inner) => parseShell(inner).some((c) => DOWNLOADERS.has(commandView(c, where)?.name ?? ''))));
    },
  },
  {
    id: 'kill-everything',
    description: 'kills every process of the user',
    command: (v) => {
      if (v.name !== 'kill') return false;
      let args = v.args.map((w) => w.text);
      if (args[0] === '-s' || args[0] === '-n') args = args.slice(2);
      else if (args[0] !== undefined && /^-(\d+|[A-Z]+|SIG\w+)$/.test(args[0])) args = args.slice(1);
      if (args[0] === '--') args = args.slice(1);
      return args.includes('-1');
    },
  },
  {
    id: 'shutdown',
    description: 'shuts down or reboots the machine',
    command: (v) => {
      if (['shutdown', 'reboot', 'halt', 'poweroff'].includes(v.name)) return true;
      if (v.name === 'init' || v.name === 'telinit') return ['0', '6'].includes(v.args[0]?.text ?? '');
      if (v.name === 'systemctl') return v.args.some((w) => ['poweroff', 'reboot', 'halt', 'kexec'].includes(w.text));
      return false;
    },
  },
];

/** The ids and descriptions of every rule (for documentation and tests). */
export const DANGEROUS_COMMAND_RULES: readonly Danger[] = RULES.map(({ id, description }) => ({ id, description }));

/** The first rule the command breaks, or undefined when it is not on the list. */
export function findDanger(command: string, context: ShellContext): Danger | undefined {
  const home = context.home ?? os.homedir();
  return analyse(command, path.resolve(context.cwd), home, path.resolve(context.cwd), 0);
}

function analyse(script: string, cwd: string, home: string, startDir: string | undefined, depth: number): Danger | undefined {
  if (depth > 4) return undefined;
  const found = (rule: Rule): Danger => ({ id: rule.id, description: rule.description });
  for (const rule of RULES) if (rule.script?.(script)) return found(rule);

  let dir = startDir;
  let pipeline: CommandView[] = [];
  for (const command of parseShell(script)) {
    const view = commandView(command, { cwd, home, dir });
    // Scripts inside the command: $(…), <(…), bash -c '…', eval '…'
    const nested = [...command.words, ...command.redirects.map((r) => r.target)].flatMap((w) => w.substitutions);
    if (view) nested.push(...innerScripts(view));
    for (const inner of nested) {
      const danger = analyse(inner, cwd, home, dir, depth + 1);
      if (danger) return danger;
    }
    if (view) {
      for (const rule of RULES) if (rule.command?.(view)) return found(rule);
      if (view.name === 'cd' || view.name === 'pushd') dir = changeDirectory(view);
      pipeline.push(view);
    }
    if (command.next !== '|' && command.next !== '|&') {
      for (const rule of RULES) if (rule.pipeline?.(pipeline)) return found(rule);
      pipeline = [];
    }
  }
  return undefined;
}

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

function commandView(command: SimpleCommand, where: { cwd: string; home: string; dir: string | undefined }): CommandView | undefined {
  const words = command.words;
  let i = 0;
  for (;;) {
    while (i < words.length && (KEYWORDS.has(words[i]!.text) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text))) i++;
    const word = words[i];
    // A bare redirection (`> file`) still writes.
    if (!word) return command.redirects.length > 0 ? { ...where, name: '', args: [], command } : undefined;
    const name = path.basename(word.text);
    const withArgument = WRAPPERS[name];
    if (!withArgument) return { ...where, name, args: words.slice(i + 1), command };
    // `command -v rm` looks a command up instead of running it
    if (name === 'command' && words[i + 1] && /^-[vV]$/.test(words[i + 1]!.text)) return undefined;
    i++;
    while (i < words.length && words[i]!.text.startsWith('-')) {
      const option = words[i]!.text;
      i += withArgument.includes(option) ? 2 : 1;
      if (option === '--') break;
    }
    if (name === 'timeout') i++; // the duration
  }
}

/** The scripts a command runs from its arguments: bash -c '…', eval '…', su -c '…'. */
function innerScripts(view: CommandView): string[] {
  const texts = view.args.map((w) => w.text);
  if (view.name === 'eval') return [texts.join(' ')];
  if (SHELLS.has(view.name) || view.name === 'su') {
    const flag = texts.findIndex((t) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(t) || t === '--command');
    const script = flag >= 0 ? texts[flag + 1] : undefined;
    if (script !== undefined) return [script];
  }
  return [];
}

function readsProgramFromStdin(view: CommandView): boolean {
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

function changeDirectory(view: CommandView): string | undefined {
  const target = operands(view.args)[0];
  if (!target) return view.home;
  const resolved = staticPath(target, view);
  return resolved === undefined || resolved === '-' ? undefined : resolved;
}

/** A path word as an absolute path, or undefined when it depends on something unknown. */
function staticPath(word: Word, view: CommandView): string | undefined {
  let text = word.text.replace(/\$\{?HOME\}?(?![A-Za-z0-9_])/g, view.home);
  if (view.dir !== undefined) text = text.replace(/\$\{?PWD\}?(?![A-Za-z0-9_])/g, view.dir);
  if (/[$`]/.test(text)) return undefined;
  text = expandHome(text, view.home);
  if (text === '-') return '-';
  if (text.startsWith('~')) return undefined; // ~user
  if (path.isAbsolute(text)) return path.resolve(text);
  return view.dir === undefined ? undefined : path.resolve(view.dir, text);
}

function protectedFolders(home: string): Set<string> {
  return new Set([
    '/', home, '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/opt', '/proc', '/root', '/sbin',
    '/srv', '/sys', '/usr', '/var', '/Applications', '/Library', '/System', '/Users', '/Volumes', '/private',
  ]);
}

/**
 * Would acting recursively on this operand reach outside the working folder? Unknown values
 * ($VAR, ~user) count as outside; a glob is judged by the folder it expands in. The working
 * folder itself is risky to delete (`folderItselfRisky`), fine to search or chmod.
 */
function riskyTarget(word: Word, view: CommandView, folderItselfRisky = true): boolean {
  const globAt = word.text.search(/[*?[]/);
  const staticPart = globAt >= 0 ? word.text.slice(0, globAt).replace(/[^/]*$/, '') : word.text;
  const resolved = staticPath({ ...word, text: staticPart === '' ? '.' : staticPart }, view);
  if (resolved === undefined) return true;
  if (!isWithin(view.cwd, resolved) || protectedFolders(view.home).has(resolved)) return true;
  // a glob expands to entries below its folder, never the folder itself
  return folderItselfRisky && globAt < 0 && resolved === view.cwd;
}

/** Arguments that are not options (everything after `--` is an operand). */
function operands(args: Word[]): Word[] {
  const out: Word[] = [];
  let optionsDone = false;
  for (const word of args) {
    if (!optionsDone && word.text === '--') optionsDone = true;
    else if (optionsDone || !word.text.startsWith('-') || word.text === '-') out.push(word);
  }
  return out;
}

/** A short option letter in any cluster (-rf, -fR) or the long form, before `--`. */
function hasFlag(args: Word[], letters: string, long: string): boolean {
  for (const word of args) {
    const text = word.text;
    if (text === '--') return false;
    if (text === long) return true;
    if (/^-[a-zA-Z]+$/.test(text) && [...letters].some((letter) => text.includes(letter))) return true;
  }
  return false;
}

function literal(text: string): Word {
  return { text, dynamic: false, substitutions: [] };
}
