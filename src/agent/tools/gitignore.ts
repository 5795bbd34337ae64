// .gitignore rules for the JavaScript search fallback, close enough to git (and ripgrep) for
// the common cases: comments, negation, trailing '/' for folders, anchored patterns, **, and
// nested .gitignore files applying below their own folder. Last matching rule wins.

import fs from 'node:fs/promises';
import path from 'node:path';
import { globToRegExp } from './glob.js';

interface Rule {
  /** The folder whose .gitignore holds the rule (absolute). */
  base: string;
  negate: boolean;
  directoryOnly: boolean;
  /** Matched against the path relative to base (anchored) or against the name (not). */
  anchored: boolean;
  regexp: RegExp;
}

export function parseGitignore(base: string, text: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, '');
    if (line === '') continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    let directoryOnly = false;
    if (line.endsWith('/')) {
      directoryOnly = true;
      line = line.replace(/\/+$/, '');
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    try {
      rules.push({ base, negate, directoryOnly, anchored, regexp: globToRegExp(line) });
    } catch {
      // an unparseable line is ignored, as git does
    }
  }
  return rules;
}

export class IgnoreRules {
  private readonly rules: Rule[] = [];

  add(rules: Rule[]): void {
    this.rules.push(...rules);
  }

  /** Reads `dir/.gitignore` when there is one. */
  async load(dir: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
    } catch {
      return;
    }
    this.add(parseGitignore(dir, text));
  }

  /**
   * Loads the .gitignore files of the folders above `root`, up to the repository top (the
   * first folder holding .git), as git applies them to everything below.
   */
  async loadAncestors(root: string): Promise<void> {
    const chain: string[] = [];
    let dir = path.dirname(root);
    let top = await isRepositoryTop(root);
    while (!top && dir !== path.dirname(dir)) {
      chain.push(dir);
      if (await isRepositoryTop(dir)) top = true;
      else dir = path.dirname(dir);
    }
    // Without a repository above, only the root's own rules apply.
    if (!top) return;
    for (const ancestor of chain.reverse()) await this.load(ancestor);
  }

  ignored(absolute: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      const rel = path.relative(rule.base, absolute);
      if (rel === '' || rel.startsWith('..')) continue;
      const subject = rule.anchored ? rel.split(path.sep).join('/') : path.basename(absolute);
      if (rule.regexp.test(subject)) ignored = !rule.negate;
    }
    return ignored;
  }
}

async function isRepositoryTop(dir: string): Promise<boolean> {
  try {
    await fs.stat(path.join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}
