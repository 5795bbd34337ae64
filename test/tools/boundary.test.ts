// The working-folder boundary: which path a call really reaches (symlinks, dangling ones
// included), and that nothing approved up front (--allow, "always", --yolo for changes)
// reaches outside the folder.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticToolRegistry, type Tool } from '../../src/agent/tools.js';
import { ApprovingToolRegistry, classifyCall, type ApprovalDecision, type ApprovalPolicy, type ApprovalRequest } from '../../src/agent/tools/approval.js';
import { createBuiltinTools } from '../../src/agent/tools/builtin.js';
import { kernelPath, resolvePath } from '../../src/agent/tools/paths.js';
import { writeResolved } from '../../src/agent/tools/safe-write.js';
import type { ToolCall } from '../../src/agent/types.js';
import { contextFor, tempFolder } from './helpers.js';

const tools = createBuiltinTools();
const byName = (name: string): Tool => tools.find((t) => t.definition.name === name)!;
let callNumber = 0;
const call = (name: string, args: Record<string, unknown>): ToolCall => ({ id: `call_${++callNumber}`, name, arguments: JSON.stringify(args) });

function recordingAsk(answer: ApprovalDecision = { decision: 'deny' }) {
  const requests: ApprovalRequest[] = [];
  return { requests, ask: async (request: ApprovalRequest) => (requests.push(request), answer) };
}

function registry(home: string, policy: Partial<ApprovalPolicy>): ApprovingToolRegistry {
  return new ApprovingToolRegistry(new StaticToolRegistry(createBuiltinTools()), { mode: 'ask', allow: new Set(), home, ...policy });
}

describe('kernelPath', () => {
  it('follows dangling links, repeatedly, relative targets against the link folder', () => {
    const outside = tempFolder();
    const cwd = tempFolder({ 'sub/': '' });
    fs.symlinkSync(path.join(outside, 'not-yet', 'x.txt'), path.join(cwd, 'abs-link'));
    // sub/hop -> ../abs-link (relative to sub/), which leads outside
    fs.symlinkSync('../abs-link', path.join(cwd, 'sub', 'hop'));
    expect(kernelPath(path.join(cwd, 'abs-link'))).toBe(path.join(outside, 'not-yet', 'x.txt'));
    expect(kernelPath(path.join(cwd, 'sub', 'hop'))).toBe(path.join(outside, 'not-yet', 'x.txt'));
    expect(kernelPath(path.join(cwd, 'sub', 'hop'), false)).toBe(path.join(cwd, 'sub', 'hop'));
    expect(kernelPath(path.join(cwd, 'new', '..', 'file'))).toBe(path.join(cwd, 'file'));
  });

  it('gives up on a loop', () => {
    const cwd = tempFolder();
    fs.symlinkSync('b', path.join(cwd, 'a'));
    fs.symlinkSync('a', path.join(cwd, 'b'));
    expect(kernelPath(path.join(cwd, 'a'))).toBeUndefined();
    expect(resolvePath(cwd, 'a').outside).toBe(true);
  });
});

describe('a dangling symlink inside the folder', () => {
  it('counts as outside when its target is outside, and says where it goes', () => {
    const outside = tempFolder();
    const cwd = tempFolder();
    const target = path.join(outside, 'written.txt');
    fs.symlinkSync(target, path.join(cwd, 'innocent.txt'));
    fs.symlinkSync('innocent.txt', path.join(cwd, 'second-hop.txt'));
    for (const input of ['innocent.txt', 'second-hop.txt']) {
      const classification = classifyCall(byName('write_file'), { path: input, content: 'x' }, cwd, outside);
      expect(classification).toMatchObject({ kind: 'ask', outsideCwd: true, summary: `${input} → ${target}` });
    }
  });

  it('stays inside when its target is inside', () => {
    const cwd = tempFolder();
    fs.symlinkSync('later/file.txt', path.join(cwd, 'link.txt'));
    expect(classifyCall(byName('write_file'), { path: 'link.txt', content: 'x' }, cwd, cwd)).toMatchObject({ kind: 'ask', outsideCwd: false, summary: 'link.txt' });
  });

  it('is not written through under --allow write_file or --yolo without a person', async () => {
    const outside = tempFolder();
    const cwd = tempFolder();
    const target = path.join(outside, 'written.txt');
    fs.symlinkSync(target, path.join(cwd, 'innocent.txt'));
    for (const policy of [{ allow: new Set(['write_file']) }, { mode: 'yolo' as const }]) {
      const result = await registry(outside, policy).run(call('write_file', { path: 'innocent.txt', content: 'pwned' }), contextFor(cwd));
      expect(result.isError).toBe(true);
      expect(result.content).toMatch(/^denied: write_file would change innocent.txt → .*outside the working folder/);
      expect(fs.existsSync(target)).toBe(false);
    }
  });

  it('when approved, writes the link target the user was shown', async () => {
    const outside = tempFolder();
    const cwd = tempFolder();
    const target = path.join(outside, 'new', 'written.txt');
    fs.symlinkSync(target, path.join(cwd, 'innocent.txt'));
    const { ask, requests } = recordingAsk({ decision: 'once' });
    const result = await registry(outside, { ask }).run(call('write_file', { path: 'innocent.txt', content: 'ok' }), contextFor(cwd));
    expect(result.isError).toBeUndefined();
    expect(requests[0]).toMatchObject({ outsideCwd: true, summary: `innocent.txt → ${target}` });
    expect(fs.readFileSync(target, 'utf8')).toBe('ok');
    expect(fs.lstatSync(path.join(cwd, 'innocent.txt')).isSymbolicLink()).toBe(true);
  });
});

describe('nothing approved up front reaches outside the folder', () => {
  const realHome = process.env.HOME;
  afterEach(() => {
    process.env.HOME = realHome;
  });

  /** Every way of naming a file outside: .., absolute, ~, a symlinked folder. */
  function layout() {
    const home = tempFolder();
    process.env.HOME = home; // the tools expand ~ with os.homedir(), the policy with its home
    const outside = tempFolder({ 'x.txt': 'outside\n' });
    const cwd = tempFolder({ 'in.txt': 'inside\n' });
    fs.symlinkSync(outside, path.join(cwd, 'linked'));
    fs.writeFileSync(path.join(home, 'x.txt'), 'home\n');
    const relative = path.relative(cwd, path.join(outside, 'x.txt'));
    return { home, outside, cwd, forms: [relative, path.join(outside, 'x.txt'), '~/x.txt', 'linked/x.txt'] };
  }

  it('--allow asks again for every tool and every path form outside', async () => {
    const { home, cwd, forms } = layout();
    const { ask, requests } = recordingAsk();
    const tools = registry(home, { ask, allow: new Set(['read_file', 'list_directory', 'find_files', 'search_files', 'write_file', 'edit_file']) });
    const calls: ToolCall[] = forms.flatMap((p) => [
      call('read_file', { path: p }),
      call('list_directory', { path: path.dirname(p) }),
      call('find_files', { pattern: '*', path: path.dirname(p) }),
      call('search_files', { pattern: 'x', path: p }),
      call('write_file', { path: p, content: 'changed' }),
      call('edit_file', { path: p, old_string: 'e\n', new_string: 'E\n' }),
    ]);
    for (const c of calls) {
      expect(await tools.run(c, contextFor(cwd)), `${c.name} ${c.arguments}`).toEqual({ content: 'denied by the user', isError: true });
    }
    expect(requests.map((r) => r.outsideCwd)).toEqual(calls.map(() => true));
    // inside, the same allow set runs without asking
    expect((await tools.run(call('write_file', { path: 'in.txt', content: 'new\n' }), contextFor(cwd))).isError).toBeUndefined();
    expect(requests).toHaveLength(calls.length);
  });

  it('"always" for one file inside does not cover a later write outside', async () => {
    const { home, outside, cwd } = layout();
    const answers: ApprovalDecision[] = [{ decision: 'always' }, { decision: 'deny' }];
    const requests: ApprovalRequest[] = [];
    const tools = registry(home, { ask: async (r) => (requests.push(r), answers.shift()!) });
    await tools.run(call('write_file', { path: 'a.txt', content: 'a' }), contextFor(cwd));
    await tools.run(call('write_file', { path: 'b.txt', content: 'b' }), contextFor(cwd));
    const result = await tools.run(call('write_file', { path: '../' + path.basename(outside) + '/x.txt', content: 'pwned' }), contextFor(cwd));
    expect(result).toEqual({ content: 'denied by the user', isError: true });
    expect(requests.map((r) => r.summary)).toEqual(['a.txt', path.join(outside, 'x.txt')]);
    expect(fs.readFileSync(path.join(outside, 'x.txt'), 'utf8')).toBe('outside\n');
  });

  it('--yolo reads outside without asking, but asks before writing or editing there', async () => {
    const { home, outside, cwd, forms } = layout();
    const { ask, requests } = recordingAsk();
    const tools = registry(home, { mode: 'yolo', ask });
    expect((await tools.run(call('read_file', { path: forms[1] }), contextFor(cwd))).content).toContain('outside');
    expect(requests).toHaveLength(0);
    for (const p of forms) {
      await tools.run(call('write_file', { path: p, content: 'pwned' }), contextFor(cwd));
      await tools.run(call('edit_file', { path: p, old_string: 'e\n', new_string: 'E\n' }), contextFor(cwd));
    }
    expect(requests).toHaveLength(forms.length * 2);
    expect(fs.readFileSync(path.join(outside, 'x.txt'), 'utf8')).toBe('outside\n');
    expect(fs.readFileSync(path.join(home, 'x.txt'), 'utf8')).toBe('home\n');
  });

  it('where nobody can ask, says why and which flag (if any) would allow it', async () => {
    const { home, outside, cwd } = layout();
    const denied: ApprovalRequest[] = [];
    const yolo = registry(home, { mode: 'yolo', onDenied: (r) => denied.push(r) });
    const file = path.join(outside, 'x.txt');
    expect(await yolo.run(call('write_file', { path: file, content: 'y' }), contextFor(cwd))).toEqual({
      content: `denied: write_file would change ${file}, outside the working folder, which always needs the user's approval, and hermes cannot ask here`,
      isError: true,
    });
    const allowed = registry(home, { allow: new Set(['read_file']), onDenied: (r) => denied.push(r) });
    expect((await allowed.run(call('read_file', { path: file }), contextFor(cwd))).content).toMatch(/^denied: read_file reaches outside the working folder .*with --yolo$/);
    expect(denied.map((r) => r.hint)).toEqual([
      'it changes something outside the working folder, which always needs a person',
      'it reaches outside the working folder: allow it with --yolo',
    ]);
  });

  it('does not run a call whose path turned into a link outside while the user was asked', async () => {
    const outside = tempFolder();
    const cwd = tempFolder();
    const tools = registry(outside, {
      ask: async () => {
        fs.symlinkSync(path.join(outside, 'stolen.txt'), path.join(cwd, 'late.txt'));
        return { decision: 'once' };
      },
    });
    const result = await tools.run(call('write_file', { path: 'late.txt', content: 'x' }), contextFor(cwd));
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^not run: what write_file would reach changed while the user was asked/);
    expect(fs.existsSync(path.join(outside, 'stolen.txt'))).toBe(false);
  });
});

describe('writeResolved', () => {
  it('refuses a final symlink that appeared after the check, new or replacing a file', async () => {
    const outside = tempFolder();
    const cwd = tempFolder({ 'old.txt': 'old' });
    for (const name of ['new.txt', 'old.txt']) {
      const real = kernelPath(path.join(cwd, name))!;
      fs.rmSync(real, { force: true });
      fs.symlinkSync(path.join(outside, name), real);
      await expect(writeResolved(real, 'pwned', name)).rejects.toThrow(`${name} changed (a symlink appeared) after it was checked; nothing was written`);
      expect(fs.existsSync(path.join(outside, name))).toBe(false);
    }
  });

  it.runIf(process.platform === 'linux')('refuses a folder swapped for a link after the check', async () => {
    const outside = tempFolder({ 'dir/': '' });
    const cwd = tempFolder({ 'dir/': '' });
    const real = kernelPath(path.join(cwd, 'dir', 'f.txt'))!;
    fs.rmSync(path.join(cwd, 'dir'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'dir'), path.join(cwd, 'dir'));
    await expect(writeResolved(real, 'pwned', 'dir/f.txt')).rejects.toThrow(/changed/);
    expect(fs.readdirSync(path.join(outside, 'dir'))).toEqual([]);
  });

  it('keeps an existing file (and its mode) and replaces its content', async () => {
    const cwd = tempFolder({ 'f.sh': 'long old content\n' });
    fs.chmodSync(path.join(cwd, 'f.sh'), 0o755);
    await writeResolved(path.join(cwd, 'f.sh'), 'new\n', 'f.sh');
    expect(fs.readFileSync(path.join(cwd, 'f.sh'), 'utf8')).toBe('new\n');
    expect(fs.statSync(path.join(cwd, 'f.sh')).mode & 0o777).toBe(0o755);
  });
});
