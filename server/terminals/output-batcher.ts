/**
 * Collects output chunks and hands them on as one block after a short delay
 * or once enough bytes are waiting, whichever comes first. Fewer, larger
 * websocket frames cost far less than one per read. No I/O: the timer
 * functions are injected.
 */
export interface BatcherOptions {
  delayMs: number;
  maxBytes: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class OutputBatcher {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private timer: unknown;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly options: BatcherOptions,
    private readonly flushTo: (block: Buffer) => void,
  ) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  get pending(): number {
    return this.bytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.options.maxBytes) this.flush();
    else if (this.timer === undefined) this.timer = this.setTimer(() => this.flush(), this.options.delayMs);
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
