import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/agent/tools/approval.js';
import { ApprovalQueue, CHOOSING, decisionLine, promptKey, promptLayout, type PromptState } from '../../src/tui/approvals.js';
import { decodeKeys } from '../../src/tui/keys.js';
import { stripSgr } from '../../src/tui/text-width.js';
import { createTheme } from '../../src/tui/theme.js';

const plain = createTheme(false);
const colour = createTheme(true);

function request(extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    call: { id: 'c1', name: 'run_shell', arguments: '{}' },
    tool: { definition: { name: 'run_shell', description: '', parameters: {} }, run: async () => ({ content: '' }) },
    kind: 'ask',
    summary: 'npm test',
    outsideCwd: false,
    ...extra,
  };
}

/** Feeds typed input through the prompt; returns the last state and the action, if any. */
function press(input: string[], req: Pick<ApprovalRequest, 'kind'> = { kind: 'ask' }, state: PromptState = CHOOSING) {
  let action;
  for (const data of input) {
    for (const key of decodeKeys(data)) {
      const out = promptKey(state, key, req);
      state = out.state;
      if (out.action) action = out.action;
    }
  }
  return { state, action };
}

describe('promptKey', () => {
  it('y approves once, a approves for the session, n asks for a reason', () => {
    expect(press(['y']).action).toEqual({ kind: 'decide', decision: { decision: 'once' } });
    expect(press(['Y']).action).toEqual({ kind: 'decide', decision: { decision: 'once' } });
    expect(press(['a']).action).toEqual({ kind: 'decide', decision: { decision: 'always' } });
    expect(press(['n'])).toEqual({ state: { stage: 'reason', text: '' }, action: undefined });
  });

  it('does not offer "always" for a call that always asks', () => {
    expect(press(['a'], { kind: 'always-ask' })).toEqual({ state: CHOOSING, action: undefined });
    expect(press(['y'], { kind: 'always-ask' }).action).toEqual({ kind: 'decide', decision: { decision: 'once' } });
  });

  it('ignores Enter and other keys while choosing, so nothing is approved by accident', () => {
    expect(press(['\r', 'x', '\x1b[A', ' ']).action).toBeUndefined();
  });

  it('Esc and Ctrl+C interrupt while choosing; Ctrl+C interrupts while typing a reason too', () => {
    expect(press(['\x1b']).action).toEqual({ kind: 'interrupt' });
    expect(press(['\x03']).action).toEqual({ kind: 'interrupt' });
    expect(press(['n', 'because', '\x03']).action).toEqual({ kind: 'interrupt' });
  });

  it('takes a reason: typing, Backspace, Ctrl+U; Enter denies with it, Esc without it', () => {
    expect(press(['n', 'too ', 'risky', '\r']).action).toEqual({ kind: 'decide', decision: { decision: 'deny', reason: 'too risky' } });
    expect(press(['n', 'abc', '\x7f', '\r']).action).toEqual({ kind: 'decide', decision: { decision: 'deny', reason: 'ab' } });
    expect(press(['n', 'abc', '\x15', 'x', '\r']).action).toEqual({ kind: 'decide', decision: { decision: 'deny', reason: 'x' } });
    expect(press(['n', 'abc', '\x1b']).action).toEqual({ kind: 'decide', decision: { decision: 'deny' } });
    expect(press(['n', '   ', '\r']).action).toEqual({ kind: 'decide', decision: { decision: 'deny' } });
  });
});

describe('promptLayout', () => {
  it('shows the command and the keys', () => {
    const layout = promptLayout(request(), CHOOSING, plain, 10);
    expect(layout.title).toBe('? allow run_shell?');
    expect(layout.body).toEqual(['  $ npm test']);
    expect(layout.footer).toBe('  y once · a always for run_shell this session · n deny · esc interrupt');
  });

  it('paints an always-ask call red, with what makes it dangerous, and offers no "always"', () => {
    const layout = promptLayout(
      request({ kind: 'always-ask', summary: 'rm -rf ~/', danger: { id: 'recursive-delete-outside', description: 'deletes recursively outside the working folder' } }),
      CHOOSING,
      colour,
      10,
    );
    expect(layout.title.startsWith('\x1b[31m')).toBe(true);
    expect(stripSgr(layout.title)).toBe('⚠ run_shell: this command deletes recursively outside the working folder — it always asks');
    expect(layout.body).toEqual(['\x1b[31m  $ rm -rf ~/\x1b[39m']);
    expect(stripSgr(layout.footer)).toBe('  y once · n deny · esc interrupt');
  });

  it('says when the path is outside the working folder, and how many questions wait', () => {
    const layout = promptLayout(request({ call: { id: 'c', name: 'read_file', arguments: '{}' }, summary: '/etc/hosts', outsideCwd: true }), CHOOSING, plain, 10, 2);
    expect(layout.title).toBe('? allow read_file (outside the working folder)? · 2 more waiting');
  });

  it('shows a diff coloured by line, without its file header, capped with a count of hidden lines', () => {
    const diff = ['--- a/x.ts', '+++ b/x.ts', '@@ -1,3 +1,3 @@', ' keep', '-old', '+new', ...Array.from({ length: 10 }, (_, i) => `+more ${i}`)].join('\n');
    const layout = promptLayout(request({ call: { id: 'c', name: 'edit_file', arguments: '{}' }, summary: 'x.ts', diff }), CHOOSING, colour, 6);
    expect(layout.body.map(stripSgr)).toEqual(['  x.ts', '  @@ -1,3 +1,3 @@', '   keep', '  -old', '  +new', '  … 10 more lines not shown']);
    expect(layout.body[3]).toBe('\x1b[31m  -old\x1b[39m');
    expect(layout.body[4]).toBe('\x1b[32m  +new\x1b[39m');
  });

  it('strips terminal controls from what the model wrote', () => {
    const layout = promptLayout(request({ summary: 'echo \x1b]0;owned\x07hi\x1b[2J', diff: undefined }), CHOOSING, plain, 10);
    expect(layout.body.join('')).not.toContain('\x1b');
    const diff = promptLayout(request({ summary: 'f', diff: '+\x1b[31mred\x9b' }), CHOOSING, plain, 10);
    expect(diff.body.join('')).not.toMatch(/[\x1b\x9b]/);
  });

  it('shows the reason being typed', () => {
    expect(promptLayout(request(), { stage: 'reason', text: 'not now' }, plain, 10).footer).toBe('  reason (Enter sends, Esc skips): not now ');
  });

  it('caps a long command by lines too', () => {
    const summary = Array.from({ length: 20 }, (_, i) => `echo ${i}`).join('\n');
    const layout = promptLayout(request({ summary }), CHOOSING, plain, 4);
    expect(layout.body).toEqual(['  $ echo 0', '    echo 1', '    echo 2', '  … 17 more lines not shown']);
  });
});

describe('decisionLine', () => {
  it('says what was approved or denied, and why', () => {
    expect(decisionLine(request(), { decision: 'once' }, plain)).toBe('✓ approved run_shell: npm test');
    expect(decisionLine(request(), { decision: 'always' }, plain)).toBe('✓ approved run_shell for this session: npm test');
    const write = request({ call: { id: 'c', name: 'write_file', arguments: '{}' }, summary: 'src/x.ts' });
    expect(decisionLine(write, { decision: 'deny', reason: 'wrong file\nuse y.ts' }, plain)).toBe('✗ denied write_file src/x.ts: wrong file use y.ts');
    expect(decisionLine(write, { decision: 'deny' }, plain)).toBe('✗ denied write_file src/x.ts');
  });
});

describe('ApprovalQueue', () => {
  it('answers requests in order, only the one shown, and settles all on an interrupt', async () => {
    const queue = new ApprovalQueue();
    let changes = 0;
    queue.subscribe(() => changes++);
    const first = request();
    const second = request({ summary: 'ls' });
    const third = request({ summary: 'pwd' });
    const answers = [queue.ask(first), queue.ask(second), queue.ask(third)];
    expect(queue.current).toBe(first);
    expect(queue.waiting).toBe(2);
    // an answer meant for a request no longer shown answers nothing
    expect(queue.answer(second, { decision: 'once' })).toBe(false);
    expect(queue.answer(first, { decision: 'always' })).toBe(true);
    expect(queue.answer(first, { decision: 'once' })).toBe(false);
    expect(queue.current).toBe(second);
    queue.cancelAll();
    expect(queue.current).toBeUndefined();
    expect(await Promise.all(answers)).toEqual([{ decision: 'always' }, { decision: 'deny', reason: 'interrupted' }, { decision: 'deny', reason: 'interrupted' }]);
    expect(changes).toBe(5);
  });
});
