import { describe, expect, it } from 'vitest';
import { KeystrokePriority, type Yielding } from '../../../server/terminals/keystroke-priority.js';

class FakeTerminal implements Yielding {
  held = false;
  holds: boolean[] = [];
  constructor(public bulk = false) {}
  hold(held: boolean) {
    this.held = held;
    this.holds.push(held);
  }
}

function fakeTimer() {
  const timers: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  return {
    timers,
    setTimer: (fn: () => void, ms: number) => {
      const timer = { fn, ms, live: true };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle: unknown) => {
      (handle as { live: boolean }).live = false;
    },
    fire() {
      for (const timer of timers.splice(0)) if (timer.live) timer.fn();
    },
    get live() {
      return timers.filter((t) => t.live).length;
    },
  };
}

function setup(holdMs = 15) {
  const timer = fakeTimer();
  const priority = new KeystrokePriority({ holdMs, ...timer });
  const typist = new FakeTerminal();
  const flood = new FakeTerminal(true);
  const quiet = new FakeTerminal(false);
  for (const t of [typist, flood, quiet]) priority.add(t);
  return { timer, priority, typist, flood, quiet };
}

describe('KeystrokePriority', () => {
  it('holds a flooding terminal from a keystroke until its echo comes, and leaves quiet terminals alone', () => {
    const { priority, typist, flood, quiet } = setup();
    priority.keystroke(typist);
    expect(flood.held).toBe(true);
    expect(quiet.holds).toEqual([]);
    expect(typist.holds).toEqual([]);
    priority.output(flood); // the flood's own output is no echo
    expect(flood.held).toBe(true);
    priority.output(typist);
    expect(flood.holds).toEqual([true, false]);
    expect(priority.holding).toBe(0);
  });

  it('lets the flood go holdMs after the last keystroke when no echo comes', () => {
    const { priority, typist, flood, timer } = setup(15);
    priority.keystroke(typist);
    priority.keystroke(typist);
    expect(timer.live).toBe(1);
    expect(timer.timers.at(-1)!.ms).toBe(15);
    expect(flood.holds).toEqual([true]);
    timer.fire();
    expect(flood.holds).toEqual([true, false]);
    // A late echo after the release changes nothing.
    priority.output(typist);
    expect(flood.holds).toEqual([true, false]);
  });

  it('waits for every typing terminal before letting go', () => {
    const { priority, typist, flood } = setup();
    const other = new FakeTerminal();
    priority.add(other);
    priority.keystroke(typist);
    priority.keystroke(other);
    priority.output(typist);
    expect(flood.held).toBe(true);
    priority.output(other);
    expect(flood.held).toBe(false);
  });

  it('never holds the terminal typed into, even when it floods (Ctrl+C to a `yes`)', () => {
    const { priority, typist, flood } = setup();
    priority.keystroke(typist);
    expect(flood.held).toBe(true);
    priority.keystroke(flood);
    expect(flood.holds).toEqual([true, false]);
    priority.output(flood);
    expect(flood.held).toBe(false);
    expect(typist.holds).toEqual([]);
  });

  it('lets go of what it holds when the typing terminal is removed, and forgets removed terminals', () => {
    const { priority, typist, flood, timer } = setup();
    priority.keystroke(typist);
    priority.remove(typist);
    expect(flood.held).toBe(false);
    expect(timer.live).toBe(0);
    priority.remove(flood);
    const next = new FakeTerminal();
    priority.add(next);
    priority.keystroke(next);
    expect(flood.holds).toEqual([true, false]);
  });

  it('does nothing with holdMs 0', () => {
    const { priority, typist, flood, timer } = setup(0);
    priority.keystroke(typist);
    expect(flood.holds).toEqual([]);
    expect(timer.timers).toHaveLength(0);
  });
});
