import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../client/src/backoff.js';

describe('Backoff (client reconnects)', () => {
  it('doubles up to a ceiling and starts over after a success', () => {
    const backoff = new Backoff(500, 4000, () => 0.5);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([500, 1000, 2000, 4000, 4000]);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });

  it('spreads delays by ±25% so many clients do not reconnect in step', () => {
    expect(new Backoff(1000, 10_000, () => 0).next()).toBe(750);
    expect(new Backoff(1000, 10_000, () => 0.999999).next()).toBe(1250);
  });
});
