// A small line diff (Myers) rendered as a unified diff: what edit_file returns and what the
// approval prompt shows before a write. Large rewrites degrade to "all old out, all new in"
// instead of burning time on a minimal script nobody will read.

const NO_EOL = '\u0000\u{10FFFF}no-eol';
/** Beyond this many differing lines the minimal script is not worth computing. */
const MAX_EDIT_DISTANCE = 1000;

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
}

export interface DiffOptions {
  /** Shown in the ---/+++ header (a/path, b/path). */
  path: string;
  /** The file does not exist yet: the old side is /dev/null. */
  created?: boolean;
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
  /** Cut the body after this many lines and say how many were left out. */
  maxLines?: number;
}

/** The unified diff from oldText to newText, or '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: DiffOptions): string {
  if (oldText === newText) return '';
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const body = renderHunks(ops, options.context ?? 3);
  const header = [options.created ? '--- /dev/null' : `--- a/${options.path}`, `+++ b/${options.path}`];
  const max = options.maxLines;
  if (max !== undefined && body.length > max) {
    const left = body.length - max;
    return [...header, ...body.slice(0, max), `… ${left} more diff line${left === 1 ? '' : 's'}`].join('\n');
  }
  return [...header, ...body].join('\n');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL; // a last line without newline differs from one with
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle = myers(midA, midB) ?? [
    ...midA.map((text): Op => ({ kind: '-', text })),
    ...midB.map((text): Op => ({ kind: '+', text })),
  ];
  return [
    ...a.slice(0, start).map((text): Op => ({ kind: ' ', text })),
    ...middle,
    ...a.slice(endA).map((text): Op => ({ kind: ' ', text })),
  ];
}

/** Myers' O((N+M)D) shortest edit script, or undefined when D exceeds the limit. */
function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  if (max === 0) return [];
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // Each step's frontier (k in [-d, d]) is kept to walk the path back afterwards.
  const snapshots: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) found = d;
      if (found >= 0) break;
    }
    snapshots.push(v.slice(offset - d, offset + d + 1));
    if (found >= 0) break;
  }
  if (found < 0) return undefined;

  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const k = x - y;
    let prevX = 0;
    let prevY = 0;
    if (d > 0) {
      const prev = snapshots[d - 1]!;
      const at = (kk: number): number => prev[kk + d - 1]!;
      const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
      const prevK = down ? k + 1 : k - 1;
      prevX = at(prevK);
      prevY = prevX - prevK;
    }
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', text: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', text: b[y - 1]! });
      else ops.push({ kind: '-', text: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

function renderHunks(ops: Op[], context: number): string[] {
  // Line numbers before each op, on each side.
  const oldBefore: number[] = [];
  const newBefore: number[] = [];
  let o = 0;
  let nn = 0;
  for (const op of ops) {
    oldBefore.push(o);
    newBefore.push(nn);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') nn++;
  }
  oldBefore.push(o);
  newBefore.push(nn);

  const changes = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  const out: string[] = [];
  let i = 0;
  while (i < changes.length) {
    let last = changes[i]!;
    let j = i + 1;
    while (j < changes.length && changes[j]! - last <= 2 * context + 1) last = changes[j++]!;
    const from = Math.max(0, changes[i]! - context);
    const to = Math.min(ops.length, last + 1 + context);
    const oldCount = oldBefore[to]! - oldBefore[from]!;
    const newCount = newBefore[to]! - newBefore[from]!;
    out.push(`@@ -${range(oldBefore[from]!, oldCount)} +${range(newBefore[from]!, newCount)} @@`);
    for (const op of ops.slice(from, to)) {
      if (op.text.endsWith(NO_EOL)) out.push(op.kind + op.text.slice(0, -NO_EOL.length), '\\ No newline at end of file');
      else out.push(op.kind + op.text);
    }
    i = j;
  }
  return out;
}

function range(before: number, count: number): string {
  if (count === 0) return `${before},0`;
  return count === 1 ? `${before + 1}` : `${before + 1},${count}`;
}
