import { describe, expect, it } from 'vitest';
import { newId, newToken } from '../../../server/ids.js';
import { Session } from '../../../server/sessions/session.js';

const minute = 60_000;

function session(created = 0) {
  const { token, digest } = newToken();
  const record = { id: 'abc', tokenDigest: digest, template: 'single' as const, swarm: false, network: { id: 'n', name: 'n' }, createdAt: created, lastActivity: created, extendedMs: 0, nodes: [] };
  return { token, session: new Session(record, { idleMs: 10 * minute, maxMs: 60 * minute }) };
}

describe('Session', () => {
  it('accepts its own token and no other', () => {
    const { token, session: own } = session();
    expect(own.hasToken(token)).toBe(true);
    expect(own.hasToken(newToken().token)).toBe(false);
    expect(own.hasToken('')).toBe(false);
  });

  it('expires after the idle time, and activity pushes that out', () => {
    const { session: s } = session();
    expect(s.expiresAt()).toBe(10 * minute);
    s.touch(8 * minute);
    expect(s.isExpired(10 * minute)).toBe(false);
    expect(s.isExpired(18 * minute)).toBe(true);
  });

  it('never outlives its hard maximum through activity alone', () => {
    const { session: s } = session();
    s.touch(55 * minute);
    expect(s.expiresAt()).toBe(60 * minute);
  });

  it('extend moves the hard maximum so a full idle period is left', () => {
    const { session: s } = session();
    s.extend(55 * minute);
    expect(s.expiresAt()).toBe(65 * minute);
  });

  it('makes ids fit for container names', () => {
    expect(newId()).toMatch(/^[a-z2-7]{12}$/);
    expect(newId()).not.toBe(newId());
  });
});
