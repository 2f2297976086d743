import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCheckSchedule, type DueCheck } from '../../../server/checks/check-schedule.js';
import { createLogger } from '../../../server/logger.js';
import type { Session } from '../../../server/sessions/session.js';

const due = (learner: string): DueCheck => ({ learner, session: { id: `s-${learner}` } as Session, lesson: 'demo', step: 0 });

describe('the background check schedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks each due step one learner at a time, skips a round while one is running, and stops', async () => {
    const finishers: Array<() => void> = [];
    const ran: string[] = [];
    const run = (check: DueCheck) => {
      ran.push(check.learner);
      if (check.learner === 'bob') return Promise.reject(new Error('node unreachable'));
      return new Promise<void>((resolve) => finishers.push(resolve));
    };
    const stop = startCheckSchedule(run, { dueChecks: () => [due('ada'), due('bob'), due('cy')] }, 10, createLogger('silent'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['ada']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['ada']);
    finishers.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['ada', 'bob', 'cy']);
    finishers.shift()!();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['ada', 'bob', 'cy', 'ada']);
    finishers.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    finishers.shift()!();
    expect(ran).toEqual(['ada', 'bob', 'cy', 'ada', 'bob', 'cy']);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ran).toHaveLength(6);
  });

  it('never runs with an interval of 0', async () => {
    const run = vi.fn(async () => undefined);
    startCheckSchedule(run, { dueChecks: () => [due('ada')] }, 0, createLogger('silent'));
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(run).not.toHaveBeenCalled();
  });
});
