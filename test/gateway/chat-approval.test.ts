// The approval question a chat gets, and who is told what: platform-neutral pieces.

import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/agent/tools/approval.js';
import { AccessList, NOTICE_INTERVAL_MS } from '../../src/gateway/access.js';
import { approvalQuestion, chatApprover, DIFF_LINES } from '../../src/gateway/chat-approval.js';

function request(extra: Partial<ApprovalRequest>): ApprovalRequest {
  return { call: { id: 'c1', name: 'run_shell', arguments: '{}' }, tool: {} as ApprovalRequest['tool'], kind: 'ask', summary: 'ls', outsideCwd: false, ...extra };
}

describe('approvalQuestion', () => {
  it('shows the whole command in a code block whose fence no backtick run inside can close', () => {
    const q = approvalQuestion(request({ summary: 'echo "```" && printf `date`' }), 7, 4096);
    expect(q.markdown).toContain('````sh\necho "```" && printf `date`\n````');
    expect(q.choices.map((c) => c.label)).toEqual(['Approve', 'Always for this chat', 'Deny']);
    expect(q.userId).toBe(7);
    expect(q.attachment).toBeUndefined();
  });

  it('a dangerous command: the warning, and no "Always" button', () => {
    const q = approvalQuestion(request({ kind: 'always-ask', summary: 'rm -rf ~', danger: { id: 'x', description: 'deletes your home folder' } }), 7, 4096);
    expect(q.markdown).toContain('deletes your home folder');
    expect(q.choices.map((c) => c.id)).toEqual(['once', 'deny']);
  });

  it('a command too long for a message goes whole as a file, never cut', () => {
    const long = `echo ${'x'.repeat(5000)}`;
    const q = approvalQuestion(request({ summary: long }), 7, 4096);
    expect(q.markdown.length).toBeLessThan(4096);
    expect(q.attachment).toEqual({ fileName: 'command.sh', content: long });
  });

  it(`a diff longer than ${DIFF_LINES} lines is cut with "… N more lines" and attached whole`, () => {
    const diff = Array.from({ length: DIFF_LINES + 12 }, (_, i) => `+line ${i}`).join('\n') + '\n';
    const q = approvalQuestion(request({ call: { id: 'c', name: 'write_file', arguments: '{}' }, summary: 'a.txt', diff }), 7, 4096);
    expect(q.markdown).toContain('… 12 more lines');
    expect(q.markdown).not.toContain(`+line ${DIFF_LINES}`);
    expect(q.attachment).toEqual({ fileName: 'change.diff', content: diff });
  });
});

describe('chatApprover', () => {
  it('refuses dangerous commands without asking unless allowed, and asks the turn\'s user otherwise', async () => {
    const asked: number[] = [];
    const signal = new AbortController().signal;
    const options = {
      askInChat: async (q: { userId: number }) => (asked.push(q.userId), 'once'),
      turn: () => ({ userId: 9, signal }),
      timeoutMs: 60_000,
      maxLength: 4096,
    };
    const dangerous = request({ kind: 'always-ask', danger: { id: 'x', description: 'wipes a disk' } });
    expect(await chatApprover({ ...options, allowDangerous: false })(dangerous)).toMatchObject({ decision: 'deny', reason: expect.stringMatching(/refused in a chat/) });
    expect(asked).toEqual([]);
    expect(await chatApprover({ ...options, allowDangerous: true })(dangerous)).toEqual({ decision: 'once' });
    expect(asked).toEqual([9]);
  });

  it('no answer before the timeout denies', async () => {
    const ask = chatApprover({
      askInChat: (_q, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined))),
      turn: () => ({ userId: 9, signal: new AbortController().signal }),
      allowDangerous: false,
      timeoutMs: 20,
      maxLength: 4096,
    });
    expect(await ask(request({}))).toMatchObject({ decision: 'deny', reason: expect.stringMatching(/nobody answered/) });
  });
});

describe('AccessList', () => {
  it('allows listed ids only and tells a stranger at most once per hour', () => {
    let now = 0;
    const access = new AccessList(new Set([1]), () => now);
    expect(access.allows(1)).toBe(true);
    expect(access.allows(2)).toBe(false);
    expect(access.shouldNotify(2)).toBe(true);
    now += NOTICE_INTERVAL_MS - 1;
    expect(access.shouldNotify(2)).toBe(false);
    expect(access.shouldNotify(3)).toBe(true);
    now += 1;
    expect(access.shouldNotify(2)).toBe(true);
  });
});
