// The commands that always need the user's approval, even under --yolo or --allow: the few
// that can wreck a machine in one line. This file is the list; tests cover every entry and
// the near-misses that must not match (rm -rf ./build asks like any command, no more).
//
// Commands are parsed (shell-words.ts), not grepped, so quoting and `sudo`/`env` prefixes do
// not hide them, and a path is judged after resolving it against the working folder (symlinks
// and brace expansions included). Scripts inside a command (bash -c '…', $(…)) are checked
// too; what cannot be read that way counts as dangerous (hidden-commands.ts). Not a sandbox.

import os from 'node:os';
import path from 'node:path';
import {
  changeDirectory,
  commandView,
  DOWNLOADERS,
  hasFlag,
  innerScripts,
  INTERPRETERS,
  literal,
  operands,
  readsProgramFromStdin,
  SHELLS,
  staticPath,
  type CommandView,
  type Danger,
  type Rule,
} from './command-view.js';
import { HIDDEN_COMMAND_RULES } from './hidden-commands.js';
import { isWithin, kernelPath } from './paths.js';
import { expandBraces, parseShell, type Word } from './shell-words.js';

export type { Danger } from './command-view.js';

export interface ShellContext {
  /** The working folder. */
  cwd: string;
  home?: string;
}

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

// Last: a command that hides what it does is reported as such only when no rule above saw
// through it (sh -c "$(curl …)" is a download run by a shell).
const ALL_RULES: readonly Rule[] = [...RULES, ...HIDDEN_COMMAND_RULES];

/** The ids and descriptions of every rule (for documentation and tests). */
export const DANGEROUS_COMMAND_RULES: readonly Danger[] = ALL_RULES.map(({ id, description }) => ({ id, description }));

/** The first rule the command breaks, or undefined when it is not on the list. */
export function findDanger(command: string, context: ShellContext): Danger | undefined {
  const home = context.home ?? os.homedir();
  const given = path.resolve(context.cwd);
  const cwd = kernelPath(given) ?? given;
  return analyse(command, cwd, home, cwd, 0);
}

function analyse(script: string, cwd: string, home: string, startDir: string | undefined, depth: number): Danger | undefined {
  if (depth > 4) return undefined;
  const found = (rule: Rule): Danger => ({ id: rule.id, description: rule.description });
  for (const rule of ALL_RULES) if (rule.script?.(script)) return found(rule);

  let dir = startDir;
  let pipeline: CommandView[] = [];
  for (const command of parseShell(script)) {
    const view = commandView(command, { cwd, home, dir });
    // Scripts inside the command: $(…), <(…), bash -c '…', eval '…'
    const nested = [...command.words, ...command.redirects.map((r) => r.target)].flatMap((w) => w.substitutions);
    // (one built by $(…) cannot be read here: the opaque-shell-code rule judges it)
    if (view) nested.push(...innerScripts(view).filter((w) => w.substitutions.length === 0).map((w) => w.text));
    for (const inner of nested) {
      const danger = analyse(inner, cwd, home, dir, depth + 1);
      if (danger) return danger;
    }
    if (view) {
      for (const rule of ALL_RULES) if (rule.command?.(view)) return found(rule);
      if (view.name === 'cd' || view.name === 'pushd') dir = changeDirectory(view);
      pipeline.push(view);
    }
    if (command.next !== '|' && command.next !== '|&') {
      for (const rule of ALL_RULES) if (rule.pipeline?.(pipeline)) return found(rule);
      pipeline = [];
    }
  }
  return undefined;
}

function protectedFolders(home: string): Set<string> {
  return new Set([
    '/', home, '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/opt', '/proc', '/root', '/sbin',
    '/srv', '/sys', '/usr', '/var', '/Applications', '/Library', '/System', '/Users', '/Volumes', '/private',
  ]);
}

/**
 * Would acting recursively on this operand reach outside the working folder? Unknown values
 * ($VAR, ~user) count as outside; a glob is judged by the folder it expands in, a brace
 * expansion by each of its words, a symlink by where it leads. The working folder itself is
 * risky to delete (`folderItselfRisky`), fine to search or chmod.
 */
function riskyTarget(word: Word, view: CommandView, folderItselfRisky = true): boolean {
  const expanded = expandBraces(word.text);
  // more words than anyone would type by hand: treat as hiding its targets
  if (expanded === undefined) return true;
  return expanded.some((text) => riskyPath({ ...word, text }, view, folderItselfRisky));
}

function riskyPath(word: Word, view: CommandView, folderItselfRisky: boolean): boolean {
  const globAt = word.text.search(/[*?[]/);
  const staticPart = globAt >= 0 ? word.text.slice(0, globAt).replace(/[^/]*$/, '') : word.text;
  const resolved = staticPath({ ...word, text: staticPart === '' ? '.' : staticPart }, view);
  if (resolved === undefined) return true;
  // rm removes a link itself, not what it points at, unless the path ends in / (or /.);
  // chmod and find act on the target
  const followFinal = !folderItselfRisky || globAt >= 0 || /\/\.?$/.test(staticPart);
  const real = kernelPath(resolved, followFinal);
  if (real === undefined) return true;
  const protectedOnes = protectedFolders(view.home);
  if (!isWithin(view.cwd, real) || protectedOnes.has(resolved) || protectedOnes.has(real)) return true;
  // a glob expands to entries below its folder, never the folder itself
  return folderItselfRisky && globAt < 0 && real === view.cwd;
}
