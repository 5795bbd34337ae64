// Just enough of bash's grammar to inspect a command line for danger: words with quotes
// removed, operators, redirections, and the scripts inside $(…), `…` and <(…). It never runs
// or expands anything; what it cannot know (a variable's value) it marks as dynamic.

export interface Word {
  /** The word with quotes and escapes removed; expansions are left as written. */
  text: string;
  /** Holds an expansion ($VAR, $(…), `…`) whose value is unknown here. */
  dynamic: boolean;
  /** Scripts of the command and process substitutions inside the word. */
  substitutions: string[];
}

export interface Redirect {
  /** '>', '>>', '>|', '&>', '&>>', '<', '<<', '<<<', '>&', '<&' */
  op: string;
  target: Word;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  /** The operator that ended this command: '|', '&&', ';', … ('' at the end). */
  next: string;
}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string } | { kind: 'redirect'; op: string };

const CONTROL_OPS = ['&&', '||', ';;', '|&', '|', '&', ';', '(', ')'];
const REDIRECT_OPS = ['&>>', '&>', '>>', '>|', '>&', '<<<', '<<', '<&', '<>', '>', '<'];

/** Splits a script into simple commands (pipelines and lists flattened, in order). */
export function parseShell(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirects: [], next: '' };
  let pendingRedirect: string | undefined;
  const close = (op: string): void => {
    if (current.words.length > 0 || current.redirects.length > 0) {
      current.next = op;
      commands.push(current);
    }
    current = { words: [], redirects: [], next: '' };
  };
  for (const token of tokenize(script)) {
    if (token.kind === 'redirect') {
      pendingRedirect = token.op;
    } else if (token.kind === 'word') {
      if (pendingRedirect) {
        current.redirects.push({ op: pendingRedirect, target: token.word });
        pendingRedirect = undefined;
      } else {
        current.words.push(token.word);
      }
    } else {
      pendingRedirect = undefined;
      close(token.op);
    }
  }
  close('');
  return commands;
}

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word: Word | undefined;
  const ensureWord = (): Word => (word ??= { text: '', dynamic: false, substitutions: [] });
  const endWord = (): void => {
    if (word) tokens.push({ kind: 'word', word });
    word = undefined;
  };

  while (i < script.length) {
    const ch = script[i]!;
    if (ch === ' ' || ch === '\t') {
      endWord();
      i++;
      continue;
    }
    if (ch === '\n') {
      endWord();
      tokens.push({ kind: 'op', op: ';' });
      i++;
      continue;
    }
    if (ch === '#' && !word) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (ch === '\\') {
      if (script[i + 1] === '\n') {
        i += 2; // line continuation
        continue;
      }
      ensureWord().text += script[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      ensureWord().text += script.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (ch === '"') {
      const w = ensureWord();
      i++;
      while (i < script.length && script[i] !== '"') {
        const c = script[i]!;
        if (c === '\\' && i + 1 < script.length && '"\\$`\n'.includes(script[i + 1]!)) {
          if (script[i + 1] !== '\n') w.text += script[i + 1];
          i += 2;
        } else if (c === '$' || c === '`') {
          i = readExpansion(script, i, w);
        } else {
          w.text += c;
          i++;
        }
      }
      i++;
      continue;
    }
    if (ch === '$' || ch === '`') {
      i = readExpansion(script, i, ensureWord());
      continue;
    }
    // <(…) and >(…): process substitution, a word of its own
    if ((ch === '<' || ch === '>') && script[i + 1] === '(') {
      const end = matchingParen(script, i + 1);
      const w = ensureWord();
      w.text += script.slice(i, end + 1);
      w.dynamic = true;
      w.substitutions.push(script.slice(i + 2, end));
      i = end + 1;
      continue;
    }
    const redirect = REDIRECT_OPS.find((op) => script.startsWith(op, i));
    if (redirect) {
      // `2>` and `>&2`: a file descriptor number belongs to the redirection, not to a word
      if (word && /^\d+$/.test(word.text) && !word.dynamic) word = undefined;
      endWord();
      tokens.push({ kind: 'redirect', op: redirect });
      i += redirect.length;
      continue;
    }
    const op = CONTROL_OPS.find((o) => script.startsWith(o, i));
    if (op) {
      endWord();
      tokens.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    ensureWord().text += ch;
    i++;
  }
  endWord();
  return tokens;
}

/** Reads $VAR, ${…}, $(…), $((…)) or `…` at i into the word; returns the index after it. */
function readExpansion(script: string, i: number, word: Word): number {
  const ch = script[i]!;
  if (ch === '`') {
    let end = i + 1;
    while (end < script.length && script[end] !== '`') end += script[end] === '\\' ? 2 : 1;
    word.text += script.slice(i, end + 1);
    word.dynamic = true;
    word.substitutions.push(script.slice(i + 1, end).replace(/\\(.)/g, '$1'));
    return end + 1;
  }
  const next = script[i + 1];
  if (next === '(') {
    const end = matchingParen(script, i + 1);
    word.text += script.slice(i, end + 1);
    word.dynamic = true;
    // $((…)) is arithmetic, not a command
    if (script[i + 2] !== '(') word.substitutions.push(script.slice(i + 2, end));
    return end + 1;
  }
  if (next === '{') {
    const end = script.indexOf('}', i + 2);
    const stop = end < 0 ? script.length - 1 : end;
    word.text += script.slice(i, stop + 1);
    word.dynamic = true;
    return stop + 1;
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(script.slice(i + 1));
  if (!name) {
    word.text += '$';
    return i + 1;
  }
  word.text += `$${name[0]}`;
  word.dynamic = true;
  return i + 1 + name[0].length;
}

/** The index of the ')' closing the '(' at `open`, skipping quotes (or the end of the script). */
function matchingParen(script: string, open: number): number {
  let depth = 0;
  for (let i = open; i < script.length; i++) {
    const c = script[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      i = end < 0 ? script.length : end;
    } else if (c === '"') {
      i++;
      while (i < script.length && script[i] !== '"') i += script[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return script.length;
}

/**
 * The words bash's brace expansion makes of `text` ({a,b}, {1..3}, nested), or undefined when
 * there would be more than `limit`. `${…}` is a parameter, not a brace expansion.
 */
export function expandBraces(text: string, limit = 64): string[] | undefined {
  const words: string[] = [];
  const pending = [text];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const group = firstBraceGroup(current, limit);
    if (!group) {
      words.push(current);
      if (words.length > limit) return undefined;
      continue;
    }
    for (const alternative of group.alternatives) pending.push(current.slice(0, group.start) + alternative + current.slice(group.end + 1));
    if (pending.length + words.length > limit) return undefined;
  }
  return words;
}

function firstBraceGroup(text: string, limit: number): { start: number; end: number; alternatives: string[] } | undefined {
  for (let open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
    if (text[open - 1] === '$') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === '{') depth++;
      else if (c === ',' && depth === 1) commas.push(i);
      else if (c === '}' && --depth === 0) {
        if (commas.length > 0) {
          const cuts = [open, ...commas, i];
          return { start: open, end: i, alternatives: cuts.slice(1).map((cut, k) => text.slice(cuts[k]! + 1, cut)) };
        }
        const range = sequence(text.slice(open + 1, i), limit);
        if (range) return { start: open, end: i, alternatives: range };
        break; // `{x}` is literal: look for the next one
      }
    }
  }
  return undefined;
}

/** {1..5}, {a..e}: at most limit + 1 values (enough to tell the caller it is too many). */
function sequence(inner: string, limit: number): string[] | undefined {
  const match = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.-?\d+)?$/.exec(inner);
  if (!match) return undefined;
  const numeric = /\d/.test(match[1]!);
  if (numeric !== /\d/.test(match[2]!)) return undefined;
  const from = numeric ? Number(match[1]) : match[1]!.charCodeAt(0);
  const to = numeric ? Number(match[2]) : match[2]!.charCodeAt(0);
  const step = from <= to ? 1 : -1;
  const values: string[] = [];
  for (let v = from; values.length <= limit; v += step) {
    values.push(numeric ? String(v) : String.fromCharCode(v));
    if (v === to) break;
  }
  return values;
}
