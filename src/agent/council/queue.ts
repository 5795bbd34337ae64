// Several producers, one consumer: the members' concurrent streams become one ordered stream.

export class EventQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
    this.wake = undefined;
  }

  /** Yields what was pushed until `done` settles and everything pushed before it is out. */
  async *drain(done: Promise<unknown>): AsyncGenerator<T> {
    let finished = false;
    const finish = (): void => {
      finished = true;
      this.wake?.();
      this.wake = undefined;
    };
    done.then(finish, finish);
    for (;;) {
      while (this.items.length > 0) yield this.items.shift()!;
      if (finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
