import { describe, expect, it } from 'vitest';
import { ApprovalQueue } from '../../src/tui/approvals.js';
import { approvalRequest as request } from '../support/approval-request.js';

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
