/**
 * A bounded buffer of numbered output blocks. Block numbers start at 1 and
 * only grow; the oldest blocks are dropped once the total size passes the
 * capacity. A reconnecting client names the last block it saw and gets the
 * rest, or everything retained plus `truncated` when it fell too far behind.
 */
export interface Replay {
  data: Buffer;
  /** Number of the newest block included (or the newest block there is). */
  last: number;
  /** Some blocks after `since` were already dropped. */
  truncated: boolean;
}

export class BlockBuffer {
  private readonly blocks: Array<{ seq: number; data: Buffer }> = [];
  private bytes = 0;
  private lastSeq = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
  }

  get last(): number {
    return this.lastSeq;
  }

  get size(): number {
    return this.bytes;
  }

  /** Stores a block and returns its number. A block larger than the capacity keeps only its tail. */
  append(data: Buffer): number {
    const kept = data.length > this.capacity ? data.subarray(data.length - this.capacity) : data;
    const seq = ++this.lastSeq;
    this.blocks.push({ seq, data: kept });
    this.bytes += kept.length;
    while (this.bytes > this.capacity && this.blocks.length > 1) {
      this.bytes -= this.blocks.shift()!.data.length;
    }
    return seq;
  }

  /** Everything after block `since`. A `since` ahead of the buffer (another history) gets everything, truncated. */
  since(since: number): Replay {
    if (since === this.lastSeq) return { data: Buffer.alloc(0), last: this.lastSeq, truncated: false };
    const first = this.blocks[0]?.seq ?? this.lastSeq + 1;
    const ahead = since > this.lastSeq;
    const from = ahead ? first : Math.max(since + 1, first);
    const truncated = ahead || since + 1 < first;
    const parts = this.blocks.filter((block) => block.seq >= from).map((block) => block.data);
    return { data: Buffer.concat(parts), last: this.lastSeq, truncated };
  }
}
