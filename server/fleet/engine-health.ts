import type { EngineState } from './placement.js';

/** A change of an engine's health, as the pings see it. */
export type HealthChange = 'down' | 'up';

/**
 * One engine's health from its pings: down after `failuresBeforeDown` failed pings in a row (one slow answer
 * on a busy host moves nobody), up again at the first answer. Draining is the operator's, kept apart: an
 * engine can be drained and down, and comes back drained. No timers and no I/O, so it is tested alone.
 */
export class EngineHealth {
  private failures = 0;
  private down: boolean;
  private drained = false;
  private lastError: string | undefined;

  constructor(
    private readonly failuresBeforeDown: number,
    /** An engine is down until its first answer: nothing is placed on a host never seen. */
    startsDown = true,
  ) {
    this.down = startsDown;
  }

  state(): EngineState {
    return this.down ? 'down' : this.drained ? 'draining' : 'up';
  }

  /** Why it is down (the last ping's error), for the operator. */
  reason(): string | undefined {
    return this.down ? this.lastError : undefined;
  }

  /** Records a ping; says when that changed whether the engine is down. */
  pinged(result: { ok: true } | { ok: false; error: string }): HealthChange | undefined {
    if (result.ok) {
      this.failures = 0;
      this.lastError = undefined;
      if (!this.down) return undefined;
      this.down = false;
      return 'up';
    }
    this.failures += 1;
    this.lastError = result.error;
    if (this.down || this.failures < this.failuresBeforeDown) return undefined;
    this.down = true;
    return 'down';
  }

  drain(): void {
    this.drained = true;
  }

  undrain(): void {
    this.drained = false;
  }

  isDrained(): boolean {
    return this.drained;
  }
}
