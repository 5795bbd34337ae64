import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/agent/tools/approval.js';
import { CHOOSING, promptInput, type BodyView, type PromptAction, type PromptState } from '../../src/tui/approval-keys.js';
import { PasteParser, type PasteSegment } from '../../src/tui/paste.js';

const FITS: BodyView = { total: 3, page: 3 };

/**
 * Feeds terminal reads through the prompt as the component does (through the paste parser; what
 * it holds back is let go at the end, as a lone Esc is); returns the last state and every action, in order.
 */
function feed(reads: string[], kind: ApprovalRequest['kind'] = 'ask', body: BodyView = FITS, start: PromptState = CHOOSING) {
  const parser = new PasteParser();
  let state = start;
  const actions: PromptAction[] = [];
  const take = (segments: PasteSegment[]): void => {
    for (const segment of segments) {
      const out = promptInput(state, segment, kind, body);
      state = out.state;
      actions.push(...out.actions);
    }
  };
  for (const read of reads) take(parser.push(read));
  take(parser.flush());
  return { state, actions };
}

const decided = (decision: string, reason?: string) => ({ kind: 'decide', decision: reason === undefined ? { decision } : { decision, reason } });

describe('approval keys: shortcuts', () => {
  it('y, a and n pressed alone choose once, always, deny (n then asks for a reason)', () => {
    expect(feed(['y']).actions).toEqual([decided('once')]);
    expect(feed(['Y']).actions).toEqual([decided('once')]);
    expect(feed(['a']).actions).toEqual([decided('always')]);
    expect(feed(['n'])).toEqual({ state: { stage: 'reason', text: '', top: 0 }, actions: [] });
  });

  it('a dangerous command offers no "always": a is text for the input box', () => {
    expect(feed(['a'], 'always-ask').actions).toEqual([{ kind: 'aside', text: 'a' }]);
    expect(feed(['y'], 'always-ask').actions).toEqual([decided('once')]);
  });
});

describe('approval keys: text is never an answer', () => {
  it('a bracketed paste of "yellow submarine" goes to the input box, whole, and decides nothing', () => {
    const out = feed(['\x1b[200~yellow submarine\x1b[201~']);
    expect(out.actions).toEqual([{ kind: 'aside', text: 'yellow submarine' }]);
    expect(out.state).toMatchObject({ stage: 'choose', aside: true });
  });

  it('a paste split over several reads, its markers cut in two, is still one piece of text', () => {
    expect(feed(['\x1b[20', '0~y', 'es\x1b[2', '01~']).actions).toEqual([{ kind: 'aside', text: 'yes' }]);
  });

  it('several characters in one read (a word typed ahead, a paste without markers) are text', () => {
    expect(feed(['yes']).actions).toEqual([{ kind: 'aside', text: 'yes' }]);
    expect(feed(['yy']).actions).toEqual([{ kind: 'aside', text: 'yy' }]);
    expect(feed(['n\r']).actions).toEqual([{ kind: 'aside', text: 'n' }]);
    expect(feed(['line one\nline two']).actions).toEqual([{ kind: 'aside', text: 'line one\nline two' }]);
  });

  it('a lone letter that is not a shortcut is text, and after it y and Enter are not answers either', () => {
    const out = feed(['h', 'e', 'y', '\r']);
    expect(out.actions).toEqual([{ kind: 'aside', text: 'h' }, { kind: 'aside', text: 'e' }, { kind: 'aside', text: 'y' }]);
    expect(out.state).toMatchObject({ stage: 'choose', aside: true });
  });

  it('an arrow key after typing aside makes the shortcuts and Enter work again', () => {
    expect(feed(['q', '\x1b[A', 'y']).actions).toEqual([{ kind: 'aside', text: 'q' }, decided('once')]);
    expect(feed(['q', '\x1b[B', '\r']).actions).toEqual([{ kind: 'aside', text: 'q' }, decided('always')]);
  });
});

describe('approval keys: the select list', () => {
  it('Enter confirms the selected choice; ↑/↓ move it and stop at the ends', () => {
    expect(feed(['\r']).actions).toEqual([decided('once')]);
    expect(feed(['\x1b[B', '\r']).actions).toEqual([decided('always')]);
    expect(feed(['\x1b[B', '\x1b[B', '\x1b[B', '\r']).state).toEqual({ stage: 'reason', text: '', top: 0 });
    expect(feed(['\x1b[B', '\x1b[A', '\x1b[A', '\r']).actions).toEqual([decided('once')]);
    // a dangerous command has two choices: once, deny
    expect(feed(['\x1b[B', '\r'], 'always-ask').state).toEqual({ stage: 'reason', text: '', top: 0 });
  });

  it('Enter in the same read as other keys decides nothing', () => {
    expect(feed(['\x1b[B\r']).actions).toEqual([]);
  });

  it('Esc and Ctrl+C interrupt while choosing; Ctrl+C interrupts while typing a reason too', () => {
    expect(feed(['\x1b']).actions).toEqual([{ kind: 'interrupt' }]);
    expect(feed(['\x03']).actions).toEqual([{ kind: 'interrupt' }]);
    expect(feed(['n', 'because', '\x03']).actions).toEqual([{ kind: 'interrupt' }]);
    // typed text before the interrupt in the same read still reaches the input box
    expect(feed(['ab\x03']).actions).toEqual([{ kind: 'aside', text: 'ab' }, { kind: 'interrupt' }]);
  });

  it('takes a reason: typing, pasting, Backspace, Ctrl+U; Enter denies with it, Esc without it', () => {
    expect(feed(['n', 'too ', 'risky', '\r']).actions).toEqual([decided('deny', 'too risky')]);
    expect(feed(['n', '\x1b[200~not\nnow\x1b[201~', '\r']).actions).toEqual([decided('deny', 'not now')]);
    expect(feed(['n', 'abc', '\x7f', '\r']).actions).toEqual([decided('deny', 'ab')]);
    expect(feed(['n', 'abc', '\x15', 'x', '\r']).actions).toEqual([decided('deny', 'x')]);
    expect(feed(['n', 'abc', '\x1b']).actions).toEqual([decided('deny')]);
    expect(feed(['n', '   ', '\r']).actions).toEqual([decided('deny')]);
  });
});

describe('approval keys: paging the body', () => {
  const long: BodyView = { total: 25, page: 10 };

  it('PgDn / PgUp move a page, Home / End go to either end, never past them', () => {
    expect(feed(['\x1b[6~'], 'ask', long).state).toMatchObject({ top: 10 });
    expect(feed(['\x1b[6~', '\x1b[6~', '\x1b[6~'], 'ask', long).state).toMatchObject({ top: 15 });
    expect(feed(['\x1b[6~', '\x1b[5~', '\x1b[5~'], 'ask', long).state).toMatchObject({ top: 0 });
    expect(feed(['\x1b[F'], 'ask', long).state).toMatchObject({ top: 15 });
    expect(feed(['\x1b[F', '\x1b[H'], 'ask', long).state).toMatchObject({ top: 0 });
    expect(feed(['\x1b[6~'], 'ask', FITS).state).toMatchObject({ top: 0 });
  });

  it('paging decides nothing, keeps the selection, and works while typing a reason', () => {
    expect(feed(['\x1b[B', '\x1b[6~'], 'ask', long)).toEqual({ state: { stage: 'choose', selected: 1, top: 10, aside: false }, actions: [] });
    expect(feed(['n', 'x', '\x1b[6~'], 'ask', long).state).toEqual({ stage: 'reason', text: 'x', top: 10 });
  });
});
