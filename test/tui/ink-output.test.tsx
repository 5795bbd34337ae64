// The fast path scripts/build.mjs puts in front of Ink's Output.get must print what Ink prints.
// Every Output.get Ink makes while rendering real trees (the ones hermes draws, and ones it must
// leave to Ink) is run both ways here and compared.

import { Box, Text, renderToString } from 'ink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Output from '../../node_modules/ink/build/output.js';
import { InputBox } from '../../src/components/InputBox.js';
import { InputHistory } from '../../src/tui/input-history.js';
import { fastOutput, type InkOutputOperation } from '../../src/tui/ink-output.js';
import { outputWidth } from '../../src/tui/text-width.js';

// eslint-disable-next-line no-control-regex
const SEQUENCES = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const visible = (text: string) => text.replace(SEQUENCES, '');

interface Call {
  ink: string;
  fast: string | undefined;
}
const calls: Call[] = [];
const original = Output.prototype.get;

beforeAll(() => {
  Output.prototype.get = function get(this: Output) {
    const result = original.call(this);
    const operations = (this as unknown as { operations: InkOutputOperation[] }).operations;
    calls.push({ ink: result.output, fast: fastOutput(operations, this.height)?.output });
    return result;
  };
});
afterAll(() => {
  Output.prototype.get = original;
});

/** The Output.get calls made while rendering `node`. */
function gets(node: React.ReactElement, columns = 60): Call[] {
  calls.length = 0;
  renderToString(node, { columns });
  return calls.splice(0);
}

describe('fastOutput (Ink Output.get without the cell grid)', () => {
  it('prints plain rows exactly as Ink does', () => {
    const results = gets(
      <Box flexDirection="column">
        <Text>Line 12 of the streamed answer, cut here</Text>
        <Text> </Text>
        <Box>
          <Text>› </Text>
          <Text>typed text</Text>
        </Box>
        <Box>
          <Text>left</Text>
          <Box marginLeft={5}>
            <Text>after a gap</Text>
          </Box>
        </Box>
        <Text>{'first\nsecond   \nthird'}</Text>
      </Box>,
    );
    expect(results.length).toBeGreaterThan(0);
    for (const { ink, fast } of results) expect(fast).toBe(ink);
  });

  it('prints styled rows with the same text and columns, every style closed by the row end', () => {
    const results = gets(
      <Box flexDirection="column">
        <Text dimColor>gpt-4.1-mini · openai · 0 in · 0 out</Text>
        <Box>
          <Text color="cyan">› </Text>
          <Text inverse>t</Text>
          <Text dimColor>ype to queue your next message</Text>
        </Box>
        <Text>{'\x1b[1mbold\x1b[22m and \x1b[33mopen'}</Text>
        <Text wrap="truncate-end">{'x'.repeat(80)}</Text>
      </Box>,
    );
    expect(results.length).toBeGreaterThan(0);
    for (const { ink, fast } of results) {
      expect(fast).toBeDefined();
      const fastRows = (fast ?? '').split('\n');
      const inkRows = ink.split('\n');
      expect(fastRows.map(visible)).toEqual(inkRows.map(visible));
      expect(fastRows.map(outputWidth)).toEqual(inkRows.map(outputWidth));
      for (const row of fastRows) if (row.includes('\x1b')) expect(row.endsWith('\x1b[0m')).toBe(true);
    }
  });

  it('prints the input box as Ink does', () => {
    const results = gets(
      <InputBox busy={false} history={new InputHistory(undefined)} onSubmit={() => {}} onInterrupt={() => {}} onExit={() => {}} onRedraw={() => {}} onHint={() => {}} width={60} />,
    );
    expect(results.length).toBeGreaterThan(0);
    for (const { ink, fast } of results) {
      // drawn every frame: it must take the fast path
      expect(fast).toBeDefined();
      expect((fast ?? '').split('\n').map(visible)).toEqual(ink.split('\n').map(visible));
    }
  });

  it('leaves clipped, overlapping and wide side-by-side text to Ink', () => {
    const clipped = gets(
      <Box width={10} overflow="hidden">
        <Box width={30} flexShrink={0}>
          <Text>a row wider than its box</Text>
        </Box>
      </Box>,
    );
    expect(clipped.some((call) => call.fast === undefined)).toBe(true);
    const bordered = gets(
      <Box borderStyle="round" width={20}>
        <Text>inside</Text>
      </Box>,
    );
    for (const { ink, fast } of bordered) if (fast !== undefined) expect(fast.split('\n').map(visible)).toEqual(ink.split('\n').map(visible));
    const wide = gets(
      <Box>
        <Text>東京</Text>
        <Text>after</Text>
      </Box>,
    );
    for (const { ink, fast } of wide) if (fast !== undefined) expect(fast.split('\n').map(visible)).toEqual(ink.split('\n').map(visible));
    const overlap: InkOutputOperation[] = [
      { type: 'write', x: 0, y: 0, text: 'abcdef', transformers: [] },
      { type: 'write', x: 2, y: 0, text: 'XY', transformers: [] },
    ];
    expect(fastOutput(overlap, 1)).toBeUndefined();
  });
});
