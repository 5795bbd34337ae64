import { describe, expect, it } from 'vitest';
import { FenceTracker } from '../../src/stream/markdown-split.js';

function feedAll(lines: readonly string[]): boolean[] {
  const t = new FenceTracker();
  return lines.map((l) => t.feed(l).inFence);
}

describe('FenceTracker', () => {
  it('reports a backtick block opening, its code lines and its closing', () => {
    const t = new FenceTracker();
    expect(t.feed('Here is code:')).toEqual({ inFence: false });
    expect(t.feed('```ts')).toEqual({ inFence: true, opening: { fence: '```', lang: 'ts', info: 'ts', indent: 0 } });
    expect(t.feed('# not a heading')).toEqual({ inFence: true });
    expect(t.feed('```')).toEqual({ inFence: false, closing: true });
    expect(t.feed('prose again')).toEqual({ inFence: false });
    expect(t.inFence).toBe(false);
  });

  it('supports tilde fences and takes the first word of the info string as the language', () => {
    const t = new FenceTracker();
    expect(t.feed('~~~~ python title="x.py"').opening).toEqual({
      fence: '~~~~',
      lang: 'python',
      info: 'python title="x.py"',
      indent: 0,
    });
    expect(t.feed('~~~ ').closing).toBeUndefined(); // shorter than the opening
    expect(t.feed('```').closing).toBeUndefined(); // other character
    expect(t.feed('~~~~~  ')).toEqual({ inFence: false, closing: true });
  });

  it('gives an empty language to a bare fence', () => {
    expect(new FenceTracker().feed('```').opening).toEqual({ fence: '```', lang: '', info: '', indent: 0 });
  });

  it('needs a closing fence at least as long as the opening one', () => {
    expect(feedAll(['````md', '```', 'still code', '````'])).toEqual([true, true, true, false]);
  });

  it('does not close on a fence line that carries an info string', () => {
    expect(feedAll(['```', '```js', '```'])).toEqual([true, true, false]);
  });

  it('allows up to 3 spaces of indentation on opening and closing fences', () => {
    const t = new FenceTracker();
    expect(t.feed('   ```sh').opening).toEqual({ fence: '```', lang: 'sh', info: 'sh', indent: 3 });
    expect(t.feed('    ```').closing).toBeUndefined();
    expect(t.feed('  ```').closing).toBe(true);
    expect(feedAll(['    ```', 'text'])).toEqual([false, false]);
    expect(feedAll(['\t```', 'text'])).toEqual([false, false]);
  });

  it('does not open on fewer than 3 fence characters or on inline code', () => {
    expect(feedAll(['``', '~~', '``` inline ``` code', 'text'])).toEqual([false, false, false, false]);
  });

  it('allows backticks in the info string of a tilde fence', () => {
    expect(new FenceTracker().feed('~~~ a`b').opening?.lang).toBe('a`b');
  });

  it('forgets an unclosed block on reset', () => {
    const t = new FenceTracker();
    t.feed('```');
    expect(t.inFence).toBe(true);
    t.reset();
    expect(t.inFence).toBe(false);
    expect(t.feed('plain')).toEqual({ inFence: false });
  });
});
