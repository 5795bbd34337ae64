// The approval request the prompt shows, for a component: re-renders whenever the queue
// changes (a request arrives, is answered, or an interrupt settles them all).

import { useSyncExternalStore } from 'react';
import type { ApprovalRequest } from '../agent/tools/approval.js';
import type { ApprovalQueue } from './approvals.js';

export interface ApprovalState {
  current: ApprovalRequest | undefined;
  /** Requests waiting behind it. */
  waiting: number;
}

export function useApprovals(queue: ApprovalQueue): ApprovalState {
  const current = useSyncExternalStore(
    (listener) => queue.subscribe(listener),
    () => queue.current,
  );
  const waiting = useSyncExternalStore(
    (listener) => queue.subscribe(listener),
    () => queue.waiting,
  );
  return { current, waiting };
}
