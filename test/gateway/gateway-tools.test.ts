// Tools through the gateway, end to end: read-only tools run without asking, a call that needs
// approval asks in the chat with buttons only the asking user can press, no answer denies,
// dangerous commands are refused, progress is one status message, and neither reasoning nor
// tool-call arguments reach the chat.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VisibleMessage } from '../support/telegram/fake-bot-api.js';
import { chatTextFrames, chatToolCallFrames } from '../support/wire/openai-chat.js';
import { FRIEND, gatewayScope, lastText, OWNER, until } from './harness.js';

const gateway = gatewayScope();
const GROUP = -100999;

function buttonsOf(message: VisibleMessage | undefined): { text: string; callback_data: string }[] {
  return ((message?.replyMarkup as any)?.inline_keyboard ?? []).flat();
}

function question(messages: VisibleMessage[]): VisibleMessage | undefined {
  return messages.find((m) => buttonsOf(m).length > 0);
}

const toolThenText = (call: { id: string; name: string; arguments: string }, answer: string[], textBefore?: string[]) => (n: number) =>
  n === 1
    ? { kind: 'stream' as const, chunks: chatToolCallFrames([call], { textBefore }) }
    : { kind: 'stream' as const, chunks: chatTextFrames(answer, { reasoning: ['secret ', 'thoughts'] }) };

describe('tools in a chat', () => {
  it('a read-only tool runs without asking; one status line; no reasoning and no arguments in the chat', async () => {
    const run = await gateway.start({ script: toolThenText({ id: 'call_1', name: 'list_directory', arguments: '{"path":"."}' }, ['There', ' is', ' one', ' file.'], ['Let me look.']) });
    fs.writeFileSync(path.join(run.cwd, 'notes.txt'), 'x');
    run.fake.pushPrivateMessage(OWNER, 'what is here?');
    await until(() => lastText(run.fake, OWNER) === 'There is one file.', 'the final answer');
    const texts = run.fake.botMessages(OWNER).map((m) => m.text);
    expect(texts).toEqual(['Let me look.', '✅ list_directory done', 'There is one file.']);
    for (const call of run.fake.calls) expect(JSON.stringify(call.params)).not.toMatch(/secret|thoughts|\{\\?"path/);
    expect(run.llm.requests[1]!.body).toContain('notes.txt');
  });

  it('asks for approval in the chat; only the asking user can press the buttons; Approve runs the tool', async () => {
    const run = await gateway.start({
      allowed: [OWNER, FRIEND],
      script: toolThenText({ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command: 'echo "approved ${TELEGRAM_BOT_TOKEN:-without the token}" > out.txt' }) }, ['Done.']),
    });
    run.fake.groupChat(GROUP, 'supergroup');
    run.fake.pushGroupMessage(GROUP, OWNER, 'write the file', { mention: true });
    await until(() => question(run.fake.botMessages(GROUP)) !== undefined, 'the question');
    const asked = question(run.fake.botMessages(GROUP))!;
    expect(asked.text).toContain('run_shell');
    expect(asked.text).toContain('echo "approved ${TELEGRAM_BOT_TOKEN:-without the token}" > out.txt');
    const buttons = buttonsOf(asked);
    expect(buttons.map((b) => b.text)).toEqual(['Approve', 'Always for this chat', 'Deny']);

    const friendPress = run.fake.pushCallbackQuery(FRIEND, GROUP, asked.messageId, buttons[0]!.callback_data);
    await until(() => run.fake.callbackAnswer(friendPress) !== undefined, 'the notice to the other user');
    expect(run.fake.callbackAnswer(friendPress)!.text).toMatch(/only the person/i);
    expect(fs.existsSync(path.join(run.cwd, 'out.txt'))).toBe(false);
    expect(run.llm.requests).toHaveLength(1);

    const ownerPress = run.fake.pushCallbackQuery(OWNER, GROUP, asked.messageId, buttons[0]!.callback_data);
    await until(() => lastText(run.fake, GROUP) === 'Done.', 'the answer after the tool');
    expect(run.fake.callbackAnswer(ownerPress)!.text).toBe('Approved');
    // The bot token is not in the commands' environment.
    expect(fs.readFileSync(path.join(run.cwd, 'out.txt'), 'utf8')).toBe('approved without the token\n');
    // The buttons are gone once answered.
    expect(buttonsOf(run.fake.botMessages(GROUP).find((m) => m.messageId === asked.messageId))).toEqual([]);
    expect(run.fake.botMessages(GROUP).map((m) => m.text)).toContain('✅ run_shell done');
  });

  it('no decision within the approval timeout denies the call', async () => {
    const run = await gateway.start({
      gateway: { approvalTimeout: 0.3 },
      script: toolThenText({ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command: 'touch never.txt' }) }, ['Not', ' done.']),
    });
    run.fake.pushPrivateMessage(OWNER, 'touch it');
    await until(() => lastText(run.fake, OWNER) === 'Not done.', 'the answer after the denial');
    expect(fs.existsSync(path.join(run.cwd, 'never.txt'))).toBe(false);
    const toolResult = run.llm.requests[1]!.json.messages.find((m: any) => m.role === 'tool');
    expect(toolResult.content).toMatch(/denied.*nobody answered within/);
    expect(buttonsOf(question(run.fake.botMessages(OWNER)))).toEqual([]);
    expect(run.fake.botMessages(OWNER).map((m) => m.text)).toContain('🚫 run_shell denied');
  });

  it('refuses a dangerous command without asking unless gateway.allowDangerous is set', async () => {
    const run = await gateway.start({
      script: toolThenText({ id: 'call_1', name: 'run_shell', arguments: JSON.stringify({ command: 'rm -rf ~' }) }, ['Refused.']),
    });
    run.fake.pushPrivateMessage(OWNER, 'clean up');
    await until(() => lastText(run.fake, OWNER) === 'Refused.', 'the answer');
    expect(question(run.fake.botMessages(OWNER))).toBeUndefined();
    const toolResult = run.llm.requests[1]!.json.messages.find((m: any) => m.role === 'tool');
    expect(toolResult.content).toMatch(/refused in a chat/);
  });

  it('shows a long diff cut with "… N more lines" and attaches the whole diff as a file', async () => {
    const content = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const run = await gateway.start({
      script: toolThenText({ id: 'call_1', name: 'write_file', arguments: JSON.stringify({ path: 'long.txt', content }) }, ['ok']),
    });
    run.fake.pushPrivateMessage(OWNER, 'write it');
    await until(() => question(run.fake.botMessages(OWNER)) !== undefined, 'the question');
    const asked = question(run.fake.botMessages(OWNER))!;
    expect(asked.text).toMatch(/… \d+ more lines/);
    const document = run.fake.botMessages(OWNER).find((m) => m.document)?.document;
    expect(document?.fileName).toBe('change.diff');
    expect(document!.content.toString('utf8')).toContain('+line 50');
  });
});
