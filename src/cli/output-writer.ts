// Coalesces many small writes into few: deltas are queued and written together on the next
// turn of the event loop (or when the queue passes 64 KB), so a network chunk carrying fifty
// tokens costs one write syscall, not fifty. stdout and stderr share one queue, so text and
// progress lines keep their order. A closed stdout (EPIPE: `hermes ... | head`) is reported
// once through onStdoutClosed and every later write is dropped.

export interface OutputTarget {
  write(chunk: string, callback?: (err?: Error | null) => void): boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off?(event: 'error', listener: (err: Error) => void): unknown;
}

export interface OutputWriterOptions {
  /** Flush at once when this many characters are queued. */
  highWaterMark?: number;
  /** stdout cannot be written any more; `failure` is set when that was not a closed pipe. */
  onStdoutClosed?: (failure?: Error) => void;
}

type Target = 'out' | 'err';

export class OutputWriter {
  private readonly queue: { target: Target; parts: string[] }[] = [];
  private queued = 0;
  private scheduled = false;
  private outClosed = false;
  private errClosed = false;
  private readonly highWaterMark: number;
  private readonly onStdoutClosed?: (failure?: Error) => void;
  private readonly onOutError = (err: Error): void => this.handleError('out', err);
  private readonly onErrError = (err: Error): void => this.handleError('err', err);

  constructor(
    private readonly stdout: OutputTarget,
    private readonly stderr: OutputTarget,
    options: OutputWriterOptions = {},
  ) {
    this.highWaterMark = options.highWaterMark ?? 64 * 1024;
    this.onStdoutClosed = options.onStdoutClosed;
    stdout.on('error', this.onOutError);
    stderr.on('error', this.onErrError);
  }

  /** True once the reader of stdout went away. */
  get stdoutClosed(): boolean {
    return this.outClosed;
  }

  out(text: string): void {
    this.enqueue('out', text);
  }

  err(text: string): void {
    this.enqueue('err', text);
  }

  /** Writes everything queued now. */
  flush(): void {
    this.scheduled = false;
    const batches = this.queue.splice(0);
    this.queued = 0;
    for (const batch of batches) {
      const closed = batch.target === 'out' ? this.outClosed : this.errClosed;
      if (closed) continue;
      const stream = batch.target === 'out' ? this.stdout : this.stderr;
      try {
        stream.write(batch.parts.length === 1 ? batch.parts[0]! : batch.parts.join(''));
      } catch (err) {
        this.handleError(batch.target, err as Error);
      }
    }
  }

  /** Flushes, then resolves once both streams have handed everything to the OS. */
  async end(): Promise<void> {
    this.flush();
    await Promise.all([this.drained('out'), this.drained('err')]);
  }

  private drained(target: Target): Promise<void> {
    const closed = target === 'out' ? this.outClosed : this.errClosed;
    if (closed) return Promise.resolve();
    const stream = target === 'out' ? this.stdout : this.stderr;
    return new Promise((resolve) => {
      try {
        // An empty write's callback runs after every earlier write has been flushed (or failed).
        stream.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  }

  private enqueue(target: Target, text: string): void {
    if (text === '') return;
    if (target === 'out' ? this.outClosed : this.errClosed) return;
    const last = this.queue[this.queue.length - 1];
    if (last && last.target === target) last.parts.push(text);
    else this.queue.push({ target, parts: [text] });
    this.queued += text.length;
    if (this.queued >= this.highWaterMark) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        if (this.scheduled) this.flush();
      });
    }
  }

  private handleError(target: Target, err: Error): void {
    const code = (err as NodeJS.ErrnoException).code;
    if (target === 'err') {
      // Nowhere left to report anything; carry on quietly.
      this.errClosed = true;
      return;
    }
    if (this.outClosed) return;
    this.outClosed = true;
    const readerGone = code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET' || code === 'EOF';
    // A reader that went away is normal (`| head`); a disk that is full is a failure.
    this.onStdoutClosed?.(readerGone ? undefined : err);
  }
}
