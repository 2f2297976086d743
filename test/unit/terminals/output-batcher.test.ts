import { describe, expect, it } from 'vitest';
import { OutputBatcher } from '../../../server/terminals/output-batcher.js';

function fakeTimers() {
  const timers: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  const clock = { at: 1000 };
  return {
    timers,
    clock,
    now: () => clock.at,
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
  };
}

describe('OutputBatcher', () => {
  it('sends output that follows silence at once, without a timer', () => {
    const clock = fakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher({ delayMs: 5, maxBytes: 100, ...clock }, (block) => out.push(block.toString()));
    batcher.push(Buffer.from('a'));
    expect(out).toEqual(['a']);
    expect(clock.timers).toHaveLength(0);
    clock.clock.at += 50;
    batcher.push(Buffer.from('b'));
    expect(out).toEqual(['a', 'b']);
    expect(clock.timers).toHaveLength(0);
  });

  it('joins chunks of sustained output into one block, sent the delay after the previous block', () => {
    const clock = fakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher({ delayMs: 5, maxBytes: 100, ...clock }, (block) => out.push(block.toString()));
    batcher.push(Buffer.from('x'));
    clock.clock.at += 1;
    batcher.push(Buffer.from('ab'));
    clock.clock.at += 1;
    batcher.push(Buffer.from('cd'));
    expect(out).toEqual(['x']);
    expect(clock.timers).toHaveLength(1);
    expect(clock.timers[0].ms).toBe(4);
    clock.clock.at += 3;
    clock.fire();
    expect(out).toEqual(['x', 'abcd']);
    expect(batcher.pending).toBe(0);
  });

  it('flushes at once when enough bytes wait, without waiting for the timer', () => {
    const clock = fakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher({ delayMs: 5, maxBytes: 4, ...clock }, (block) => out.push(block.toString()));
    batcher.push(Buffer.from('-'));
    batcher.push(Buffer.from('ab'));
    batcher.push(Buffer.from('cdef'));
    expect(out).toEqual(['-', 'abcdef']);
    clock.fire();
    expect(out).toEqual(['-', 'abcdef']);
  });

  it('ignores empty chunks and drops pending output on dispose', () => {
    const clock = fakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher({ delayMs: 5, maxBytes: 100, ...clock }, (block) => out.push(block.toString()));
    batcher.push(Buffer.alloc(0));
    expect(clock.timers).toHaveLength(0);
    batcher.push(Buffer.from('first'));
    batcher.push(Buffer.from('x'));
    batcher.dispose();
    clock.fire();
    batcher.flush();
    expect(out).toEqual(['first']);
  });
  it('says output is sustained within the delay of the last block or while a block is held', () => {
    const clock = fakeTimers();
    const batcher = new OutputBatcher({ delayMs: 5, maxBytes: 100, ...clock }, () => undefined);
    expect(batcher.sustained).toBe(false);
    batcher.push(Buffer.from('a'));
    expect(batcher.sustained).toBe(true);
    clock.clock.at += 10;
    expect(batcher.sustained).toBe(false);
    batcher.push(Buffer.from('b'));
    clock.clock.at += 2;
    batcher.push(Buffer.from('c'));
    clock.clock.at += 10;
    expect(batcher.sustained).toBe(true);
    clock.fire();
    clock.clock.at += 5;
    expect(batcher.sustained).toBe(false);
  });
});
