import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/terminals/rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait as long as the excess takes at the rate', () => {
    const limiter = new RateLimiter(1000, 500, 0);
    expect(limiter.take(400, 0)).toBe(0);
    expect(limiter.take(100, 0)).toBe(0);
    expect(limiter.take(250, 0)).toBe(250);
    // After the wait the bucket is even again.
    expect(limiter.take(0, 250)).toBe(0);
  });

  it('refills over time, never above the burst', () => {
    const limiter = new RateLimiter(1000, 500, 0);
    limiter.take(500, 0);
    expect(limiter.take(300, 300)).toBe(0);
    expect(limiter.take(600, 10_000)).toBe(100);
  });
});
