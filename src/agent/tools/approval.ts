// The approval policy, in one place. Every call is classified:
//   auto        read-only tools on paths inside the working folder: run without asking
//   ask         writes, edits, shell commands, and anything outside the working folder
//   always-ask  commands on the dangerous list (and writes to disk devices): asked even under
//               --yolo or --allow, and denied when there is nobody to ask
// What approves an 'ask' call up front: --allow (and an "always" answer) only calls inside the
// working folder; --yolo those, and reads outside it. A write or edit outside the folder is
// asked each time, like a dangerous command, and denied where nobody can ask.
// ApprovingToolRegistry applies it around another registry.

import os from 'node:os';
import path from 'node:path';
import type { Tool, ToolContext, ToolRegistry, ToolResult } from '../tools.js';
import { parseToolArguments } from '../tools.js';
import type { ToolCall, ToolDefinition } from '../types.js';
import { findDanger, isBlockDevicePath, type Danger } from './dangerous-commands.js';
import { isWithin, resolvePath, type ResolvedPath } from './paths.js';
import { accessOf, INTERRUPTED } from './tool.js';

export type ApprovalKind = 'auto' | 'ask' | 'always-ask';

export interface Classification {
  kind: ApprovalKind;
  /** The command, or the path(s) the call acts on (relative inside the folder, absolute outside). */
  summary: string;
  outsideCwd: boolean;
  /** Why an 'always-ask' call is dangerous. */
  danger?: Danger;
}

/** Classifies one call. A tool that does not describe its access (not built in) always asks. */
export function classifyCall(tool: Tool, args: Record<string, unknown>, cwd: string, home = os.homedir()): Classification {
  const access = accessOf(tool);
  if (!access) return { kind: 'ask', summary: shorten(JSON.stringify(args)), outsideCwd: false };

  const resolved = access.paths(args).map((p) => resolvePath(cwd, p, home));
  const outsideCwd = resolved.some((p) => p.outside);
  const command = access.command?.(args);
  const summary = command ?? resolved.map((p) => displayWithTarget(cwd, p)).join(', ');

  if (command !== undefined) {
    const danger = findDanger(command, { cwd, home });
    return danger ? { kind: 'always-ask', summary, outsideCwd, danger } : { kind: 'ask', summary, outsideCwd };
  }
  if (!access.readOnly) {
    const device = resolved.find((p) => isBlockDevicePath(p.absolute));
    if (device) return { kind: 'always-ask', summary, outsideCwd, danger: { id: 'block-device-write', description: 'writes to a disk device' } };
    return { kind: 'ask', summary, outsideCwd };
  }
  return { kind: outsideCwd ? 'ask' : 'auto', summary, outsideCwd };
}

export interface ApprovalRequest {
  call: ToolCall;
  tool: Tool;
  kind: 'ask' | 'always-ask';
  /** The command, or the path. */
  summary: string;
  /** For write_file / edit_file: the change as a unified diff, computed without writing. */
  diff?: string;
  outsideCwd: boolean;
  /** For 'always-ask': what makes it dangerous (show it in red). */
  danger?: Danger;
  /**
   * For a one-line denial report where nobody can ask: why it needs a person and which flag,
   * if any, would approve it ("allow it with --yolo or --allow write_file").
   */
  hint?: string;
}

export interface ApprovalDecision {
  /**
   * once: run this call. always: run it and stop asking for this tool this session, for calls
   * inside the working folder (one reaching outside it is asked each time).
   */
  decision: 'once' | 'always' | 'deny';
  /** Sent back to the model with a denial. */
  reason?: string;
}

export interface ApprovalPolicy {
  /**
   * 'yolo' approves everything that is not on the dangerous list, except writes and edits
   * outside the working folder.
   */
  mode: 'ask' | 'yolo';
  /** Tool names approved for the session (--allow, and every 'always' answer adds one), inside the working folder only. */
  allow: Set<string>;
  /** Asks the user (the TUI prompt). Absent in one-shot mode: calls needing approval are denied. */
  ask?: (request: ApprovalRequest) => Promise<ApprovalDecision>;
  /** Told about every call denied without asking (one-shot mode reports it on stderr). */
  onDenied?: (request: ApprovalRequest) => void;
  /** For tests; default os.homedir(). */
  home?: string;
}

export const DENIED_BY_USER = 'denied by the user';

/** Wraps a registry so that each call is approved (or denied) by the policy before it runs. */
export class ApprovingToolRegistry implements ToolRegistry {
  constructor(
    private readonly inner: ToolRegistry,
    readonly policy: ApprovalPolicy,
  ) {}

  definitions(): ToolDefinition[] {
    return this.inner.definitions();
  }

  tool(name: string): Tool | undefined {
    return this.inner.tool?.(name);
  }

  /** Never throws: whatever fails (a preview, the front end's callbacks) becomes an error result. */
  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    try {
      return await this.approveAndRun(call, context);
    } catch (err) {
      if (context.signal.aborted) return { content: INTERRUPTED, isError: true };
      return { content: `${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
    }
  }

  private async approveAndRun(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const tool = this.inner.tool?.(call.name);
    const args = parseToolArguments(call.arguments);
    // Unknown tools and bad arguments never run: the inner registry reports them.
    if (!tool || !args) return this.inner.run(call, context);

    const { kind, summary, outsideCwd, danger } = classifyCall(tool, args, context.cwd, this.policy.home);
    if (kind === 'auto') return this.inner.run(call, context);
    const readOnly = accessOf(tool)?.readOnly ?? false;
    if (kind === 'ask' && approvedUpFront(this.policy, call.name, outsideCwd, readOnly)) return this.inner.run(call, context);

    const hint = denialHint(call.name, kind, outsideCwd, readOnly);
    const request: ApprovalRequest = { call, tool, kind, summary, outsideCwd, hint, ...(danger ? { danger } : {}) };
    const preview = await accessOf(tool)?.preview?.(args, context);
    // A change that would fail anyway is not worth a question.
    if (preview && 'error' in preview) return { content: preview.error, isError: true };
    if (preview) request.diff = preview.diff;

    const ask = this.policy.ask;
    if (!ask) {
      try {
        this.policy.onDenied?.(request);
      } catch {
        // a reporting failure must not turn a denial into something else
      }
      return { content: deniedWithoutAsking(request, readOnly), isError: true };
    }

    let decision: ApprovalDecision;
    try {
      decision = await untilAborted(ask(request), context.signal);
    } catch (err) {
      if (context.signal.aborted) return { content: INTERRUPTED, isError: true };
      return { content: `${DENIED_BY_USER}: ${err instanceof Error ? err.message : String(err)}`, isError: true };
    }
    if (decision.decision === 'deny') {
      const reason = decision.reason?.trim();
      return { content: reason ? `${DENIED_BY_USER}: ${reason}` : DENIED_BY_USER, isError: true };
    }
    // A path may have been turned into a symlink while the user was reading the question.
    const now = classifyCall(tool, args, context.cwd, this.policy.home);
    if (now.kind !== kind || now.outsideCwd !== outsideCwd || now.summary !== summary) {
      return { content: `not run: what ${call.name} would reach changed while the user was asked (now ${now.summary}); ask again if it is still wanted`, isError: true };
    }
    // A dangerous command is approved one call at a time, whatever the answer; the allow set
    // never covers calls outside the folder (approvedUpFront), so adding the tool is safe.
    if (decision.decision === 'always' && kind === 'ask') this.policy.allow.add(call.name);
    return this.inner.run(call, context);
  }
}

/** --allow and "always" cover calls inside the folder; --yolo also reads outside it. */
function approvedUpFront(policy: ApprovalPolicy, name: string, outsideCwd: boolean, readOnly: boolean): boolean {
  if (!outsideCwd) return policy.mode === 'yolo' || policy.allow.has(name);
  return policy.mode === 'yolo' && readOnly;
}

function denialHint(name: string, kind: 'ask' | 'always-ask', outsideCwd: boolean, readOnly: boolean): string {
  if (kind === 'always-ask') return 'it is on the list of dangerous commands that always need a person';
  if (outsideCwd && !readOnly) return 'it changes something outside the working folder, which always needs a person';
  if (outsideCwd) return 'it reaches outside the working folder: allow it with --yolo';
  return `allow it with --yolo or --allow ${name}`;
}

function deniedWithoutAsking(request: ApprovalRequest, readOnly: boolean): string {
  const name = request.call.name;
  if (request.kind === 'always-ask') {
    return `denied: this command ${request.danger?.description ?? 'is on the dangerous list'}, which always needs the user's approval, and hermes cannot ask here`;
  }
  if (request.outsideCwd && !readOnly) {
    return `denied: ${name} would change ${request.summary}, outside the working folder, which always needs the user's approval, and hermes cannot ask here`;
  }
  if (request.outsideCwd) {
    return `denied: ${name} reaches outside the working folder (${request.summary}) and hermes cannot ask here (non-interactive); the user can allow reading outside it with --yolo`;
  }
  return `denied: ${name} needs the user's approval and hermes cannot ask here (non-interactive); the user can allow it with --yolo or --allow ${name}`;
}

/** Settles with the promise, or rejects as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(INTERRUPTED));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(INTERRUPTED));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** A path inside the folder that leads outside it (a symlink) says where it really goes. */
function displayWithTarget(cwd: string, file: ResolvedPath): string {
  const viaLink = file.outside && isWithin(cwd, file.absolute);
  return viaLink ? `${path.relative(cwd, file.absolute)} → ${file.real ?? '(a symlink loop)'}` : file.display;
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
