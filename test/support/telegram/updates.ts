// The bot's update queue, with getUpdates' semantics: an update stays queued (and is delivered
// again) until a later call's offset confirms it; a negative offset keeps only the last -offset;
// allowed_updates is remembered between calls; a long poll waits up to `timeout` seconds and
// wakes as soon as an update arrives.

export type Update = { update_id: number } & Record<string, unknown>;

/** Telegram's default when allowed_updates is empty or never given. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface Poll {
  /** ended: the poll is over without answering (client gone, a newer poll, the server closing). */
  wake(ended?: boolean): void;
}

export class UpdateQueue {
  private queue: Update[] = [];
  private nextId = 1;
  private allowed: string[] | undefined;
  private readonly polls = new Set<Poll>();
  /** How many times getUpdates returned each update id. */
  readonly deliveries = new Map<number, number>();
  /** The highest offset a getUpdates call confirmed with (0: none). */
  confirmedOffset = 0;

  push(update: Record<string, unknown>): number {
    const full = { ...update, update_id: this.nextId++ } as Update;
    this.queue.push(full);
    for (const p of [...this.polls]) p.wake();
    return full.update_id;
  }

  /** How many getUpdates calls are waiting now (a long poll in progress). */
  get waiting(): number {
    return this.polls.size;
  }

  /** Updates still waiting for confirmation. */
  pending(): Update[] {
    return [...this.queue];
  }

  async poll(
    params: { offset?: number; limit?: number; timeout?: number; allowed_updates?: string[] },
    onClose: (fn: () => void) => void,
  ): Promise<Update[]> {
    const offset = Number(params.offset ?? 0);
    if (offset > 0) {
      this.queue = this.queue.filter((u) => u.update_id >= offset);
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
    } else if (offset < 0) {
      this.queue = this.queue.slice(offset);
    }
    if (params.allowed_updates !== undefined) this.allowed = params.allowed_updates;
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeoutMs = Math.max(0, Number(params.timeout ?? 0)) * 1000;
    for (const p of [...this.polls]) p.wake(true); // a newer poll ends an older one (Telegram: 409)
    let ready = this.take(limit);
    if (ready.length > 0 || timeoutMs === 0) return this.deliver(ready);
    const ended = await new Promise<boolean>((resolve) => {
      const poll: Poll = {
        wake: (end = false) => {
          this.polls.delete(poll);
          clearTimeout(timer);
          resolve(end);
        },
      };
      const timer = setTimeout(() => poll.wake(), timeoutMs);
      this.polls.add(poll);
      onClose(() => poll.wake(true));
    });
    if (ended) return [];
    ready = this.take(limit);
    return this.deliver(ready);
  }

  /** deleteWebhook({ drop_pending_updates: true }). */
  dropPending(): void {
    this.queue = [];
  }

  closeAll(): void {
    for (const p of [...this.polls]) p.wake(true);
  }

  private take(limit: number): Update[] {
    // Telegram drops updates of types the bot did not ask for.
    this.queue = this.queue.filter((u) => this.isAllowed(u));
    return this.queue.slice(0, limit);
  }

  private isAllowed(update: Update): boolean {
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? '';
    if (this.allowed === undefined || this.allowed.length === 0) return !NOT_BY_DEFAULT.has(type);
    return this.allowed.includes(type);
  }

  private deliver(updates: Update[]): Update[] {
    for (const u of updates) this.deliveries.set(u.update_id, (this.deliveries.get(u.update_id) ?? 0) + 1);
    return updates;
  }
}
