import { describe, expect, it } from 'vitest';
import { EngineHealth } from '../../../server/fleet/engine-health.js';

const ok = { ok: true } as const;
const fail = (error = 'timeout') => ({ ok: false as const, error });

describe('EngineHealth', () => {
  it('is down until the first answer, then up', () => {
    const health = new EngineHealth(3);
    expect(health.state()).toBe('down');
    expect(health.pinged(ok)).toBe('up');
    expect(health.state()).toBe('up');
    expect(health.pinged(ok)).toBeUndefined();
  });

  it('goes down after the configured failures in a row, not on one slow answer', () => {
    const health = new EngineHealth(3, false);
    expect(health.pinged(fail())).toBeUndefined();
    expect(health.pinged(fail())).toBeUndefined();
    expect(health.pinged(ok)).toBeUndefined();
    expect(health.pinged(fail())).toBeUndefined();
    expect(health.pinged(fail())).toBeUndefined();
    expect(health.pinged(fail('connect ECONNREFUSED'))).toBe('down');
    expect(health.state()).toBe('down');
    expect(health.reason()).toBe('connect ECONNREFUSED');
    // Further failures change nothing; the first answer brings it back.
    expect(health.pinged(fail())).toBeUndefined();
    expect(health.pinged(ok)).toBe('up');
    expect(health.reason()).toBeUndefined();
  });

  it('keeps a drain across going down and coming back', () => {
    const health = new EngineHealth(1, false);
    health.drain();
    expect(health.state()).toBe('draining');
    health.pinged(fail());
    expect(health.state()).toBe('down');
    health.pinged(ok);
    expect(health.state()).toBe('draining');
    health.undrain();
    expect(health.state()).toBe('up');
  });
});
