/**
 * A token bucket over bytes: `take` spends what was read and says how long to
 * wait before reading more. Keeps one flooding terminal (`yes`) from taking the
 * engine's and the server's CPU away from every other terminal. Pure: the
 * caller passes the time.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly bytesPerSecond: number,
    readonly burstBytes: number,
    now: number,
  ) {
    if (!(bytesPerSecond > 0) || !(burstBytes > 0)) throw new RangeError('rate and burst must be positive');
    this.tokens = burstBytes;
    this.last = now;
  }

  /** Spends `bytes`; returns the milliseconds to wait before reading more (0: go on). */
  take(bytes: number, now: number): number {
    this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.last) * this.bytesPerSecond) / 1000);
    this.last = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.bytesPerSecond) * 1000);
  }
}
