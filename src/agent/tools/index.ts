// The built-in tools and the approval policy, for the front ends to wire up:
//   new ApprovingToolRegistry(new StaticToolRegistry(createBuiltinTools({ only })), policy)

export { ApprovingToolRegistry, classifyCall, DENIED_BY_USER } from './approval.js';
export type { ApprovalDecision, ApprovalKind, ApprovalPolicy, ApprovalRequest, Classification } from './approval.js';
export { BUILTIN_TOOL_NAMES, createBuiltinTools, selectTools, ToolSelectionError } from './builtin.js';
export type { BuiltinToolName, BuiltinToolOptions } from './builtin.js';
export { DANGEROUS_COMMAND_RULES, findDanger, isBlockDevicePath } from './dangerous-commands.js';
export type { Danger, ShellContext } from './dangerous-commands.js';
export { unifiedDiff } from './diff.js';
export { editFileTool } from './edit-file.js';
export { findFilesTool } from './find-files.js';
export { listDirectoryTool } from './list-directory.js';
export { readFileTool } from './read-file.js';
export { createRunShellTool, runShellTool } from './run-shell.js';
export type { RunShellOptions } from './run-shell.js';
export { createSearchFilesTool, searchFilesTool } from './search-files.js';
export type { SearchFilesOptions } from './search-files.js';
export { accessOf, INTERRUPTED } from './tool.js';
export type { BuiltinTool, ToolAccess, ToolPreview } from './tool.js';
export { writeFileTool } from './write-file.js';
export { setUpTools } from './setup.js';
export type { ToolChoices, ToolSetup } from './setup.js';
