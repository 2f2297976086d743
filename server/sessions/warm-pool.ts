/**
 * Sessions started ahead of demand, so a learner's "start" takes the time of a
 * hand-over instead of a cold start. Each pooled entry already has its id and
 * its labelled nodes and network; handing it out only adds a token and a clock.
 */
export interface PoolSlots {
  [key: string]: number;
}

export class WarmPool<T> {
  private readonly ready = new Map<string, T[]>();
  private readonly building = new Map<string, number>();
  private stopped = false;
  private filling: Promise<void> = Promise.resolve();

  constructor(
    private readonly slots: PoolSlots,
    private readonly build: (key: string) => Promise<T>,
    private readonly discard: (entry: T) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly parallel: (key: string) => number = () => 1,
  ) {}

  /** Changes how many entries a key keeps ready (an event asks for its class before it starts). */
  setSlots(key: string, count: number): void {
    if (count > 0) this.slots[key] = count;
    else delete this.slots[key];
    void this.refill();
  }

  /**
   * Takes a ready entry for the key, if any, and starts refilling in the background. Entries that are no longer
   * `usable` (their engine went down or is draining) are discarded on the way, so the refill replaces them
   * where sessions may go.
   */
  take(key: string, usable: (entry: T) => boolean = () => true): T | undefined {
    const list = this.ready.get(key) ?? [];
    let entry: T | undefined;
    const stale: T[] = [];
    while (list.length > 0 && entry === undefined) {
      const next = list.shift()!;
      if (usable(next)) entry = next;
      else stale.push(next);
    }
    for (const dropped of stale) void this.discard(dropped).catch((error: unknown) => this.onError(key, error));
    if (entry || stale.length) void this.refill();
    return entry;
  }

  size(): number {
    return [...this.ready.values()].reduce((sum, list) => sum + list.length, 0);
  }

  /** The ready entries, for counting what they hold. */
  entries(): T[] {
    return [...this.ready.values()].flat();
  }

  /** Frees room for a real learner: discards one pooled entry, if there is one. */
  async evictOne(): Promise<boolean> {
    for (const list of this.ready.values()) {
      const entry = list.pop();
      if (entry) {
        await this.discard(entry);
        return true;
      }
    }
    return false;
  }

  /**
   * Tops every key up to its slot count, `parallel(key)` builds at a time: enough to keep the node start queue
   * busy while another build forms its swarm, few enough that a class's cold starts still get their turn.
   */
  refill(): Promise<void> {
    this.filling = this.filling.then(async () => {
      for (const [key, wanted] of Object.entries(this.slots)) {
        let failed = false;
        const builder = async () => {
          while (!this.stopped && !failed && (this.ready.get(key)?.length ?? 0) + (this.building.get(key) ?? 0) < wanted) {
            this.building.set(key, (this.building.get(key) ?? 0) + 1);
            try {
              const entry = await this.build(key);
              if (this.stopped) await this.discard(entry);
              else this.ready.set(key, [...(this.ready.get(key) ?? []), entry]);
            } catch (error) {
              failed = true;
              this.onError(key, error);
            } finally {
              this.building.set(key, (this.building.get(key) ?? 1) - 1);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, this.parallel(key)) }, builder));
      }
    });
    return this.filling;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.filling;
    const entries = [...this.ready.values()].flat();
    this.ready.clear();
    await Promise.all(entries.map((entry) => this.discard(entry)));
  }
}

/** The pool key of a request: only template requests are pooled, never explicit node lists. */
export function poolKey(template: string, swarm: boolean): string {
  return swarm ? `${template}+swarm` : template;
}
