// Text that fits the terminal, in a real one (tmux, 40 columns): a streamed answer with a table
// wider than the screen, a long code line and a long list item comes out with every row inside
// the width (nothing the terminal had to wrap through a border or a frame), and the terminal's
// own cursor sits on the prompt's cursor block, where an input method composes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback, type LoopbackServer } from '../support/loopback.js';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { TmuxServer, hasTmux, sleep } from './tmux.js';

const terminals = new TmuxServer('fit');
const servers: LoopbackServer[] = [];
const COLUMNS = 40;

const ANSWER = [
  'Here is the plan:',
  '',
  '| Step | Owner | What happens |',
  '|------|-------|--------------|',
  '| 1 | Alice | The renderer commits finished lines to the scrollback |',
  '| 2 | Bob | Review |',
  '',
  '```js',
  'const veryLongVariableName = someFunction(argumentNumberOne, argumentNumberTwo);',
  '```',
  '',
  '- a list item that is long enough to wrap around the terminal at forty columns',
  '',
  'The end.',
].join('\n');

/** The answer in small pieces, as a model streams it. */
const TOKENS = ANSWER.match(/[\s\S]{1,4}/g) ?? [];

/** The terminal's cursor (column,row,shown) once it is `expected`, or as it is after a while. */
async function cursorAt(expected: string | ((cursor: string) => boolean)): Promise<string> {
  const done = typeof expected === 'string' ? (cursor: string) => cursor === expected : expected;
  let cursor = '';
  for (let tries = 0; tries < 200 && !done(cursor); tries++) {
    if (tries > 0) await sleep(30);
    cursor = (await terminals.tmux('display', '-p', '-t', 'fit', '#{cursor_x},#{cursor_y},#{cursor_flag}')).stdout.trim();
  }
  return cursor;
}

describe.skipIf(!hasTmux)('text that fits a 40-column terminal (tmux)', () => {
  beforeAll(() => TmuxServer.requireBuild());

  afterAll(async () => {
    await terminals.stop();
    for (const server of servers) await server.close();
  });

  it('streams a wide table, a long code line and a long list item inside the width, and parks the cursor on the block', async () => {
    const server = await startLoopback([{ kind: 'stream', chunks: chatTextFrames(TOKENS), delayMs: 5 }]);
    servers.push(server);
    const hermes = await terminals.start('fit', { baseURL: server.baseURL, columns: COLUMNS, rows: 30 });
    await hermes.waitForScreen((s) => s.includes('ask anything'), 'the prompt');
    await hermes.type('show me');
    await hermes.key('Enter');
    await hermes.waitForScreen((s) => s.includes('The end.'), 'the answer');

    // the rows as the terminal holds them: a row it had to wrap would be cut at 40 columns
    const rows = (await hermes.scrollback()).split('\n');
    const answer = rows.slice(rows.findIndex((row) => row.includes('Here is the plan')));
    const at = (text: string) => answer.findIndex((row) => row.includes(text));
    expect(answer.slice(at('Step'), at('Review') + 1).map((row) => row.trimEnd())).toEqual([
      '  Step │ Owner │ What happens',
      `  ─────┼───────┼${'─'.repeat(23)}`,
      '  1    │ Alice │ The renderer commits',
      '       │       │ finished lines to the',
      '       │       │ scrollback',
      `  ─────┼───────┼${'─'.repeat(23)}`,
      '  2    │ Bob   │ Review',
    ]);
    expect(answer.slice(at('╭─ js'), at('╰─') + 1).map((row) => row.trimEnd())).toEqual([
      '  ╭─ js',
      '  │ const veryLongVariableName = someFu',
      '  │ ↪ nction(argumentNumberOne, argumen',
      '  │ ↪ tNumberTwo);',
      '  ╰─',
    ]);
    expect(answer.slice(at('• a list item'), at('• a list item') + 3).map((row) => row.trimEnd())).toEqual([
      '• a list item that is long enough to',
      '  wrap around the terminal at forty',
      '  columns',
    ]);
    // each line once: committed as it finished, never drawn twice into the scrollback
    expect(answer.filter((row) => row.includes('The renderer commits'))).toHaveLength(1);
    expect(answer.filter((row) => row.includes('↪ tNumberTwo);'))).toHaveLength(1);

    // the prompt wraps between words; the terminal's cursor is on the block after the text
    await hermes.type('please explain the streaming renderer in detail');
    const screen = await hermes.waitForScreen((s) => s.includes('in detail'), 'the typed prompt');
    const lines = screen.split('\n');
    const first = lines.findIndex((row) => row.startsWith('› please'));
    expect(lines.slice(first, first + 2).map((row) => row.trimEnd())).toEqual(['› please explain the streaming renderer', '  in detail']);
    expect(await cursorAt(`${'  in detail'.length},${first + 1},1`)).toBe(`${'  in detail'.length},${first + 1},1`);
    // moving the cursor moves the terminal's with it
    for (let i = 0; i < 6; i++) await hermes.key('Left');
    expect(await cursorAt(`5,${first + 1},1`)).toBe(`5,${first + 1},1`);
    // Ctrl+E, Ctrl+U, then Ctrl+D: the chat ends with the cursor back under what it drew, shown
    await hermes.key('C-e');
    await hermes.key('C-u');
    await hermes.waitForScreen((s) => !s.includes('please explain'), 'the prompt cleared');
    await hermes.key('C-d');
    expect(await hermes.exitCode()).toBe('0');
    const [x, y, shown] = (await cursorAt((cursor) => cursor.startsWith('0,'))).split(',').map(Number);
    expect([x, shown]).toEqual([0, 1]);
    expect(y).toBeGreaterThan(first);
  });
});
