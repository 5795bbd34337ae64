// `hermes gateway telegram` end to end: the built binary, the real grammY, the fake Bot API and
// the loopback fake LLM. What a person in the chat sees, what reaches the model and the disk.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conversationOf, runHermes } from '../e2e/helpers.js';
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

    // The same conversation opens in a terminal.
    const { sessions } = JSON.parse(fs.readFileSync(`${run.hermesHome}/gateway/telegram.json`, 'utf8'));
    const resumed = await runHermes(['-p', 'and more', '--resume', sessions[String(OWNER)], '--base-url', run.llm.baseURL, '-m', 'gpt-4o'], {
      env: { HOME: run.cwd, HERMES_HOME: run.hermesHome },
      cwd: run.cwd,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(conversationOf(run.llm.requests[1]!.json).map((m: any) => m.content)).toEqual(['say hello', ANSWER, 'and more']);
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

/** The first frames of an answer, then silence: the answer is still streaming when the test acts. */
function hangingAnswer(tokens: string[]) {
  return { kind: 'stream' as const, chunks: chatTextFrames(tokens).slice(0, tokens.length + 1), hang: true };
}

describe('stopping answers', () => {
  it('/stop closes the provider connection at once; the partial answer stays in the chat and in the session, marked interrupted', async () => {
    const run = await gateway.start({ script: [hangingAnswer(['Partial', ' answer', ' that goes on and on'])] });
    run.fake.pushPrivateMessage(OWNER, 'tell me a long story');
    await until(() => (lastText(run.fake, OWNER) ?? '').startsWith('Partial answer that goes on and on'), 'the partial answer');
    const request = run.llm.requests[0]!;
    // When the fake handed /stop to the gateway (its long poll answered with it).
    const delivered = run.fake
      .waitForCall('getUpdates', (c) => (c.response.result ?? []).some((u: any) => u.message?.text === '/stop'))
      .then(() => performance.now());
    run.fake.pushPrivateMessage(OWNER, '/stop');
    const closedAt = await request.closed;
    // The bound is 100 ms; on a shared, loaded machine it is checked with a generous margin.
    const latency = closedAt - (await delivered);
    expect(latency).toBeLessThan(500);
    await until(() => (lastText(run.fake, OWNER) ?? '').endsWith('⏹ stopped'), 'the stopped note');
    expect(lastText(run.fake, OWNER)).toBe('Partial answer that goes on and on\n\n⏹ stopped');
    await stopGateway(run);
    const [file] = sessionFiles(run.hermesHome);
    const assistant = sessionRecords(file!).filter((r) => r.type === 'message' && r.message.role === 'assistant');
    expect(assistant.map((r) => [r.message.content, r.message.interrupted])).toEqual([['Partial answer that goes on and on', true]]);
  });

  it('SIGTERM mid-answer: the answer says it was stopped, the offset is confirmed, and after a restart no update is handled twice', async () => {
    const script = (n: number) => (n === 1 ? hangingAnswer(['Half', ' of it']) : { kind: 'stream' as const, chunks: chatTextFrames(['Second', ' answer']) });
    const first = await gateway.start({ script });
    const update = first.fake.pushPrivateMessage(OWNER, 'first question');
    await until(() => (lastText(first.fake, OWNER) ?? '').startsWith('Half of it'), 'the partial answer');
    const result = await stopGateway(first);
    expect(result.code).toBe(0);
    expect(lastText(first.fake, OWNER)).toBe('Half of it\n\n⏹ stopped: the gateway is shutting down');
    expect(first.fake.botMessages(OWNER)).toHaveLength(1);
    expect(first.fake.updates.pending()).toEqual([]);
    void update;

    const second = await gateway.start({ script, reuseFake: first.fake, reuseLlm: first.llm, hermesHome: first.hermesHome });
    second.fake.pushPrivateMessage(OWNER, 'second question');
    await until(() => lastText(second.fake, OWNER) === 'Second answer', 'the second answer');
    expect(second.llm.requests).toHaveLength(2);
    // The same conversation goes on: the stopped exchange is in the second request's history.
    expect(conversationOf(second.llm.requests[1]!.json).map((m: any) => [m.role, m.content])).toEqual([
      ['user', 'first question'],
      ['assistant', 'Half of it'],
      ['user', 'second question'],
    ]);
    expect(second.fake.botMessages(OWNER).map((m) => m.text)).toEqual(['Half of it\n\n⏹ stopped: the gateway is shutting down', 'Second answer']);
    await stopGateway(second);
    expect(sessionFiles(first.hermesHome)).toHaveLength(1);
  });
});

describe('chats do not hold each other up', () => {
  it('a reply waiting out one chat\'s retry_after does not delay another chat', async () => {
    const run = await gateway.start({ allowed: [OWNER, FRIEND], script: [{ kind: 'stream', chunks: chatTextFrames(['hello']) }] });
    run.fake.privateChat(OWNER);
    run.fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 4', parameters: { retry_after: 4 } }, OWNER);
    run.fake.pushPrivateMessage(OWNER, '/help');
    await until(() => run.fake.callsTo(OWNER, 'sendMessage').some((c) => c.status === 429), 'the 429');
    run.fake.pushPrivateMessage(FRIEND, 'hi');
    await until(() => lastText(run.fake, FRIEND) === 'hello', 'the other chat is answered');
    // The first chat's reply is still waiting for its retry_after.
    expect(run.fake.botMessages(OWNER)).toEqual([]);
    await until(() => (lastText(run.fake, OWNER) ?? '').includes('/new'), 'the help, after the wait');
  });
});

describe('failures', () => {
  it('a stream that breaks mid-answer: the partial text stays, one warning line says what happened, the gateway goes on', async () => {
    const run = await gateway.start({
      script: (n) =>
        n === 1 ? { kind: 'stream', chunks: chatTextFrames(['Begun', ' and']).slice(0, 3), drop: true } : { kind: 'stream', chunks: chatTextFrames(['Fine', ' now']) },
    });
    run.fake.pushPrivateMessage(OWNER, 'first');
    await until(() => (lastText(run.fake, OWNER) ?? '').includes('⚠️'), 'the warning');
    expect(lastText(run.fake, OWNER)).toMatch(/^Begun and\n\n⚠️ \S/);
    run.fake.pushPrivateMessage(OWNER, 'again');
    await until(() => lastText(run.fake, OWNER) === 'Fine now', 'the next answer');
    const result = await stopGateway(run);
    expect(result.stderr).toMatch(/chat 4242 user 4242: error in/);
  });
});

describe('messages while an answer streams', () => {
  it('are queued and answered next (gateway.busy: queue, the default)', async () => {
    const run = await gateway.start({
      script: (n) => ({ kind: 'stream', chunks: chatTextFrames(n === 1 ? ['One', ' two', ' three', ' four', ' five'] : ['Next']), delayMs: n === 1 ? 150 : 0 }),
    });
    run.fake.pushPrivateMessage(OWNER, 'count');
    await until(() => run.llm.requests.length === 1 && lastText(run.fake, OWNER) !== undefined, 'the first answer begins');
    run.fake.pushPrivateMessage(OWNER, 'and then?');
    await until(() => run.fake.botMessages(OWNER).length === 2 && lastText(run.fake, OWNER) === 'Next', 'the queued answer');
    expect(run.fake.botMessages(OWNER).map((m) => m.text)).toEqual(['One two three four five', 'Next']);
    const [firstReq, secondReq] = run.llm.requests;
    expect(await Promise.race([firstReq!.closed, Promise.resolve(-1)])).not.toBe(-1);
    expect(conversationOf(secondReq!.json).map((m: any) => m.content)).toEqual(['count', 'One two three four five', 'and then?']);
  });

  it('stop the running answer with gateway.busy: interrupt', async () => {
    const run = await gateway.start({
      gateway: { busy: 'interrupt' },
      script: (n) => (n === 1 ? hangingAnswer(['Going', ' on']) : { kind: 'stream', chunks: chatTextFrames(['Fresh']) }),
    });
    run.fake.pushPrivateMessage(OWNER, 'first');
    await until(() => (lastText(run.fake, OWNER) ?? '').startsWith('Going on'), 'the first answer');
    run.fake.pushPrivateMessage(OWNER, 'actually, this');
    await until(() => lastText(run.fake, OWNER) === 'Fresh', 'the second answer');
    expect(run.fake.botMessages(OWNER).map((m) => m.text)).toEqual(['Going on\n\n⏹ stopped: a new message came in', 'Fresh']);
  });
});

describe('updates across a crash', () => {
  it('an update delivered again after a crash (its offset never confirmed) is not answered twice', async () => {
    const script = (n: number) => ({ kind: 'stream' as const, chunks: chatTextFrames([`answer ${n}`]) });
    const first = await gateway.start({ script });
    // The poll after the one that delivers the message fails (grammY waits 3 s to try again),
    // so the update is still unconfirmed when the process dies.
    await until(() => first.fake.updates.waiting === 1, 'a long poll');
    first.fake.failNext('getUpdates', 'network');
    first.fake.pushPrivateMessage(OWNER, 'question');
    await until(() => lastText(first.fake, OWNER) === 'answer 1', 'the answer');
    await until(() => first.fake.calls.some((c) => c.method === 'getUpdates' && c.status === 0), 'the failed poll');
    first.hermes.child.kill('SIGKILL');
    await first.hermes.result;
    expect(first.fake.updates.pending()).toHaveLength(1);

    const second = await gateway.start({ script, reuseFake: first.fake, reuseLlm: first.llm, hermesHome: first.hermesHome });
    await until(() => first.fake.updates.pending().length === 0, 'the redelivery is confirmed');
    second.fake.pushPrivateMessage(OWNER, 'another');
    await until(() => lastText(second.fake, OWNER) === 'answer 2', 'the next answer');
    expect(second.llm.requests.map((r) => r.json.messages.at(-1).content)).toEqual(['question', 'another']);
    expect(second.fake.botMessages(OWNER).map((m) => m.text)).toEqual(['answer 1', 'answer 2']);
  });
});

describe('chat commands and conversations', () => {
  it('/help, /model, /usage and /new; a new session after /new; each forum topic its own session', async () => {
    const run = await gateway.start({ script: (n) => ({ kind: 'stream', chunks: chatTextFrames([`reply ${n}`], { usage: true }) }) });
    const say = async (text: string, expected: (t: string) => boolean) => {
      run.fake.pushPrivateMessage(OWNER, text);
      await until(() => expected(lastText(run.fake, OWNER) ?? ''), `the reply to ${text}`);
      return lastText(run.fake, OWNER)!;
    };
    expect(await say('/help', (t) => t.includes('/new'))).toContain('/stop');
    expect(await say('/model', (t) => t.startsWith('Model:'))).toContain('gpt-4o');
    expect(await say('/model gpt-4.1', (t) => t.startsWith('Model switched'))).toContain('gpt-4.1');
    await say('first', (t) => t === 'reply 1');
    expect(run.llm.requests[0]!.json.model).toBe('gpt-4.1');
    expect(await say('/usage', (t) => t.startsWith('This conversation'))).toMatch(/12 input and 1 output tokens in 1 request/);
    expect(await say('/new', (t) => t.startsWith('New conversation'))).toMatch(/session [0-9a-z]+\)/);
    await say('second', (t) => t === 'reply 2');
    expect(conversationOf(run.llm.requests[1]!.json).map((m: any) => m.content)).toEqual(['second']);

    const FORUM = -100123;
    run.fake.groupChat(FORUM, 'supergroup', { forum: true });
    run.fake.pushGroupMessage(FORUM, OWNER, 'in topic 3', { mention: true, threadId: 3 });
    await until(() => run.fake.botMessages(FORUM).length === 1, 'the topic answer');
    run.fake.pushGroupMessage(FORUM, OWNER, 'in topic 5', { mention: true, threadId: 5 });
    await until(() => run.fake.botMessages(FORUM).length === 2, 'the other topic answer');
    expect(run.fake.botMessages(FORUM).map((m) => m.threadId)).toEqual([3, 5]);
    expect(conversationOf(run.llm.requests[3]!.json).map((m: any) => m.content)).toEqual(['in topic 5']);
    await stopGateway(run);
    // Two sessions for the private chat (before and after /new), one per topic.
    expect(sessionFiles(run.hermesHome)).toHaveLength(4);
    const state = JSON.parse(fs.readFileSync(`${run.hermesHome}/gateway/telegram.json`, 'utf8'));
    expect(Object.keys(state.sessions).sort()).toEqual([`${FORUM}:3`, `${FORUM}:5`, `${OWNER}`]);
  });
});

describe('the system prompt in a chat', () => {
  const scope = gatewayScope();
  it("tells the model it is talked to in a chat, with the working folder and the tools", async () => {
    const run = await scope.start({ script: [{ kind: 'stream', chunks: chatTextFrames(['Hi.']) }] });
    run.fake.pushPrivateMessage(OWNER, 'who are you?');
    await until(() => run.llm.requests.length === 1, 'the model request');
    const system = run.llm.requests[0]!.json.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/^You are hermes, an AI assistant the user talks to in a chat/);
    expect(system.content).toContain('Working folder: ');
    expect(system.content).toContain('Tools: read_file');
    await stopGateway(run);
  });
});
