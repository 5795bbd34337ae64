import { describe, expect, it } from 'vitest';
import { decodeKeys } from '../../src/tui/keys.js';

const kinds = (data: string) => decodeKeys(data).map((key) => (key.kind === 'ctrl' ? `ctrl-${key.name}` : key.kind));

describe('decodeKeys', () => {
  it('tells Enter from the new-line keys', () => {
    expect(kinds('\r')).toEqual(['enter']);
    expect(kinds('\n')).toEqual(['newline']); // Ctrl+J
    expect(kinds('\x1b\r')).toEqual(['newline']); // Alt+Enter
    expect(kinds('\x1b[13;2u')).toEqual(['newline']); // Shift+Enter, CSI u / kitty
    expect(kinds('\x1b[27;2;13~')).toEqual(['newline']); // Shift+Enter, xterm modifyOtherKeys
    expect(kinds('\x1b[13u')).toEqual(['enter']);
  });

  it('decodes editing and movement keys in their common encodings', () => {
    expect(kinds('\x7f')).toEqual(['backspace']);
    expect(kinds('\x08')).toEqual(['backspace']);
    expect(kinds('\x1b[3~')).toEqual(['delete']);
    expect(kinds('\x1b[A\x1b[B\x1b[C\x1b[D')).toEqual(['up', 'down', 'right', 'left']);
    expect(kinds('\x1bOA')).toEqual(['up']);
    expect(kinds('\x1b[H\x1b[F\x1b[1~\x1b[4~')).toEqual(['home', 'end', 'home', 'end']);
    expect(kinds('\x1b[1;5D\x1b[1;3C')).toEqual(['wordLeft', 'wordRight']);
    expect(kinds('\x17')).toEqual(['deleteWordBack']);
    expect(kinds('\x01\x05\x15\x0b\x03\x04\x0c')).toEqual([
      'ctrl-a',
      'ctrl-e',
      'ctrl-u',
      'ctrl-k',
      'ctrl-c',
      'ctrl-d',
      'ctrl-l',
    ]);
    expect(kinds('\t')).toEqual(['tab']);
    expect(kinds('\x1b')).toEqual(['escape']);
    expect(kinds('\x1b[27u')).toEqual(['escape']); // kitty disambiguated Esc
    expect(kinds('\x1b[99;5u')).toEqual(['ctrl-c']); // kitty Ctrl+C
  });

  it('passes typed text through whole and never as control characters', () => {
    expect(decodeKeys('héllo 😀')).toEqual([{ kind: 'text', text: 'héllo 😀' }]);
    expect(decodeKeys('ab\x7fc')).toEqual([{ kind: 'text', text: 'ab' }, { kind: 'backspace' }, { kind: 'text', text: 'c' }]);
    // F-keys, focus reports, unbound Alt+keys and stray controls produce nothing at all.
    expect(decodeKeys('\x1b[15~\x1b[I\x1bx\x00\x1c')).toEqual([]);
    expect(decodeKeys('\x1b[97;1:3u')).toEqual([]); // kitty key release
  });

  it('treats several lines in one read as a paste, but text then Enter as a submit', () => {
    expect(decodeKeys('line one\rline two\r')).toEqual([{ kind: 'paste', text: 'line one\rline two\r' }]);
    expect(decodeKeys('first\nsecond')).toEqual([{ kind: 'paste', text: 'first\nsecond' }]);
    expect(kinds('hello\r')).toEqual(['text', 'enter']);
  });
});
