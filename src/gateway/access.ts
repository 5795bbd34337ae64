// Who may talk to the bot: denied by default, allowed by numeric user id. Someone else is told
// their id (so the owner can add it) at most once per NOTICE_INTERVAL, so a stranger cannot
// make the bot spend its flood budget on refusals.

export const NOTICE_INTERVAL_MS = 60 * 60 * 1000;

export class AccessList {
  readonly #allowed: ReadonlySet<number>;
  readonly #noticed = new Map<number, number>();
  readonly #now: () => number;

  constructor(allowed: ReadonlySet<number>, now: () => number = Date.now) {
    this.#allowed = allowed;
    this.#now = now;
  }

  get size(): number {
    return this.#allowed.size;
  }

  allows(userId: number): boolean {
    return this.#allowed.has(userId);
  }

  /** For a user who is not allowed: true (and remembered) when they should be told now. */
  shouldNotify(userId: number): boolean {
    const now = this.#now();
    const last = this.#noticed.get(userId);
    if (last !== undefined && now - last < NOTICE_INTERVAL_MS) return false;
    this.#noticed.set(userId, now);
    // Forget old entries so a flood of strangers cannot grow the map without end.
    if (this.#noticed.size > 10_000) {
      for (const [id, at] of this.#noticed) if (now - at >= NOTICE_INTERVAL_MS) this.#noticed.delete(id);
    }
    return true;
  }
}

export function deniedNotice(userId: number): string {
  return `Sorry, this bot only answers people on its allow list. Your user id is ${userId}; the owner can add it to the allow list.`;
}
