/** How a pool makes and gets rid of the things it keeps. */
export interface FillingPoolParts<T> {
  /**
   * Makes one item. Throwing synchronously (no room for it, say) or rejecting stops the pool growing until it
   * is asked again, so a full server or a broken image costs one failure, not a loop of them.
   */
  make(): Promise<T>;
  discard(item: T): Promise<void>;
  onError(error: unknown): void;
}

/**
 * Things made ahead of demand and kept ready: the pool makes at most `parallel` at once until it holds its
 * target, discards what arrives after a stop or beyond the target, and at stop discards all it holds once the
 * makings under way have ended. The pools of waiting nodes (generic-pool.ts) and of spare session networks
 * (network-pool.ts) are this with their own parts.
 */
export class FillingPool<T> {
  private readonly ready: T[] = [];
  private inFlight = 0;
  private stalled = false;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private target: number,
    private readonly parallel: number,
    private readonly parts: FillingPoolParts<T>,
  ) {}

  /** How many items the pool keeps. */
  setTarget(count: number): void {
    this.target = Math.max(0, count);
    this.stalled = false;
    this.fill();
  }

  /** Keeps `count` fewer from now on, without making or discarding any now (items an event asked for and its class took). */
  lower(count: number): void {
    this.target = Math.max(0, this.target - count);
  }

  get size(): number {
    return this.ready.length;
  }

  get wanted(): number {
    return this.target;
  }

  /** Items being made for the pool right now. */
  get starting(): number {
    return this.inFlight;
  }

  /** Resolves once the pool holds its target, cannot grow (a making failed), or has stopped. */
  whenFull(): Promise<void> {
    this.fill();
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops filling and discards every item, once makings under way have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const items = this.ready.splice(0);
    await Promise.all(items.map((item) => this.discardQuietly(item)));
  }

  /** Takes up to `count` ready items, oldest first; the pool refills on the next turn of the event loop. */
  protected takeReady(count: number): T[] {
    const taken = this.ready.splice(0, Math.max(0, count));
    if (taken.length) this.retry();
    return taken;
  }

  /** Takes the newest ready item, without refilling (its room is wanted for something else). */
  protected takeNewest(): T | undefined {
    return this.ready.pop();
  }

  /** Lets a stalled pool try again, on the next turn of the event loop (the taker reserves room in this one). */
  protected retry(): void {
    this.stalled = false;
    setImmediate(() => this.fill());
  }

  protected discardQuietly(item: T): Promise<void> {
    return this.parts.discard(item).catch((error) => this.parts.onError(error));
  }

  private settled(): boolean {
    return this.stopped || this.ready.length >= this.target || (this.stalled && this.inFlight === 0);
  }

  private fill(): void {
    while (!this.stopped && !this.stalled && this.inFlight < this.parallel && this.ready.length + this.inFlight < this.target) {
      let making: Promise<T>;
      try {
        making = this.parts.make();
      } catch (error) {
        this.stalled = true;
        this.parts.onError(error);
        break;
      }
      this.inFlight += 1;
      void this.keep(making);
    }
    this.notify();
  }

  private async keep(making: Promise<T>): Promise<void> {
    try {
      const item = await making;
      if (this.stopped || this.ready.length >= this.target) await this.discardQuietly(item);
      else this.ready.push(item);
    } catch (error) {
      this.stalled = true;
      this.parts.onError(error);
    } finally {
      this.inFlight -= 1;
      this.fill();
    }
  }

  private notify(): void {
    if (!this.settled()) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
