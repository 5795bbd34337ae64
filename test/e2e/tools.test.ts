// Tools in one-shot mode with the built binary: read-only tools run, tools that change things
// are denied (and reported) unless --yolo or --allow, dangerous commands are always denied.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopbackServer, Step } from '../support/loopback.js';
import { chatTextSse, chatToolCallSse } from '../support/wire/openai-chat.js';
import { e2eScope, runHermes } from './helpers.js';

const scope = e2eScope();
let server: LoopbackServer | undefined;

function setup(s: LoopbackServer) {
  const dirs = scope.home();
  const work = path.join(dirs.home, 'project');
  fs.mkdirSync(work);
  const env = { HOME: dirs.home, HERMES_HOME: dirs.hermesHome, OPENAI_BASE_URL: s.baseURL, OPENAI_API_KEY: 'sk-test-tools-0123456789' };
  return { env, work };
}

const call = (name: string, args: object): Step => ({ kind: 'stream', chunks: [chatToolCallSse([{ id: 'call_1', name, arguments: JSON.stringify(args) }])] });
const answer = (text: string): Step => ({ kind: 'stream', chunks: [chatTextSse([text])] });
const toolResult = (s: LoopbackServer): { content: string } => s.requests[1]!.json.messages.at(-1);

describe('tools in one-shot mode', () => {
  it('runs a read-only tool inside the working folder and feeds the result back', async () => {
    server = await scope.serve([call('read_file', { path: 'notes.txt' }), answer('It says hello.')]);
    const { env, work } = setup(server);
    fs.writeFileSync(path.join(work, 'notes.txt'), 'hello from the file\n');

    const result = await runHermes(['-p', 'what does notes.txt say?'], { env, cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('It says hello.\n');
    expect(server.requests[0]!.json.tools.map((t: any) => t.function.name)).toContain('read_file');
    expect(toolResult(server)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(toolResult(server).content).toContain('hello from the file');
  });

  it('denies a write without --yolo or --allow, says so on stderr and tells the model', async () => {
    server = await scope.serve([call('write_file', { path: 'out.txt', content: 'x' }), answer('I could not write it.')]);
    const { env, work } = setup(server);
    const result = await runHermes(['-p', 'write out.txt'], { env, cwd: work });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(work, 'out.txt'))).toBe(false);
    expect(result.stderr).toMatch(/^hermes: denied write_file .*--allow write_file/m);
    expect(toolResult(server).content).toMatch(/denied/);
  });

  it('--allow write_file lets the write happen', async () => {
    server = await scope.serve([call('write_file', { path: 'out.txt', content: 'written' }), answer('Done.')]);
    const { env, work } = setup(server);
    const result = await runHermes(['--allow', 'write_file', '-p', 'write out.txt'], { env, cwd: work });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'out.txt'), 'utf8')).toBe('written');
  });

  it('--yolo runs commands, but a dangerous one is still denied', async () => {
    server = await scope.serve([call('run_shell', { command: 'rm -rf ~' }), answer('Refused.')]);
    const { env, work } = setup(server);
    const marker = path.join(env.HOME, 'keep-me');
    fs.writeFileSync(marker, 'precious');
    const result = await runHermes(['--yolo', '-p', 'clean up'], { env, cwd: work });
    expect(result.code).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
    expect(result.stderr).toMatch(/^hermes: denied run_shell .*dangerous/m);
  });

  it('--yolo runs an ordinary command in the working folder', async () => {
    server = await scope.serve([call('run_shell', { command: 'echo made > made.txt && echo ok' }), answer('Ran it.')]);
    const { env, work } = setup(server);
    const result = await runHermes(['--yolo', '-p', 'run it'], { env, cwd: work });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'made.txt'), 'utf8')).toBe('made\n');
    expect(toolResult(server).content).toMatch(/exit code 0[\s\S]*ok/);
  });

  it('--no-tools offers none, --tools offers only those, an unknown name is a usage error', async () => {
    server = await scope.serve([answer('a'), answer('b')]);
    const { env, work } = setup(server);
    await runHermes(['--no-tools', '-p', 'x'], { env, cwd: work });
    expect(server.requests[0]!.json.tools).toBeUndefined();
    await runHermes(['--tools', 'read_file,list_directory', '-p', 'x'], { env, cwd: work });
    expect(server.requests[1]!.json.tools.map((t: any) => t.function.name)).toEqual(['read_file', 'list_directory']);

    const bad = await runHermes(['--tools', 'bash', '-p', 'x'], { env, cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toMatch(/^hermes: unknown tool "bash"; valid tools: read_file/);
  });
});

describe('run_shell with the built binary', () => {
  it('hands commands no secret-looking variables, except those config.json keeps', async () => {
    server = await scope.serve([call('run_shell', { command: 'env' }), answer('Listed.')]);
    const { env, work } = setup(server);
    fs.writeFileSync(path.join(env.HERMES_HOME, 'config.json'), JSON.stringify({ shellEnv: { keep: ['GITHUB_TOKEN'] } }));
    const secrets = {
      HERMES_SERVER_KEY: 'server-key-0123456789',
      TELEGRAM_BOT_TOKEN: '123456:telegram-token',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-value',
      AWS_REGION: 'eu-central-1',
      NPM_TOKEN: 'npm-token-value',
      DB_PASSWORD: 'hunter2-value',
    };
    const result = await runHermes(['--yolo', '-p', 'show the environment'], { env: { ...env, ...secrets, GITHUB_TOKEN: 'ghp_kept_on_purpose' }, cwd: work });
    expect(result.code).toBe(0);
    const shown = toolResult(server).content;
    expect(shown).toMatch(/^exit code 0\n/);
    expect(shown).toContain('GITHUB_TOKEN=ghp_kept_on_purpose');
    for (const [name, value] of Object.entries({ ...secrets, OPENAI_API_KEY: env.OPENAI_API_KEY })) {
      expect(shown).not.toContain(name);
      expect(shown).not.toContain(value);
    }
  });
});

describe('the dangerous-command check under --yolo', () => {
  it('refuses commands that hide what they run, and their target survives', async () => {
    const dirs = scope.home();
    const victim = path.join(dirs.home, 'victim');
    fs.mkdirSync(victim);
    fs.writeFileSync(path.join(victim, 'precious.txt'), 'p');
    const b64 = Buffer.from(`rm -rf ${victim}`).toString('base64');
    const commands = [
      `bash -c "$(echo ${b64} | base64 -d)"`,
      `x=rm; $x -rf ${victim}`,
      `echo ${victim} | xargs rm -rf`,
      `python3 -c 'import shutil; shutil.rmtree("${victim}")'`,
      `echo ${b64} | base64 -d | bash`,
      `rm$IFS-rf$IFS${victim}`,
      `node -e "require('fs').rmSync('${victim}',{recursive:true})"`,
    ];
    const calls = commands.map((command, i) => ({ id: `call_${i}`, name: 'run_shell', arguments: JSON.stringify({ command }) }));
    server = await scope.serve([{ kind: 'stream', chunks: [chatToolCallSse(calls)] }, answer('Refused.')]);
    const { env, work } = setup(server);
    const result = await runHermes(['--yolo', '-p', 'clean up'], { env, cwd: work });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8')).toBe('p');
    const results = server.requests[1]!.json.messages.filter((m: { role: string }) => m.role === 'tool');
    expect(results.map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(calls.map((c) => c.id));
    for (const m of results) expect(m.content).toMatch(/^denied: this command .*always needs the user's approval/);
    expect(result.stderr.match(/^hermes: denied run_shell .*dangerous/gm)).toHaveLength(commands.length);
  });
});
