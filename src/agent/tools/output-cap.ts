// Keeps the head and the tail of a stream of bytes within a fixed budget: the start of a
// command's output says what it did, the end says how it finished; the middle can go.

export class HeadTailBuffer {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Every byte seen, kept or not. */
  total = 0;

  constructor(
    private readonly headLimit: number,
    private readonly tailLimit: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headBytes < this.headLimit) {
      const room = this.headLimit - this.headBytes;
      this.head.push(chunk.subarray(0, room));
      this.headBytes += Math.min(room, chunk.length);
      chunk = chunk.subarray(room);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    // Drop whole chunks that lie entirely before the tail window.
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  /** Bytes between head and tail that were dropped. */
  get omitted(): number {
    return Math.max(0, this.total - this.headBytes - Math.min(this.tailBytes, this.tailLimit));
  }

  toString(): string {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    if (this.omitted === 0) return Buffer.concat([head, tail]).toString('utf8');
    // Cut both sides on character boundaries so no U+FFFD appears that the output never had.
    const headText = head.subarray(0, head.length - trailingPartial(head)).toString('utf8');
    let skip = 0;
    while (skip < 3 && skip < tail.length && (tail[skip]! & 0xc0) === 0x80) skip++;
    const tailText = tail.subarray(skip).toString('utf8');
    const omitted = this.omitted + (head.length - Buffer.byteLength(headText)) + skip;
    return `${headText}\n… ${omitted} bytes omitted …\n${tailText}`;
  }
}

/** Bytes at the end of `data` that start a character the buffer does not complete. */
function trailingPartial(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const byte = data[data.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if ((byte & 0x80) === 0) return 0;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return size > back ? back : 0;
  }
  return 0;
}
