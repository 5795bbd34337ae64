// An approval request as the tool layer builds it, for tests of the prompt.

import type { ApprovalRequest } from '../../src/agent/tools/approval.js';
import { readFileTool } from '../../src/agent/tools/read-file.js';
import { runShellTool } from '../../src/agent/tools/run-shell.js';

/** A request for the built-in read_file: a path, not a command. */
export function readRequest(path: string): ApprovalRequest {
  return { call: { id: 'c2', name: 'read_file', arguments: JSON.stringify({ path }) }, tool: readFileTool, kind: 'ask', summary: path, outsideCwd: true };
}

export function approvalRequest(extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    call: { id: 'c1', name: 'run_shell', arguments: '{}' },
    tool: runShellTool,
    kind: 'ask',
    summary: 'npm test',
    outsideCwd: false,
    ...extra,
  };
}
