// Commands the dangerous-command check cannot see through count as dangerous themselves:
// otherwise `x=rm; $x -rf /` or `echo cm0gLXJmIC8= | base64 -d | bash` would pass under --yolo.
// This is not a sandbox (a script file, a program, a heredoc can still do anything); it closes
// the one-line ways around the list. Script words the checker can read (bash -c 'literal',
// eval 'literal', bash -c "rm $DIR") are checked recursively in dangerous-commands.ts instead.

import { hasFlag, innerScripts, INTERPRETERS, readsProgramFromStdin, SHELLS, type CommandView, type Rule } from './command-view.js';
import type { Word } from './shell-words.js';

/** Programs that change or remove what they are given: under xargs their targets are unknown. */
const DESTRUCTIVE = new Set(['rm', 'shred', 'unlink', 'rmdir', 'dd', 'truncate', 'mv', 'wipefs', 'srm']);

/**
 * Inline code that deletes, moves or changes permissions of files, runs other programs, or
 * decodes/evaluates more code. By interpreter family, so `print(x.replace(…))` in Python or a
 * template literal in JavaScript does not count.
 */
const DESTRUCTIVE_CODE: Record<string, RegExp> = {
  python:
    /\bshutil\.(?:rmtree|move|chown)|\bos\.(?:remove|unlink|rmdir|removedirs|rename|renames|replace|system|popen|exec\w*|spawn\w*|kill|killpg|truncate|chmod|chown|posix_spawn\w*)\b|\bsubprocess\b|\bpty\.spawn|__import__|\b(?:exec|eval|compile)\s*\(|\bb(?:64|32|16|85)decode|\bcodecs\.decode|\.(?:unlink|rmdir|rename|chmod|write_text|write_bytes)\s*\(|\bfrom\s+(?:os|shutil|subprocess)\s+import\b/,
  node: /\bchild_process\b|\b(?:rm|rmdir|unlink|rename|truncate|chmod|chown|lchown|writeFile|copyFile|cp)(?:Sync)?\s*\(|\b(?:exec|execFile|spawn|fork)(?:Sync)?\s*\(|\beval\s*\(|\bFunction\s*\(|\batob\s*\(|['"]base64['"]|\bfromCharCode\b|\bDeno\.(?:remove|run|Command|writeFile|writeTextFile|rename|chmod)\b|\bBun\.(?:spawn|write|\$)|\bprocess\.binding\b|\brequire\s*\(\s*[^'"\s]|\bimport\s*\(\s*[^'"\s]/,
  perl: /\b(?:unlink|rmdir|rmtree|remove_tree|rename|truncate|chmod|chown|system|exec|qx|eval|fork|kill|syscall)\b|`|\bdecode_base64\b|\bopen\s*\(?[^;]*['"]\s*[|+>]/,
  ruby: /\bFileUtils\b|\bFile\.(?:delete|unlink|rename|chmod|chown|truncate|write)\b|\bDir\.(?:delete|rmdir|unlink)\b|\b(?:system|exec|spawn|fork|eval|instance_eval|syscall)\b|\bIO\.popen\b|\bOpen3\b|\bKernel\b|`|%x|\bBase64\b|\.unpack1?\s*\(/,
  php: /\b(?:unlink|rmdir|rename|chmod|chown|system|exec|shell_exec|passthru|proc_open|popen|pcntl_exec|eval|assert|base64_decode|file_put_contents|create_function)\b|`/,
};

function codeFamily(name: string): string {
  if (name.startsWith('python')) return 'python';
  if (name === 'deno' || name === 'bun') return 'node';
  return name;
}

/** The inline program of `python -c CODE`, `node -e CODE`, `perl -ne CODE`, `php -r CODE`, `deno eval CODE`. */
function inlineCode(view: CommandView): Word | undefined {
  const args = view.args;
  if ((view.name === 'deno' || view.name === 'bun') && args[0]?.text === 'eval') return args[1];
  for (let i = 0; i < args.length; i++) {
    const text = args[i]!.text;
    if (/^--(?:eval|print|command)=/.test(text)) return { ...args[i]!, text: text.slice(text.indexOf('=') + 1) };
    if (/^-[a-zA-Z]*[ceEpr]$/.test(text) || ['--eval', '--print', '--command'].includes(text)) return args[i + 1];
    if (!text.startsWith('-')) return undefined; // the script's name: what follows is its arguments
  }
  return undefined;
}

export const HIDDEN_COMMAND_RULES: readonly Rule[] = [
  {
    id: 'computed-command',
    description: 'runs a command whose name is computed ($VAR, $(…), $IFS), which the checker cannot see through',
    command: (v) => v.computedName,
    // rm$IFS-rf$IFS/ is one word to a parser and three to bash
    script: (text) => /\$\{?IFS(?![A-Za-z0-9_])/.test(text),
  },
  {
    id: 'opaque-shell-code',
    description: 'runs shell code the checker cannot read (eval or sh -c of a computed string, or a pipe into a shell)',
    command: (v) => {
      if (innerScripts(v).some((w) => w.substitutions.length > 0)) return true;
      // source <(…), . <(…)
      if ((v.name === 'source' || v.name === '.') && v.args.some((w) => w.substitutions.length > 0)) return true;
      // bash < <(…), python3 < "$FILE"
      const runsStdin = SHELLS.has(v.name) || INTERPRETERS.has(v.name);
      return runsStdin && readsProgramFromStdin(v) && v.command.redirects.some((r) => (r.op === '<' || r.op === '<&') && r.target.dynamic);
    },
    pipeline: (views) => views.slice(1).some(readsProgramFromStdin),
  },
  {
    id: 'destructive-inline-code',
    description: 'runs inline interpreter code that deletes, moves or changes files, or starts other programs',
    command: (v) => {
      if (!INTERPRETERS.has(v.name)) return false;
      const code = inlineCode(v) ?? (readsProgramFromStdin(v) ? v.command.redirects.find((r) => r.op === '<<<')?.target : undefined);
      if (!code) return false;
      return code.substitutions.length > 0 || (DESTRUCTIVE_CODE[codeFamily(v.name)]?.test(code.text) ?? true);
    },
  },
  {
    id: 'xargs-destructive',
    description: 'hands its input to a command that deletes or changes files (or to a shell) through xargs, so the targets cannot be checked',
    command: (v) => {
      if (!v.viaXargs) return false;
      if (DESTRUCTIVE.has(v.name) || SHELLS.has(v.name) || INTERPRETERS.has(v.name)) return true;
      if (['chmod', 'chown', 'chgrp'].includes(v.name)) return hasFlag(v.args, 'R', '--recursive');
      return v.name === 'find' && v.args.some((w) => ['-delete', '-exec', '-execdir'].includes(w.text));
    },
  },
];
