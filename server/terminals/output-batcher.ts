/**
 * Collects output chunks into blocks. Output that follows silence (nothing sent for `delayMs`) goes out at
 * once, so a keystroke's echo pays no delay; output that keeps coming is held until `delayMs` after the last
 * block or until `maxBytes` wait, so a flood becomes few, large websocket frames. No I/O: the clock and
 * timers are injected.
 */
export interface BatcherOptions {
  delayMs: number;
  maxBytes: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class OutputBatcher {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private timer: unknown;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly options: BatcherOptions,
    private readonly flushTo: (block: Buffer) => void,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  get pending(): number {
    return this.bytes;
  }

  /** Whether output is sustained: this moment is within `delayMs` of the last block, or a block is being held. */
  get sustained(): boolean {
    return this.timer !== undefined || this.now() - this.lastSentAt < this.options.delayMs;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.options.maxBytes) return this.flush();
    if (this.timer !== undefined) return;
    const quietFor = this.now() - this.lastSentAt;
    if (quietFor >= this.options.delayMs) return this.flush();
    this.timer = this.setTimer(() => this.flush(), this.options.delayMs - quietFor);
  }

  flush(): void {
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
    if (this.bytes === 0) return;
    const block = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    this.lastSentAt = this.now();
    this.flushTo(block);
  }

  /** Drops anything pending and stops the timer. */
  dispose(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.chunks = [];
    this.bytes = 0;
  }
}
