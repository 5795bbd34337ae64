// INTERIM: a minimal stream consumer, until the real one (stream-consumer.ts from branch
// gwformat) lands. Same contract (chat-transport.ts).

import { MessageGoneError, RateLimitedError, type ChatBudget, type ChatTransport, type MessageRef } from './chat-transport.js';
import type { AnswerStream } from './chat-runner.js';
import type { GatewaySettings } from './settings.js';

export function startAnswer(transport: ChatTransport, budget: ChatBudget, settings: GatewaySettings): AnswerStream {
  let text = '';
  let ref: MessageRef | undefined;
  let shown = '';
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> | undefined;
  const show = async (body: string, final: boolean): Promise<void> => {
    for (;;) {
      if (final) await budget.take();
      else if (!budget.tryTake()) return;
      try {
        if (ref) await transport.edit(ref, body);
        else ref = await transport.send(body);
        shown = body;
        return;
      } catch (err) {
        if (err instanceof RateLimitedError) budget.pause(err.retryAfterMs);
        else if (err instanceof MessageGoneError) ref = undefined;
        else throw err;
        if (!final) return;
      }
    }
  };
  const tick = (): void => {
    if (busy || text === '') return;
    const body = text + settings.cursor;
    if (body === shown) return;
    busy = show(body, false).catch(() => {}).finally(() => (busy = undefined));
  };
  return {
    push(delta) {
      text += delta;
      timer ??= setInterval(tick, settings.editIntervalMs);
      if (!ref && text.length >= 20) tick();
    },
    async finish({ note } = {}) {
      if (timer) clearInterval(timer);
      await busy;
      const body = note ? (text ? `${text}\n\n${note}` : note) : text;
      if (body !== '' && body !== shown) await show(body, true);
    },
  };
}
