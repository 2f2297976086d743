import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../server/errors.js';
import { Capacity } from '../../../server/sessions/capacity.js';

const limits = { maxSessions: 2, maxNodesTotal: 5, maxNodesPerSession: 3 };

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as HttpError).status;
  }
  return undefined;
}

describe('Capacity', () => {
  it('refuses a session past the session limit with 503 and a Retry-After', () => {
    const capacity = new Capacity(limits);
    capacity.reserveSession(1);
    capacity.reserveSession(1);
    let error: HttpError | undefined;
    try {
      capacity.reserveSession(1);
    } catch (caught) {
      error = caught as HttpError;
    }
    expect(error?.status).toBe(503);
    expect(error?.message).toMatch(/limit of 2 sessions/);
    expect(error?.headers['Retry-After']).toBe('30');
  });

  it('refuses nodes past the server-wide node limit, counting sessions still starting', () => {
    const capacity = new Capacity(limits);
    capacity.reserveSession(3);
    expect(statusOf(() => capacity.reserveSession(3))).toBe(503);
    expect(capacity.usage()).toEqual({ sessions: 1, nodes: 3 });
  });

  it('gives the place back on release, once only', () => {
    const capacity = new Capacity(limits);
    const reservation = capacity.reserveSession(3);
    reservation.release();
    reservation.release();
    expect(capacity.usage()).toEqual({ sessions: 0, nodes: 0 });
  });

  it('answers 429 for a node past the per-session limit, and counts removed nodes out', () => {
    const capacity = new Capacity(limits);
    const reservation = capacity.reserveSession(2);
    reservation.addNode();
    expect(statusOf(() => reservation.addNode())).toBe(429);
    reservation.removeNode();
    reservation.removeNode();
    expect(capacity.usage()).toEqual({ sessions: 1, nodes: 1 });
    reservation.addNode();
    reservation.release();
    expect(capacity.usage()).toEqual({ sessions: 0, nodes: 0 });
  });
});
