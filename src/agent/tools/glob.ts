// A small glob matcher (Node 20 has no fs.glob): ** (any number of folders), * and ? (within
// one path segment), [abc] / [!a-z] classes and {a,b} alternatives, nested. Paths use '/'.

const MAX_EXPANSIONS = 256;

/** Expands {a,b} alternatives: 'src/*.{ts,tsx}' -> ['src/*.ts', 'src/*.tsx']. */
export function expandBraces(pattern: string): string[] {
  const open = findBraceGroup(pattern);
  if (!open) return [pattern];
  const { start, end, alternatives } = open;
  const out: string[] = [];
  for (const alternative of alternatives) {
    for (const expanded of expandBraces(pattern.slice(0, start) + alternative + pattern.slice(end + 1))) {
      out.push(expanded);
      if (out.length >= MAX_EXPANSIONS) return out;
    }
  }
  return out;
}

/** The first {…} holding a top-level comma, with its alternatives. */
function findBraceGroup(pattern: string): { start: number; end: number; alternatives: string[] } | undefined {
  for (let start = 0; start < pattern.length; start++) {
    const ch = pattern[start];
    if (ch === '\\') {
      start++;
      continue;
    }
    if (ch !== '{') continue;
    let depth = 0;
    let pieceStart = start + 1;
    const alternatives: string[] = [];
    for (let i = start; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          alternatives.push(pattern.slice(pieceStart, i));
          if (alternatives.length > 1) return { start, end: i, alternatives };
          break; // {x} without a comma is literal
        }
      } else if (c === ',' && depth === 1) {
        alternatives.push(pattern.slice(pieceStart, i));
        pieceStart = i + 1;
      }
    }
  }
  return undefined;
}

/** A regular expression source for one brace-free pattern, matching a whole '/'-separated path. */
function patternSource(pattern: string): string {
  let out = '';
  const segments = pattern.split('/');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      // zero or more whole segments
      out += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    out += segmentSource(segment) + (last ? '' : '/');
  });
  return out;
}

function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '\\' && i + 1 < segment.length) {
      out += escapeRegExp(segment[++i]!);
    } else if (ch === '*') {
      while (segment[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else {
      out += escapeRegExp(ch);
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A matcher for a glob against a relative '/'-separated path. */
export function globToRegExp(pattern: string): RegExp {
  const sources = expandBraces(pattern).map(patternSource);
  return new RegExp(`^(?:${sources.join('|')})$`);
}

export interface PathMatcher {
  (relativePath: string): boolean;
}

/**
 * The rule find_files and search_files' glob use: a pattern without '/' matches a name at any
 * depth ('*.ts' finds every TypeScript file), one with '/' matches the path from the root.
 */
export function pathMatcher(pattern: string): PathMatcher {
  const alternatives = expandBraces(pattern.replace(/^\.\//, ''));
  const tests = alternatives.map((alternative) => {
    const anchored = alternative.includes('/');
    const regexp = globToRegExp(alternative.replace(/^\//, ''));
    return anchored
      ? (rel: string) => regexp.test(rel)
      : (rel: string) => regexp.test(rel.slice(rel.lastIndexOf('/') + 1));
  });
  return (rel) => tests.some((test) => test(rel));
}
