/** Exponential backoff with jitter for reconnects; reset after a connection succeeds. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 10_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(delay * (0.75 + this.random() * 0.5));
  }

  reset(): void {
    this.attempt = 0;
  }
}
