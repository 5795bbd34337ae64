// The tool registry a front end hands to the agent, from the user's choices: which tools exist
// (--tools, --no-tools), which run without asking (--yolo, --allow), and how to ask (the TUI
// passes `ask`; one-shot mode has nobody to ask and reports denials instead).

import { NO_TOOLS, StaticToolRegistry, type ToolRegistry } from '../tools.js';
import { ApprovingToolRegistry, type ApprovalPolicy } from './approval.js';
import { createBuiltinTools, selectTools } from './builtin.js';

export interface ToolChoices {
  noTools?: boolean;
  /** Only these tools (names checked: ToolSelectionError for an unknown one). */
  tools?: readonly string[];
  yolo?: boolean;
  allow?: readonly string[];
  /** Secret-looking variables run_shell passes on anyway (config.json shellEnv.keep). */
  keepEnv?: readonly string[];
}

export interface ToolSetup {
  registry: ToolRegistry;
  /** The live policy (an 'always' answer adds to policy.allow); undefined with --no-tools. */
  policy?: ApprovalPolicy;
}

/** Throws ToolSelectionError for an unknown tool name in --tools or --allow. */
export function setUpTools(choices: ToolChoices, hooks: Pick<ApprovalPolicy, 'ask' | 'onDenied'> = {}): ToolSetup {
  if (choices.noTools) return { registry: NO_TOOLS };
  const only = choices.tools ? selectTools(choices.tools) : undefined;
  const policy: ApprovalPolicy = {
    mode: choices.yolo ? 'yolo' : 'ask',
    allow: new Set(choices.allow ? selectTools(choices.allow) : []),
    ...hooks,
  };
  return { registry: new ApprovingToolRegistry(new StaticToolRegistry(createBuiltinTools({ only, runShell: { keepEnv: choices.keepEnv } })), policy), policy };
}
