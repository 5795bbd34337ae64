// Approval requests on their way from the tool layer to the person at the keyboard. The
// ApprovingToolRegistry calls `ask` (through ApprovalPolicy.ask) and waits; the prompt shows
// the first request, answers it, and the next one (if any) takes its place. An interrupt
// settles every pending request at once: the registry has already turned the call into an
// "interrupted" result by then, so the answer given here is never used.
//
// What the prompt shows and what its keys do are pure functions beside this file
// (approval-layout.ts, approval-keys.ts), tested without React.

import type { ApprovalDecision, ApprovalRequest } from '../agent/tools/approval.js';

interface Pending {
  request: ApprovalRequest;
  resolve: (decision: ApprovalDecision) => void;
}

export class ApprovalQueue {
  readonly #pending: Pending[] = [];
  readonly #listeners = new Set<() => void>();

  /** Pass as ApprovalPolicy.ask. Resolves when the person answers (or the run is interrupted). */
  readonly ask = (request: ApprovalRequest): Promise<ApprovalDecision> =>
    new Promise<ApprovalDecision>((resolve) => {
      this.#pending.push({ request, resolve });
      this.#notify();
    });

  /** The request the prompt shows, or undefined. */
  get current(): ApprovalRequest | undefined {
    return this.#pending[0]?.request;
  }

  /** Requests waiting behind the current one. */
  get waiting(): number {
    return Math.max(0, this.#pending.length - 1);
  }

  /** Answers `request` if it is still the one shown (a key read twice must not answer the next). */
  answer(request: ApprovalRequest, decision: ApprovalDecision): boolean {
    const first = this.#pending[0];
    if (!first || first.request !== request) return false;
    this.#pending.shift();
    first.resolve(decision);
    this.#notify();
    return true;
  }

  /** Settles every pending request (after an interrupt has aborted the run that asked). */
  cancelAll(): void {
    if (this.#pending.length === 0) return;
    for (const pending of this.#pending.splice(0)) pending.resolve({ decision: 'deny', reason: 'interrupted' });
    this.#notify();
  }

  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
