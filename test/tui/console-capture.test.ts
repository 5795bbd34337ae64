// console.* while the TUI runs: lines for the transcript, in order, without secrets; console is
// put back afterwards.

import { describe, expect, it } from 'vitest';
import { captureConsole } from '../../src/tui/console-capture.js';

describe('captureConsole', () => {
  it('turns console output into lines, keeps what comes before anyone listens, and takes secrets out', () => {
    const original = console.warn;
    const capture = captureConsole(['sk-secret-0123456789']);
    try {
      console.warn('deprecated: %s', 'old-model');
      console.log('request with key sk-secret-0123456789 failed\n');
      const lines: string[] = [];
      const stop = capture.listen((text) => lines.push(text));
      console.error({ status: 500 });
      expect(lines).toEqual(['deprecated: old-model', 'request with key [redacted] failed', '{ status: 500 }']);
      stop();
      console.info('later');
      const again: string[] = [];
      capture.listen((text) => again.push(text));
      expect(again).toEqual(['later']);
    } finally {
      capture.restore();
    }
    expect(console.warn).toBe(original);
  });
});
