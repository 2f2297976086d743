import type { SessionNetwork } from '../nodes/node-backend.js';

/** A session network made ahead of its session, and the id of the session it was made for. */
export interface SpareNetwork {
  sessionId: string;
  network: SessionNetwork;
}

export interface NetworkPoolParts {
  /** A new session id (the network's name and labels carry it, so the session that takes it has that id). */
  newId(): string;
  create(sessionId: string): Promise<SessionNetwork>;
  remove(network: SessionNetwork): Promise<void>;
  onError(error: unknown): void;
}

/**
 * Session networks made ahead of demand. Creating a bridge network is an engine operation that waits its turn
 * behind every other network change (a bridge, iptables rules, a store write); a class joining at once queues
 * thirty of them. A spare network is made the same way as a session's own (a /24 of the subnet pool, so the
 * node fence already covers it) and labelled with a fresh session id: the session that takes it takes that id
 * too, and everything the labels decide (clean-up, a restart taking sessions back) holds unchanged. A spare
 * nobody took is just a network of no live session: `sweep` removes it at the next start, `stop` at shutdown.
 *
 * Networks cost no node room, so the pool only stops growing after a failed creation (no free subnet, say)
 * until it is asked for a network again or its size changes.
 */
export class NetworkPool {
  private readonly ready: SpareNetwork[] = [];
  private inFlight = 0;
  private stalled = false;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private target: number,
    private readonly parallel: number,
    private readonly parts: NetworkPoolParts,
  ) {}

  /** How many spare networks the pool keeps. */
  setTarget(count: number): void {
    this.target = Math.max(0, count);
    this.stalled = false;
    this.fill();
  }

  get wanted(): number {
    return this.target;
  }

  get size(): number {
    return this.ready.length;
  }

  /** A spare network, if one is ready; the pool makes another in the background. */
  take(): SpareNetwork | undefined {
    const spare = this.ready.shift();
    this.stalled = false;
    setImmediate(() => this.fill());
    return spare;
  }

  /** Keeps `count` fewer from now on, without removing any now (networks an event asked for and its class took). */
  lower(count: number): void {
    this.target = Math.max(0, this.target - count);
  }

  /** Resolves once the pool holds its target, cannot grow (a creation failed), or has stopped. */
  whenFull(): Promise<void> {
    this.fill();
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops filling and removes every spare network, once creations under way have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const spares = this.ready.splice(0);
    await Promise.all(spares.map((spare) => this.parts.remove(spare.network).catch((error) => this.parts.onError(error))));
  }

  private settled(): boolean {
    return this.stopped || this.ready.length >= this.target || (this.stalled && this.inFlight === 0);
  }

  private fill(): void {
    while (!this.stopped && !this.stalled && this.inFlight < this.parallel && this.ready.length + this.inFlight < this.target) {
      this.inFlight += 1;
      void this.createOne();
    }
    this.notify();
  }

  private async createOne(): Promise<void> {
    const sessionId = this.parts.newId();
    try {
      const network = await this.parts.create(sessionId);
      if (this.stopped || this.ready.length >= this.target) await this.parts.remove(network).catch((error) => this.parts.onError(error));
      else this.ready.push({ sessionId, network });
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
