// The one-shot roster on a terminal's stderr: one line per member, redrawn in place, never
// taller than the terminal and never wider than it.

import { describe, expect, it } from 'vitest';
import { CouncilRoster } from '../../src/cli/council-roster.js';
import { OutputWriter } from '../../src/cli/output-writer.js';

function target() {
  const chunks: string[] = [];
  return { chunks, write: (chunk: string) => (chunks.push(chunk), true), on: () => undefined };
}

describe('council roster', () => {
  it('draws one line per member, cut to the width, and redraws over itself', () => {
    const err = target();
    const writer = new OutputWriter(target(), err);
    const roster = new CouncilRoster({ writer, members: ['alpha', 'a-member-with-a-very-long-name-indeed'], columns: () => 30, rows: () => 24, secrets: [] });
    roster.delta('alpha');
    roster.finished('alpha', true, 1234);
    roster.stop();
    writer.flush();
    const frames = err.chunks.join('').split('\u001b[2F');
    expect(frames).toHaveLength(2);
    const last = frames[1]!.split('\n').filter(Boolean).map((line) => line.replace('\u001b[2K', ''));
    expect(last[0]).toBe('alpha  done  1 tokens  1.2 s');
    for (const line of last) expect(line.length).toBeLessThanOrEqual(29);
  });

  it('never draws more lines than the terminal has', () => {
    const err = target();
    const writer = new OutputWriter(target(), err);
    const roster = new CouncilRoster({ writer, members: ['a', 'b', 'c', 'd', 'e'], columns: () => 80, rows: () => 4, secrets: [] });
    roster.stop();
    writer.flush();
    const lines = err.chunks.join('').split('\u001b[3F').at(-1)!.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toContain('… and 3 more members');
  });
});
