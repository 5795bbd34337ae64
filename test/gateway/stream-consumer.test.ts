// The transport-agnostic stream consumer against an in-memory chat on a hand-moved clock.

import { describe, expect, it } from 'vitest';
import { ChatBudget } from '../../src/gateway/chat-budget.js';
import { MessageGoneError, RateLimitedError } from '../../src/gateway/chat-transport.js';
import { StreamConsumer, type StreamConsumerOptions } from '../../src/gateway/stream-consumer.js';
import { renderTelegram } from '../../src/gateway/telegram-format.js';
import { FakeClock } from '../support/fake-clock.js';
import { MemoryChat, type MemoryChatOptions } from '../support/memory-chat.js';
import { ANSWERS } from './answers.js';

const CURSOR = ' ▉';

function setup(chatOptions: MemoryChatOptions = {}, options: Partial<StreamConsumerOptions> = {}, budget = { perSecond: 1 }) {
  const clock = new FakeClock();
  const chat = new MemoryChat(clock, chatOptions);
  const consumer = new StreamConsumer({ transport: chat, budget: new ChatBudget({ ...budget, clock }), clock, ...options });
  return { clock, chat, consumer };
}

/** Streams text in `size`-character deltas, one every `everyMs`. */
async function stream(clock: FakeClock, consumer: StreamConsumer, text: string, size = 5, everyMs = 50): Promise<void> {
  for (let i = 0; i < text.length; i += size) {
    consumer.push(text.slice(i, i + size));
    await clock.advance(everyMs);
  }
}

/** finish(), with the clock moving so the final delivery can wait for the budget. */
async function finish(clock: FakeClock, consumer: StreamConsumer, options: Parameters<StreamConsumer['finish']>[0] = {}) {
  let done = false;
  const delivered = consumer.finish(options).finally(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) await clock.advance(100);
  return delivered;
}

/** The invariants every answer keeps, whatever happened on the way. */
function expectDelivered(chat: MemoryChat, answer: string): void {
  expect(chat.renderedTranscript()).toBe(renderTelegram(answer).text);
  for (const m of chat.messages) expect(m.text.endsWith(CURSOR)).toBe(false);
  expect(chat.calls.filter((c) => c.identical)).toEqual([]);
}

/** No two budgeted calls that went through closer than 1 s (the budget of a private chat). */
function expectWithinBudget(chat: MemoryChat, perSecond = 1): void {
  const times = chat.messageCalls().map((c) => c.at);
  for (let i = perSecond; i < times.length; i++) expect(times[i]! - times[i - perSecond]!).toBeGreaterThanOrEqual(1000);
}

describe('the first message', () => {
  it('shows "typing…" from the start, renewed every 4 s, until the first message', async () => {
    const { clock, chat, consumer } = setup();
    await clock.advance(9000);
    expect(chat.calls.map((c) => [c.kind, c.at])).toEqual([['typing', 0], ['typing', 4000], ['typing', 8000]]);
    consumer.push('Hello there, this is more than twenty');
    await clock.advance(10);
    await clock.advance(8000);
    expect(chat.calls.filter((c) => c.kind === 'typing')).toHaveLength(3);
    await finish(clock, consumer);
  });

  it('goes out as soon as 20 characters have arrived, with the cursor', async () => {
    const { clock, chat, consumer } = setup();
    consumer.push('0123456789');
    await clock.advance(100);
    expect(chat.messages).toEqual([]);
    consumer.push('0123456789');
    await clock.advance(0);
    expect(chat.calls.at(-1)).toMatchObject({ kind: 'send', at: 100, text: `01234567890123456789${CURSOR}` });
  });

  it('or 1 s after the first token when fewer have arrived', async () => {
    const { clock, chat, consumer } = setup();
    await clock.advance(300);
    consumer.push('Hi');
    await clock.advance(999);
    expect(chat.messages).toEqual([]);
    await clock.advance(1);
    expect(chat.calls.at(-1)).toMatchObject({ kind: 'send', at: 1300, text: `Hi${CURSOR}` });
    await finish(clock, consumer);
    expect(chat.messages.map((m) => m.text)).toEqual(['Hi']);
  });
});

describe('streaming by edits', () => {
  it('edits at most every interval with the cursor; the final edit has none and the text is exact', async () => {
    const { clock, chat, consumer } = setup({}, { editIntervalMs: 1000 });
    const answer = ANSWERS.code!;
    await stream(clock, consumer, answer);
    const delivered = await finish(clock, consumer);
    expect(chat.messages).toHaveLength(1);
    expect(chat.messages[0]!.text).toBe(answer);
    expect(delivered).toEqual([{ ref: { id: '1' }, text: answer }]);
    const edits = chat.calls.filter((c) => c.kind === 'edit');
    expect(edits.length).toBeGreaterThan(5);
    expect(edits.slice(0, -1).every((c) => c.text!.endsWith(CURSOR))).toBe(true);
    for (let i = 1; i < edits.length - 1; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(1000);
    expectDelivered(chat, answer);
    expectWithinBudget(chat);
  });

  it('never sends an edit identical to what the chat shows (nothing new, nothing sent)', async () => {
    const { clock, chat, consumer } = setup();
    consumer.push('A steady answer of some length');
    await clock.advance(5000);
    const calls = chat.messageCalls().length;
    await clock.advance(5000);
    expect(chat.messageCalls()).toHaveLength(calls);
    consumer.push('.');
    await clock.advance(1000);
    await finish(clock, consumer);
    expectDelivered(chat, 'A steady answer of some length.');
  });

  it('an interim edit the budget has no room for is skipped; the final one waits for it', async () => {
    const { clock, chat, consumer } = setup({}, { editIntervalMs: 100 }, { perSecond: 1 });
    await stream(clock, consumer, 'x'.repeat(200), 10, 20);
    const before = chat.messageCalls().length;
    consumer.push(' and the end');
    await finish(clock, consumer);
    expect(chat.messageCalls().length).toBe(before + 1);
    expectDelivered(chat, `${'x'.repeat(200)} and the end`);
    expectWithinBudget(chat);
  });

  it('an answer longer than a message continues in new ones, each finalised with its head', async () => {
    const { clock, chat, consumer } = setup({ maxLength: 300 });
    const answer = Object.values(ANSWERS).join('\n\n');
    await stream(clock, consumer, answer, 7, 40);
    await finish(clock, consumer);
    expect(chat.messages.length).toBeGreaterThan(3);
    for (const m of chat.messages) expect(renderTelegram(m.text).text.length).toBeLessThanOrEqual(300);
    expectDelivered(chat, answer);
    expectWithinBudget(chat);
  });
});

describe('flood control', () => {
  it('a 429 pauses every call to the chat (typing too); the final delivery waits it out', async () => {
    const { clock, chat, consumer } = setup({}, { typingIntervalMs: 500, firstMessageChars: 1000, firstMessageMs: 5000 });
    chat.failNext('typing', () => new RateLimitedError(3000));
    consumer.push('short');
    await clock.advance(4000);
    const refused = chat.calls.find((c) => c.refused)!;
    expect(refused).toMatchObject({ kind: 'typing', at: 500 });
    expect(chat.calls.filter((c) => c.at > refused.at && c.at < refused.at + 3000)).toEqual([]);
    consumer.push(' answer');
    chat.failNext('edit', () => new RateLimitedError(5000));
    await clock.advance(1000);
    const refusedEdit = chat.calls.find((c) => c.refused && c.kind === 'edit');
    await finish(clock, consumer);
    if (refusedEdit) expect(chat.calls.filter((c) => c.at > refusedEdit.at && c.at < refusedEdit.at + 5000)).toEqual([]);
    expectDelivered(chat, 'short answer');
  });

  it('the chat refusing calls: no call inside any retry_after window, the budget kept, the text exact', async () => {
    const { clock, chat, consumer } = setup({ perSecond: 1, retryAfterMs: 2500 }, { editIntervalMs: 300 }, { perSecond: 3 });
    const answer = ANSWERS.shell!;
    await stream(clock, consumer, answer, 4, 30);
    await finish(clock, consumer);
    expectDelivered(chat, answer);
    // After each refusal, nothing reached the chat until its window had passed.
    const refused = chat.calls.filter((c) => c.refused === 'RateLimitedError');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused.slice(0, 1)) {
      expect(chat.calls.filter((c) => c.at > r.at && c.at < r.at + 2500)).toEqual([]);
    }
  });

  it('after 3 strikes in one answer: no more interim edits; one final edit at the end', async () => {
    const { clock, chat, consumer } = setup({}, { editIntervalMs: 1000 });
    consumer.push('The first part of the answer, ');
    await clock.advance(1000);
    for (let strike = 0; strike < 3; strike++) {
      chat.failNext('edit', () => new RateLimitedError(1500));
      consumer.push(`more ${strike} `);
      await clock.advance(2000);
    }
    expect(consumer.rateLimitStrikes).toBe(3);
    const answer = 'The first part of the answer, more 0 more 1 more 2 and the last words.';
    const frozen = chat.calls.length;
    const frozenAt = clock.now();
    consumer.push('and the last words.');
    await clock.advance(10_000);
    expect(chat.calls.length).toBe(frozen);
    await finish(clock, consumer);
    // No interim edit after the third strike: one final edit (no cursor) carries what fits.
    expect(chat.calls.filter((c) => c.at > frozenAt && c.kind !== 'typing')).toHaveLength(1);
    expect(chat.messages.map((m) => m.text)).toEqual([answer]);
    expectDelivered(chat, answer);
  });
  it('after 3 strikes, an answer longer than a message: its head in the final edit, the rest as new messages', async () => {
    const { clock, chat, consumer } = setup({ maxLength: 60 }, { editIntervalMs: 1000 });
    consumer.push('Opening words of a long answer. ');
    await clock.advance(1000);
    for (let strike = 0; strike < 3; strike++) {
      chat.failNext('edit', () => new RateLimitedError(1500));
      consumer.push(`Sentence number ${strike} goes on. `);
      await clock.advance(2000);
    }
    const frozenAt = clock.now();
    const tail = 'And a closing paragraph that will not fit in the first message at all.';
    consumer.push(tail);
    await clock.advance(10_000);
    expect(chat.calls.filter((c) => c.at > frozenAt && c.kind !== 'typing')).toEqual([]);
    await finish(clock, consumer);
    expect(chat.messages.length).toBeGreaterThan(1);
    expect(chat.calls.filter((c) => c.at > frozenAt && c.kind === 'edit')).toHaveLength(1);
    expectDelivered(chat, `Opening words of a long answer. Sentence number 0 goes on. Sentence number 1 goes on. Sentence number 2 goes on. ${tail}`);
  });
});

describe('fallbacks', () => {
  it('a deleted message: the rest goes in a new message, nothing twice', async () => {
    const { clock, chat, consumer } = setup();
    consumer.push('The part people deleted. ');
    await clock.advance(1000);
    chat.deleteMessage('1');
    consumer.push('What came after it.');
    await clock.advance(3000);
    await finish(clock, consumer);
    expect(chat.calls.some((c) => c.refused === 'MessageGoneError')).toBe(true);
    expect(chat.messages.map((m) => [m.text, m.deleted])).toEqual([
      [`The part people deleted. ${CURSOR}`, true],
      ['What came after it.', false],
    ]);
  });

  it('a message that can no longer be edited at the final edit: the rest in a new message', async () => {
    const { clock, chat, consumer } = setup();
    consumer.push('Shown before it went stale, ');
    await clock.advance(1000);
    consumer.push('then the rest.');
    chat.failNext('edit', () => new MessageGoneError("message can't be edited"));
    const delivered = await finish(clock, consumer);
    expect(delivered.map((d) => d.text)).toEqual([`Shown before it went stale, ${CURSOR}`, 'then the rest.']);
  });

  it('a gone message inside a code block: the rest reopens the block with its language', async () => {
    const { clock, chat, consumer } = setup();
    consumer.push('```ts\nconst a = 1;\n');
    await clock.advance(1000);
    chat.deleteMessage('1');
    consumer.push('const b = 2;\n```\nDone.');
    await clock.advance(2000);
    await finish(clock, consumer);
    expect(chat.messages[1]!.text).toBe('```ts\nconst b = 2;\n```\nDone.');
  });

  it('finish with a note (stopped): the note ends the answer, an open code block is closed first', async () => {
    const { clock, chat, consumer } = setup();
    consumer.push('```py\nprint(1)');
    await clock.advance(1000);
    await finish(clock, consumer, { note: '_(stopped)_' });
    expect(chat.messages.map((m) => m.text)).toEqual(['```py\nprint(1)\n```\n\n_(stopped)_']);
    const empty = setup();
    await finish(empty.clock, empty.consumer, { note: '_(stopped)_' });
    expect(empty.chat.messages.map((m) => m.text)).toEqual(['_(stopped)_']);
  });

  it('an answer with no text sends nothing; stop() ends the typing timer', async () => {
    const { clock, chat, consumer } = setup();
    expect(await finish(clock, consumer)).toEqual([]);
    consumer.stop();
    await clock.advance(20_000);
    expect(chat.calls.map((c) => c.kind)).toEqual(['typing']);
    expect(clock.pending).toBe(0);
  });
});

describe('drafts', () => {
  it('streams native drafts at most 5 per second and ends with one send of the final text', async () => {
    const { clock, chat, consumer } = setup({}, { mode: 'draft' });
    const answer = ANSWERS.unicode!;
    await stream(clock, consumer, answer, 3, 20);
    await finish(clock, consumer);
    const drafts = chat.calls.filter((c) => c.kind === 'draft');
    expect(drafts.length).toBeGreaterThan(10);
    for (let i = 1; i < drafts.length; i++) expect(drafts[i]!.at - drafts[i - 1]!.at).toBeGreaterThanOrEqual(200);
    expect(chat.calls.filter((c) => c.kind === 'edit')).toEqual([]);
    expect(chat.messages.map((m) => m.text)).toEqual([answer]);
    expectDelivered(chat, answer);
  });

  it('drafts unavailable (a group): falls back to edits mid-answer without repeating or losing text', async () => {
    const { clock, chat, consumer } = setup({ drafts: false }, { mode: 'draft' });
    const answer = ANSWERS.code!;
    await stream(clock, consumer, answer);
    await finish(clock, consumer);
    expect(chat.calls.filter((c) => c.kind === 'draft')).toHaveLength(1);
    expect(chat.messages).toHaveLength(1);
    expectDelivered(chat, answer);
    expectWithinBudget(chat);
  });

  it('a draft error mid-answer: edits from there on, the final text exact', async () => {
    const { clock, chat, consumer } = setup({}, { mode: 'draft' });
    const answer = ANSWERS.shell!;
    await stream(clock, consumer, answer.slice(0, 80));
    chat.failNext('draft', () => new Error('network down'));
    await stream(clock, consumer, answer.slice(80));
    await finish(clock, consumer);
    expect(chat.calls.filter((c) => c.kind === 'edit').length).toBeGreaterThan(0);
    expect(chat.messages).toHaveLength(1);
    expectDelivered(chat, answer);
  });
});

describe('property: whatever the chunking and the 429s', () => {
  it('the chat ends with the answer exactly, no identical edit, no cursor, the budget kept', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [name, answer] of Object.entries(ANSWERS)) {
      for (let round = 0; round < 4; round++) {
        const { clock, chat, consumer } = setup({ maxLength: 120 + Math.floor(random() * 400) }, { editIntervalMs: 300 + Math.floor(random() * 1200) });
        for (let i = 0; i < answer.length; ) {
          const size = 1 + Math.floor(random() * 12);
          if (random() < 0.04) chat.failNext(random() < 0.5 ? 'edit' : 'send', () => new RateLimitedError(500 + Math.floor(random() * 3000)));
          consumer.push(answer.slice(i, i + size));
          i += size;
          await clock.advance(Math.floor(random() * 120));
        }
        await finish(clock, consumer);
        try {
          expectDelivered(chat, answer);
          expectWithinBudget(chat);
        } catch (err) {
          throw new Error(`${name}, round ${round}: ${String(err)}`);
        }
      }
    }
  });
});
