import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import {
  ApprovingToolRegistry,
  classifyCall,
  type ApprovalDecision,
  type ApprovalPolicy,
  type ApprovalRequest,
} from '../../src/agent/tools/approval.js';
import { createBuiltinTools } from '../../src/agent/tools/builtin.js';
import type { ToolCall } from '../../src/agent/types.js';
import { contextFor, tempFolder } from './helpers.js';

const HOME = '/home/nobody-hermes-test';
const tools = createBuiltinTools();
const byName = (name: string): Tool => tools.find((t) => t.definition.name === name)!;

let callNumber = 0;
const call = (name: string, args: Record<string, unknown>): ToolCall => ({ id: `call_${++callNumber}`, name, arguments: JSON.stringify(args) });

/** An ask function answering from a script and recording what it was asked. */
function scriptedAsk(...answers: ApprovalDecision[]) {
  const requests: ApprovalRequest[] = [];
  const ask = async (request: ApprovalRequest): Promise<ApprovalDecision> => {
    requests.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error('asked more often than the test expected');
    return answer;
  };
  return { ask, requests };
}

function registry(policy: Partial<ApprovalPolicy>): ApprovingToolRegistry {
  return new ApprovingToolRegistry(new StaticToolRegistry(createBuiltinTools()), { mode: 'ask', allow: new Set(), home: HOME, ...policy });
}

describe('classifyCall', () => {
  it('runs read-only tools inside the working folder without asking', () => {
    const cwd = tempFolder({ 'a.txt': 'x' });
    expect(classifyCall(byName('read_file'), { path: 'a.txt' }, cwd, HOME)).toEqual({ kind: 'auto', summary: 'a.txt', outsideCwd: false });
    expect(classifyCall(byName('list_directory'), {}, cwd, HOME)).toEqual({ kind: 'auto', summary: '.', outsideCwd: false });
    expect(classifyCall(byName('find_files'), { pattern: '*.ts', path: 'src' }, cwd, HOME).kind).toBe('auto');
    expect(classifyCall(byName('search_files'), { pattern: 'x', path: `${cwd}/sub` }, cwd, HOME).kind).toBe('auto');
  });

  it('asks for reading outside the working folder, through .., an absolute path, ~ or a symlink', () => {
    const outside = tempFolder({ 'secret.txt': 's' });
    const cwd = tempFolder();
    fs.symlinkSync(outside, path.join(cwd, 'link'));
    for (const [name, args] of [
      ['read_file', { path: path.join(outside, 'secret.txt') }],
      ['read_file', { path: '../x' }],
      ['read_file', { path: '~/.ssh/id_rsa' }],
      ['read_file', { path: 'link/secret.txt' }],
      ['list_directory', { path: '/' }],
      ['find_files', { pattern: '*', path: '..' }],
      ['search_files', { pattern: 'x', path: '/etc' }],
    ] as const) {
      const classification = classifyCall(byName(name), args, cwd, HOME);
      expect(classification.kind, `${name} ${JSON.stringify(args)}`).toBe('ask');
      expect(classification.outsideCwd).toBe(true);
    }
    expect(classifyCall(byName('read_file'), { path: '~/.ssh/id_rsa' }, cwd, HOME).summary).toBe(`${HOME}/.ssh/id_rsa`);
  });

  it('asks for writes, edits and commands; always asks for dangerous commands and disk devices', () => {
    const cwd = tempFolder();
    expect(classifyCall(byName('write_file'), { path: 'n.txt', content: '' }, cwd, HOME)).toEqual({ kind: 'ask', summary: 'n.txt', outsideCwd: false });
    expect(classifyCall(byName('edit_file'), { path: '/tmp/x', old_string: 'a', new_string: 'b' }, cwd, HOME)).toEqual({ kind: 'ask', summary: '/tmp/x', outsideCwd: true });
    expect(classifyCall(byName('run_shell'), { command: 'npm test' }, cwd, HOME)).toEqual({ kind: 'ask', summary: 'npm test', outsideCwd: false });
    expect(classifyCall(byName('run_shell'), { command: 'rm -rf ./build' }, cwd, HOME).kind).toBe('ask');
    expect(classifyCall(byName('run_shell'), { command: 'rm -rf ~' }, cwd, HOME)).toEqual({
      kind: 'always-ask',
      summary: 'rm -rf ~',
      outsideCwd: false,
      danger: { id: 'recursive-delete-outside', description: 'deletes recursively outside the working folder (or the folder itself)' },
    });
    expect(classifyCall(byName('write_file'), { path: '/dev/sda', content: 'x' }, cwd, HOME)).toMatchObject({ kind: 'always-ask', danger: { id: 'block-device-write' } });
  });

  it('asks for a tool that does not describe what it touches', () => {
    const custom: Tool = { definition: { name: 'custom', description: '', parameters: {} }, run: async () => ({ content: 'ran' }) };
    expect(classifyCall(custom, { a: 1 }, tempFolder(), HOME)).toEqual({ kind: 'ask', summary: '{"a":1}', outsideCwd: false });
  });
});

describe('ApprovingToolRegistry', () => {
  it('runs auto calls without asking', async () => {
    const cwd = tempFolder({ 'a.txt': 'hello\n' });
    const { ask, requests } = scriptedAsk();
    const result = await registry({ ask }).run(call('read_file', { path: 'a.txt' }), contextFor(cwd));
    expect(result.content).toContain('hello');
    expect(requests).toHaveLength(0);
  });

  it('approve once: shows the diff, writes, and asks again next time', async () => {
    const cwd = tempFolder({ 'a.txt': 'old\n' });
    const { ask, requests } = scriptedAsk({ decision: 'once' }, { decision: 'once' });
    const tools = registry({ ask });
    const first = await tools.run(call('write_file', { path: 'a.txt', content: 'new\n' }), contextFor(cwd));
    expect(first).toEqual({ content: 'overwrote a.txt (1 line, 4 bytes)' });
    expect(requests[0]).toMatchObject({ kind: 'ask', summary: 'a.txt', outsideCwd: false, diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new' });
    expect(requests[0]!.tool.definition.name).toBe('write_file');
    expect(requests[0]!.call.name).toBe('write_file');
    await tools.run(call('write_file', { path: 'a.txt', content: 'newer\n' }), contextFor(cwd));
    expect(requests).toHaveLength(2);
    expect(fs.readFileSync(path.join(cwd, 'a.txt'), 'utf8')).toBe('newer\n');
  });

  it('approve always: adds the tool to the session allow set and stops asking for it', async () => {
    const cwd = tempFolder();
    const { ask, requests } = scriptedAsk({ decision: 'always' });
    const allow = new Set<string>();
    const tools = registry({ ask, allow });
    expect((await tools.run(call('run_shell', { command: 'echo one' }), contextFor(cwd))).content).toBe('exit code 0\none\n');
    expect(allow.has('run_shell')).toBe(true);
    expect((await tools.run(call('run_shell', { command: 'echo two' }), contextFor(cwd))).content).toBe('exit code 0\ntwo\n');
    expect(requests.map((r) => r.summary)).toEqual(['echo one']);
    // other tools still ask
    await expect(tools.run(call('write_file', { path: 'x', content: '' }), contextFor(cwd))).resolves.toMatchObject({ isError: true });
    expect(requests).toHaveLength(2);
  });

  it('deny: nothing runs and the model is told, with the reason when given', async () => {
    const cwd = tempFolder({ 'f.txt': 'keep\n' });
    const { ask } = scriptedAsk({ decision: 'deny', reason: 'use pnpm, not npm' }, { decision: 'deny' });
    const tools = registry({ ask });
    expect(await tools.run(call('run_shell', { command: `touch ${cwd}/ran` }), contextFor(cwd))).toEqual({ content: 'denied by the user: use pnpm, not npm', isError: true });
    expect(await tools.run(call('edit_file', { path: 'f.txt', old_string: 'keep', new_string: 'lose' }), contextFor(cwd))).toEqual({ content: 'denied by the user', isError: true });
    expect(fs.existsSync(path.join(cwd, 'ran'))).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'f.txt'), 'utf8')).toBe('keep\n');
  });

  it('asks before reading outside the working folder, and honours a denial', async () => {
    const outside = tempFolder({ 'secret.txt': 'top secret\n' });
    const cwd = tempFolder();
    const { ask, requests } = scriptedAsk({ decision: 'deny' }, { decision: 'once' });
    const tools = registry({ ask });
    const file = path.join(outside, 'secret.txt');
    expect(await tools.run(call('read_file', { path: file }), contextFor(cwd))).toEqual({ content: 'denied by the user', isError: true });
    expect(requests[0]).toMatchObject({ kind: 'ask', summary: file, outsideCwd: true });
    expect((await tools.run(call('read_file', { path: file }), contextFor(cwd))).content).toContain('top secret');
  });

  it('yolo: runs writes and commands without asking', async () => {
    const cwd = tempFolder();
    const { ask, requests } = scriptedAsk();
    const tools = registry({ mode: 'yolo', ask });
    expect((await tools.run(call('write_file', { path: 'y.txt', content: 'y' }), contextFor(cwd))).content).toBe('created y.txt (1 line, 1 byte)');
    expect((await tools.run(call('run_shell', { command: 'cat y.txt' }), contextFor(cwd))).content).toBe('exit code 0\ny');
    expect(requests).toHaveLength(0);
  });

  it('the allow set approves only the tools in it', async () => {
    const cwd = tempFolder();
    const { ask, requests } = scriptedAsk({ decision: 'deny' });
    const tools = registry({ allow: new Set(['write_file']), ask });
    expect((await tools.run(call('write_file', { path: 'w.txt', content: '' }), contextFor(cwd))).isError).toBeUndefined();
    expect(await tools.run(call('run_shell', { command: 'true' }), contextFor(cwd))).toEqual({ content: 'denied by the user', isError: true });
    expect(requests.map((r) => r.call.name)).toEqual(['run_shell']);
  });

  it('always asks for a dangerous command under yolo, and "always" does not stop the next question', async () => {
    const victim = tempFolder({ 'precious.txt': 'p' });
    const cwd = tempFolder();
    const { ask, requests } = scriptedAsk({ decision: 'deny', reason: 'never' }, { decision: 'always' });
    const allow = new Set<string>(['run_shell']);
    const tools = registry({ mode: 'yolo', allow, ask });
    const command = `rm -rf ${victim}`;
    expect(await tools.run(call('run_shell', { command }), contextFor(cwd))).toEqual({ content: 'denied by the user: never', isError: true });
    expect(fs.existsSync(victim)).toBe(true);
    expect(requests[0]).toMatchObject({ kind: 'always-ask', summary: command, danger: { id: 'recursive-delete-outside' } });

    expect((await tools.run(call('run_shell', { command }), contextFor(cwd))).content).toBe('exit code 0\n(no output)');
    expect(fs.existsSync(victim)).toBe(false);
    const { ask: ask2, requests: requests2 } = scriptedAsk({ decision: 'deny' });
    tools.policy.ask = ask2;
    await tools.run(call('run_shell', { command }), contextFor(cwd));
    expect(requests2).toHaveLength(1);
  });

  it('without an ask function (one-shot): denies, reports through onDenied, and says how to allow it', async () => {
    const cwd = tempFolder();
    const denied: ApprovalRequest[] = [];
    const tools = registry({ onDenied: (request) => denied.push(request) });
    const result = await tools.run(call('write_file', { path: 'n.txt', content: 'x\n' }), contextFor(cwd));
    expect(result).toEqual({
      content: "denied: write_file needs the user's approval and hermes cannot ask here (non-interactive); the user can allow it with --yolo or --allow write_file",
      isError: true,
    });
    expect(fs.existsSync(path.join(cwd, 'n.txt'))).toBe(false);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ kind: 'ask', summary: 'n.txt', diff: '--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+x' });
    // read-only calls inside the folder still run
    expect((await tools.run(call('list_directory', {}), contextFor(cwd))).content).toBe('(. is empty)');
  });

  it('without an ask function, a dangerous command is denied even under yolo', async () => {
    const victim = tempFolder({ 'precious.txt': 'p' });
    const cwd = tempFolder();
    const denied: ApprovalRequest[] = [];
    const tools = registry({ mode: 'yolo', allow: new Set(['run_shell']), onDenied: (r) => denied.push(r) });
    const result = await tools.run(call('run_shell', { command: `sudo rm -rf ${victim}` }), contextFor(cwd));
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^denied: this command deletes recursively outside the working folder/);
    expect(denied.map((r) => r.kind)).toEqual(['always-ask']);
    expect(fs.existsSync(victim)).toBe(true);
  });

  it('does not ask about an edit that would fail anyway', async () => {
    const cwd = tempFolder({ 'f.txt': 'a a\n' });
    const { ask, requests } = scriptedAsk();
    const result = await registry({ ask }).run(call('edit_file', { path: 'f.txt', old_string: 'a', new_string: 'b' }), contextFor(cwd));
    expect(result).toMatchObject({ isError: true, content: expect.stringContaining('matches 2 places') });
    expect(requests).toHaveLength(0);
  });

  it('lets the inner registry report unknown tools and bad arguments, without asking', async () => {
    const { ask, requests } = scriptedAsk();
    const tools = registry({ ask });
    const cwd = tempFolder();
    expect(await tools.run({ id: 'x', name: 'nope', arguments: '{}' }, contextFor(cwd))).toEqual({ content: 'unknown tool: nope', isError: true });
    expect(await tools.run({ id: 'y', name: 'run_shell', arguments: '{"command": "rm -rf /"' }, contextFor(cwd))).toEqual({
      content: 'invalid arguments for run_shell: expected a JSON object',
      isError: true,
    });
    expect(requests).toHaveLength(0);
  });

  it('stops waiting for an answer when interrupted', async () => {
    const cwd = tempFolder();
    const controller = new AbortController();
    let asked!: () => void;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    const tools = registry({
      ask: () => {
        asked();
        return new Promise<ApprovalDecision>(() => {}); // the user never answers
      },
    });
    const running = tools.run(call('run_shell', { command: `touch ${cwd}/ran` }), contextFor(cwd, controller.signal));
    await wasAsked;
    controller.abort();
    expect(await running).toEqual({ content: 'interrupted by the user', isError: true });
    expect(fs.existsSync(path.join(cwd, 'ran'))).toBe(false);
  });

  it('treats a failing ask function as a denial', async () => {
    const cwd = tempFolder();
    const tools = registry({ ask: async () => Promise.reject(new Error('terminal went away')) });
    expect(await tools.run(call('run_shell', { command: 'true' }), contextFor(cwd))).toEqual({ content: 'denied by the user: terminal went away', isError: true });
  });

  it('never throws: a failing preview or onDenied callback still gives a result', async () => {
    const cwd = tempFolder();
    const exploding: Tool & { access: unknown } = {
      definition: { name: 'exploding', description: '', parameters: {} },
      access: { readOnly: false, paths: () => [], preview: async () => Promise.reject(new Error('preview blew up')) },
      run: async () => ({ content: 'ran' }),
    };
    const custom = new ApprovingToolRegistry(new StaticToolRegistry([exploding]), { mode: 'ask', allow: new Set(), ask: async () => ({ decision: 'once' }) });
    expect(await custom.run(call('exploding', {}), contextFor(cwd))).toEqual({ content: 'exploding failed: preview blew up', isError: true });

    const tools = registry({
      onDenied: () => {
        throw new Error('stderr closed');
      },
    });
    expect((await tools.run(call('run_shell', { command: 'true' }), contextFor(cwd))).content).toMatch(/^denied: run_shell needs the user's approval/);
  });

  it('passes definitions and tool lookup through', () => {
    const tools = registry({});
    expect(tools.definitions().map((d) => d.name)).toEqual(['read_file', 'list_directory', 'find_files', 'search_files', 'write_file', 'edit_file', 'run_shell']);
    expect(tools.tool('edit_file')?.definition.name).toBe('edit_file');
  });
});
