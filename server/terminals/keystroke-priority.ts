/**
 * Keystrokes before floods. On two cores a terminal flooding output (`yes`) keeps its whole pipeline busy — the
 * node's processes, the engine's copy, this server — and a keystroke typed elsewhere waits for CPU at every hop
 * of its round trip (docs/benchmarks.md, 2026-12-03). So while a keystroke waits for its echo, the terminals
 * in sustained output are held (their exec streams paused): their upstream buffers are full, so the flood's
 * processes block and start no new work while the echo travels. They go on when every typing terminal has
 * output again, or `holdMs` after the last keystroke (a key that echoes nothing, a password). A held flood
 * loses nothing and, through its rate limit's bucket, hardly any throughput. Its gain was not measurable on
 * a shared development machine (docs/benchmarks.md, 2026-12-03 later); `holdMs` 0 turns it off.
 *
 * Terminals that are quiet, or only answer typing, are never held: two learners typing at once do not wait
 * for each other. No I/O: the timer is injected.
 */
export interface Yielding {
  /** Whether the terminal is in sustained output (a flood, a long listing), as opposed to echoing keys. */
  readonly bulk: boolean;
  hold(held: boolean): void;
}

export interface KeystrokePriorityOptions {
  holdMs: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class KeystrokePriority {
  private readonly terminals = new Set<Yielding>();
  /** Terminals typed into whose echo has not come yet. */
  private readonly waiting = new Set<Yielding>();
  private readonly held = new Set<Yielding>();
  private timer: unknown;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: KeystrokePriorityOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /** How many terminals are held now (for tests and metrics). */
  get holding(): number {
    return this.held.size;
  }

  add(terminal: Yielding): void {
    this.terminals.add(terminal);
  }

  remove(terminal: Yielding): void {
    this.terminals.delete(terminal);
    this.waiting.delete(terminal);
    this.held.delete(terminal);
    if (this.waiting.size === 0) this.release();
  }

  /** Input went to `from`: hold every other terminal in sustained output until its echo comes. */
  keystroke(from: Yielding): void {
    if (this.options.holdMs <= 0) return;
    this.waiting.add(from);
    // A terminal typed into is never held: its echo is what everyone waits for.
    if (this.held.delete(from)) from.hold(false);
    for (const terminal of this.terminals) {
      if (terminal === from || this.waiting.has(terminal) || this.held.has(terminal) || !terminal.bulk) continue;
      this.held.add(terminal);
      terminal.hold(true);
    }
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      this.waiting.clear();
      this.release();
    }, this.options.holdMs);
  }

  /** `from` produced output: if it was waiting for an echo, that came. */
  output(from: Yielding): void {
    if (!this.waiting.delete(from) || this.waiting.size > 0) return;
    this.release();
  }

  private release(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    const held = [...this.held];
    this.held.clear();
    for (const terminal of held) terminal.hold(false);
  }
}
