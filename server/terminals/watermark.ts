/**
 * Hysteresis between two levels: above `high` a sink is congested and stays
 * so until it drains below `low`. Pure; the caller feeds it buffered byte counts.
 */
export class Watermark {
  private congested = false;

  constructor(
    readonly high: number,
    readonly low: number,
  ) {
    if (!(low < high)) throw new RangeError('low must be below high');
  }

  get isCongested(): boolean {
    return this.congested;
  }

  /** Feeds the current buffered amount; returns 'pause' or 'resume' when the state flips, else null. */
  update(buffered: number): 'pause' | 'resume' | null {
    if (!this.congested && buffered > this.high) {
      this.congested = true;
      return 'pause';
    }
    if (this.congested && buffered < this.low) {
      this.congested = false;
      return 'resume';
    }
    return null;
  }
}

/**
 * A source shared by several sinks runs only while no sink holds it paused.
 * Pure bookkeeping: returns whether the source should now run.
 */
export class PauseVotes<K> {
  private readonly paused = new Set<K>();

  get running(): boolean {
    return this.paused.size === 0;
  }

  /** Records a sink's vote; returns 'pause' / 'resume' when the source's state flips, else null. */
  set(key: K, pause: boolean): 'pause' | 'resume' | null {
    const before = this.running;
    if (pause) this.paused.add(key);
    else this.paused.delete(key);
    return before === this.running ? null : this.running ? 'resume' : 'pause';
  }

  forget(key: K): 'pause' | 'resume' | null {
    return this.set(key, false);
  }
}
