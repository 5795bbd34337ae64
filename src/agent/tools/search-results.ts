// Collects search_files matches under the caps both search engines share, so ripgrep and the
// JavaScript fallback give the model the same shape: `path:line:text`, one match a line.

export const SEARCH_MAX_MATCHES = 500;
export const SEARCH_MAX_BYTES = 64 * 1024;
export const SEARCH_MAX_LINE_CHARS = 500;

export class SearchResults {
  readonly lines: string[] = [];
  private bytes = 0;
  capped = false;

  /** Adds one match line; false once the caps are reached (stop searching). */
  add(line: string): boolean {
    if (this.capped) return false;
    const size = Buffer.byteLength(line) + 1;
    if (this.lines.length >= SEARCH_MAX_MATCHES || this.bytes + size > SEARCH_MAX_BYTES) {
      this.capped = true;
      return false;
    }
    this.lines.push(line);
    this.bytes += size;
    return true;
  }

  render(pattern: string, where: string): string {
    if (this.lines.length === 0) return `no matches for /${pattern}/ in ${where}`;
    const out = this.lines.join('\n');
    if (!this.capped) return out;
    return `${out}\n[results capped at ${this.lines.length} matches (limit ${SEARCH_MAX_MATCHES} matches / ${SEARCH_MAX_BYTES / 1024} KB); narrow the pattern, path or glob]`;
  }
}

/** A matched line as shown: without its line ending, cut when very long. */
export function matchText(line: string): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  return text.length > SEARCH_MAX_LINE_CHARS ? `${text.slice(0, SEARCH_MAX_LINE_CHARS)} [… line cut]` : text;
}
