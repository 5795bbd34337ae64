// One readable line for a body that no API sends: a proxy's HTML error page, a captive portal,
// a plain-text error. The page's <title> (or its first words) says what happened; the rest of
// its kilobytes of markup say nothing a user can use.

const MAX_WORDS = 12;
const MAX_CHARS = 160;

export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|\?xml)\b/i.test(text);
}

/** The gist of a body: an HTML page's title or first words, else its first non-empty line. */
export function bodyGist(text: string): string {
  if (looksLikeHtml(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    const gist = title !== undefined ? collapse(decodeEntities(title)) : '';
    if (gist !== '') return cap(gist);
    return cap(firstWords(pageText(text)));
  }
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return cap(collapse(line));
}

/** The visible words of a page: scripts, styles and tags removed. */
function pageText(html: string): string {
  const body = html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ');
  return collapse(decodeEntities(body));
}

function firstWords(text: string): string {
  const words = text.split(' ').filter(Boolean);
  return words.slice(0, MAX_WORDS).join(' ') + (words.length > MAX_WORDS ? '…' : '');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cap(text: string): string {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
