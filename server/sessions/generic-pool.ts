import type { NodeHandle } from '../nodes/node-backend.js';

/** A pooled node's place in the server's node count (server/sessions/capacity.ts), given back when it leaves the pool. */
export interface NodePlace {
  release(): void;
}

export interface GenericPoolParts {
  /** Reserves room for one more node; throws when the server is full (the pool then stops growing). */
  reserve(): NodePlace;
  /** Starts a waiting node: on no session's network, under a name of its own (server/nodes/node-backend.ts). */
  start(): Promise<NodeHandle>;
  discard(node: NodeHandle): Promise<void>;
  onError(error: unknown): void;
}

interface Waiting {
  node: NodeHandle;
  place: NodePlace;
}

/**
 * Started nodes that belong to no session yet, for any template: a session takes as many as it needs, and
 * the backend attaches each to the session's network and gives it its name (`adoptNode`). Unlike the
 * per-template pool (warm-pool.ts), a waiting node is a lone engine, the cheapest thing a node can be while
 * idle, and the pool fills `parallel` nodes at a time instead of one session at a time.
 *
 * After a failed start the pool stops growing until it is asked for nodes again (or its size changes), so a
 * full server or a broken image costs one failure, not a loop of them.
 */
export class GenericNodePool {
  private readonly ready: Waiting[] = [];
  private inFlight = 0;
  private stalled = false;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private target: number,
    private readonly parallel: number,
    private readonly parts: GenericPoolParts,
  ) {}

  /** How many nodes the pool keeps waiting. */
  setTarget(count: number): void {
    this.target = Math.max(0, count);
    this.stalled = false;
    this.fill();
  }

  /** Keeps `count` fewer nodes from now on, without starting or stopping any now (nodes taken for a class that was warmed ahead). */
  lower(count: number): void {
    this.target = Math.max(0, this.target - count);
  }

  get size(): number {
    return this.ready.length;
  }

  get wanted(): number {
    return this.target;
  }

  /** Nodes being started for the pool right now. */
  get starting(): number {
    return this.inFlight;
  }

  /**
   * Takes up to `count` waiting nodes out of the pool and gives back their places in the node count, for the
   * session taking them to reserve in the same turn of the event loop. The pool refills on the next turn, so it
   * cannot take that room first.
   */
  take(count: number): NodeHandle[] {
    const taken = this.ready.splice(0, Math.max(0, count));
    for (const entry of taken) entry.place.release();
    if (taken.length) {
      this.stalled = false;
      setImmediate(() => this.fill());
    }
    return taken.map((entry) => entry.node);
  }

  /** Frees room for a learner: removes one waiting node, if there is one. */
  async evictOne(): Promise<boolean> {
    const entry = this.ready.pop();
    if (!entry) return false;
    entry.place.release();
    await this.parts.discard(entry.node).catch((error) => this.parts.onError(error));
    return true;
  }

  /** Resolves once the pool holds its target, or cannot grow (a start failed), or has stopped. */
  whenFull(): Promise<void> {
    this.fill();
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const entries = this.ready.splice(0);
    for (const entry of entries) entry.place.release();
    await Promise.all(entries.map((entry) => this.parts.discard(entry.node).catch((error) => this.parts.onError(error))));
  }

  private settled(): boolean {
    return this.stopped || this.ready.length >= this.target || (this.stalled && this.inFlight === 0);
  }

  /** Starts nodes while the pool is short, at most `parallel` at once. */
  private fill(): void {
    while (!this.stopped && !this.stalled && this.inFlight < this.parallel && this.ready.length + this.inFlight < this.target) {
      let place: NodePlace;
      try {
        place = this.parts.reserve();
      } catch (error) {
        this.stalled = true;
        this.parts.onError(error);
        break;
      }
      this.inFlight += 1;
      void this.startOne(place);
    }
    this.notify();
  }

  private async startOne(place: NodePlace): Promise<void> {
    try {
      const node = await this.parts.start();
      if (this.stopped || this.ready.length >= this.target) {
        place.release();
        await this.parts.discard(node).catch((error) => this.parts.onError(error));
      } else {
        this.ready.push({ node, place });
      }
    } catch (error) {
      place.release();
      this.stalled = true;
      this.parts.onError(error);
    } finally {
      this.inFlight -= 1;
      this.fill();
    }
  }

  private notify(): void {
    if (!this.settled() && !(this.stopped && this.inFlight === 0)) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
