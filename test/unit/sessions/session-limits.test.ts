import { describe, expect, it } from 'vitest';
import { SessionLimits } from '../../../server/sessions/session-limits.js';

describe('per-session limits', () => {
  it('refuses a slot over the bound with 429, per session, and gives it back once', () => {
    const limits = new SessionLimits({ execs: 2, checks: 1, sockets: 1 });
    const a = limits.acquire('s1', 'execs');
    limits.acquire('s1', 'execs');
    expect(() => limits.acquire('s1', 'execs')).toThrow(expect.objectContaining({ status: 429 }));
    expect(() => limits.acquire('s2', 'execs')).not.toThrow();
    a();
    a();
    expect(limits.inUse('s1', 'execs')).toBe(1);
    expect(() => limits.acquire('s1', 'execs')).not.toThrow();
    limits.acquire('s1', 'sockets');
    expect(() => limits.acquire('s1', 'sockets')).toThrow(expect.objectContaining({ status: 429 }));
    limits.forget('s1');
    expect(limits.inUse('s1', 'sockets')).toBe(0);
  });

  it('runs the server\'s commands for a session in turn, and refuses a flood', async () => {
    const limits = new SessionLimits({ execs: 1, checks: 2, sockets: 1 });
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const job = () => limits.queued('s1', () => new Promise<void>((resolve) => {
      running += 1;
      most = Math.max(most, running);
      gates.push(() => {
        running -= 1;
        resolve();
      });
    }));
    const jobs = Array.from({ length: 10 }, job);
    await new Promise((r) => setTimeout(r, 5));
    expect(running).toBe(2);
    // Two run, eight wait; the queue holds 32 (16 per slot), so 24 more are taken and 16 refused.
    let refused = 0;
    const flood = Array.from({ length: 40 }, () => job().catch((error: { status?: number }) => void (error.status === 429 && refused++)));
    await new Promise((r) => setTimeout(r, 5));
    expect(refused).toBe(16);
    while (running > 0) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all([...jobs, ...flood]);
    expect(most).toBe(2);
  });
});
