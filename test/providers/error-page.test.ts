import { describe, expect, it } from 'vitest';
import { bodyGist, looksLikeHtml } from '../../src/agent/providers/error-page.js';

describe('bodyGist', () => {
  it("takes an HTML page's title, entities decoded and whitespace collapsed", () => {
    expect(bodyGist('<!DOCTYPE html>\n<html><head><title>\n  502 Bad Gateway &amp; more &#8212; x\n</title></head><body>…</body></html>')).toBe(
      '502 Bad Gateway & more — x',
    );
  });

  it('takes the first words of a page without a title, skipping scripts and styles', () => {
    const page = `<html><head><style>p{}</style></head><body><script>var a=1</script><h1>Access denied</h1><p>${'word '.repeat(50)}</p></body></html>`;
    expect(bodyGist(page)).toBe('Access denied word word word word word word word word word word…');
  });

  it('takes the first non-empty line of plain text, capped', () => {
    expect(bodyGist('\n\nupstream connect error\nreset reason: overflow')).toBe('upstream connect error');
    expect(bodyGist('x'.repeat(500))).toHaveLength(160);
  });

  it('tells pages from other text', () => {
    expect(looksLikeHtml('  <!-- proxy --><html>')).toBe(true);
    expect(looksLikeHtml('<HTML><BODY>')).toBe(true);
    expect(looksLikeHtml('error: <html> is not allowed')).toBe(false);
    expect(looksLikeHtml('{"error": "<html>"}')).toBe(false);
  });
});
