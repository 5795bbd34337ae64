// An approval request as the tool layer builds it, for tests of the prompt.

import type { ApprovalRequest } from '../../src/agent/tools/approval.js';

export function approvalRequest(extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    call: { id: 'c1', name: 'run_shell', arguments: '{}' },
    tool: { definition: { name: 'run_shell', description: '', parameters: {} }, run: async () => ({ content: '' }) },
    kind: 'ask',
    summary: 'npm test',
    outsideCwd: false,
    ...extra,
  };
}
