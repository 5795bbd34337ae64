// `hermes gateway telegram` end to end: the built binary, the real grammY, the fake Bot API and
// the loopback fake LLM. What a person in the chat sees, what reaches the model and the disk.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatTextFrames } from '../support/wire/openai-chat.js';
import { FRIEND, gatewayScope, lastText, OWNER, sessionFiles, sessionRecords, STRANGER, stopGateway, until } from './harness.js';

const gateway = gatewayScope();

const ANSWER_TOKENS = ['Hello', ' there', ', this', ' is', ' hermes', ' speaking', ' from', ' the', ' loopback', '.'];
const ANSWER = ANSWER_TOKENS.join('');
const GROUP = -100555;

describe('hermes gateway telegram', () => {
  it('prints the start line, answers an allowed user by editing one message, and stores the chat as a session', async () => {
    const run = await gateway.start({ script: [{ kind: 'stream', chunks: chatTextFrames(ANSWER_TOKENS, { usage: true }), delayMs: 60 }] });
    expect(run.hermes.stdoutChunks.map((c) => c.text).join('')).toBe(`hermes gateway: @${run.fake.bot.username}, 1 allowed user\n`);
    run.fake.pushPrivateMessage(OWNER, 'say hello');
    await until(() => lastText(run.fake, OWNER) === ANSWER, 'the final text');
    expect(run.fake.botMessages(OWNER)).toHaveLength(1);
    expect(run.llm.requests[0]!.json.messages.at(-1)).toMatchObject({ role: 'user', content: 'say hello' });

    const result = await stopGateway(run);
    expect(result.code).toBe(0);
    // One log line for the message: ids, duration, tokens; never the text or the token.
    expect(result.stderr).toMatch(/chat 4242 user 4242: completed in \d+\.\d s, 12 in \/ 10 out tokens/);
    expect(result.stderr).not.toContain('say hello');
    expect(result.stderr).not.toContain(run.fake.token);
    const files = sessionFiles(run.hermesHome);
    expect(files).toHaveLength(1);
    const messages = sessionRecords(files[0]!).filter((r) => r.type === 'message').map((r) => r.message);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'say hello'],
      ['assistant', ANSWER],
    ]);
  });

  it('refuses a user who is not on the allow list: one notice naming their id per hour, nothing reaches the model or a session', async () => {
    const run = await gateway.start({ script: [{ kind: 'stream', chunks: chatTextFrames(['no']) }] });
    run.fake.pushPrivateMessage(STRANGER, 'let me in');
    await until(() => run.fake.botMessages(STRANGER).length === 1, 'the notice');
    expect(lastText(run.fake, STRANGER)).toContain(String(STRANGER));
    run.fake.pushPrivateMessage(STRANGER, 'please');
    run.fake.pushPrivateMessage(OWNER, 'hi');
    await until(() => lastText(run.fake, OWNER) === 'no', 'the owner is answered');
    expect(run.fake.botMessages(STRANGER)).toHaveLength(1);
    expect(run.llm.requests).toHaveLength(1);
    expect(run.llm.requests[0]!.body).not.toContain('let me in');
    expect(run.llm.requests[0]!.body).not.toContain('please');
    const result = await stopGateway(run);
    const stored = sessionFiles(run.hermesHome).map((f) => fs.readFileSync(f, 'utf8')).join('');
    expect(stored).not.toContain('let me in');
    expect(stored).not.toContain('please');
    expect(result.stderr).toContain(`chat ${STRANGER} user ${STRANGER}: not on the allow list`);
  });

  it('in a group answers only allowed users who mention the bot or reply to it', async () => {
    const run = await gateway.start({
      script: (n) => ({ kind: 'stream', chunks: chatTextFrames([`answer ${n}`]) }),
      allowed: [OWNER, FRIEND],
    });
    run.fake.groupChat(GROUP, 'supergroup');
    run.fake.pushGroupMessage(GROUP, OWNER, 'talking among ourselves');
    run.fake.pushGroupMessage(GROUP, OWNER, 'what is 2+2?', { mention: true });
    await until(() => lastText(run.fake, GROUP) === 'answer 1', 'the first answer');
    run.fake.pushGroupMessage(GROUP, FRIEND, 'and 3+3?', { replyTo: true });
    await until(() => lastText(run.fake, GROUP) === 'answer 2', 'the reply is answered');
    expect(run.llm.requests).toHaveLength(2);
    expect(run.llm.requests[0]!.json.messages.at(-1).content).toBe('what is 2+2?');
    expect(run.llm.requests[1]!.body).not.toContain('talking among ourselves');
  });
});
