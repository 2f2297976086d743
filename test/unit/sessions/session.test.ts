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

  it('extend gives a full idle period again, but never passes the hard maximum', () => {
    const { session: s } = session();
    s.extend(20 * minute);
    expect(s.expiresAt()).toBe(30 * minute);
    for (let at = 25; at <= 70; at += 5) s.extend(at * minute);
    expect(s.expiresAt()).toBe(60 * minute);
    expect(s.isExpired(60 * minute)).toBe(true);
  });

  it('a row stored with extra time from an older version still ends at the hard maximum', () => {
    const record = { id: 'abc', tokenDigest: newToken().digest, template: 'single' as const, swarm: false, network: { id: 'n', name: 'n' }, createdAt: 0, lastActivity: 58 * minute, extendedMs: 30 * minute, nodes: [] };
    expect(new Session(record, { idleMs: 10 * minute, maxMs: 60 * minute }).expiresAt()).toBe(60 * minute);
  });

  it('makes ids fit for container names', () => {
    expect(newId()).toMatch(/^[a-z2-7]{12}$/);
    expect(newId()).not.toBe(newId());
  });
});
