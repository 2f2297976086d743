import { describe, expect, it } from 'vitest';
import type { SessionNetwork } from '../../../server/nodes/node-backend.js';
import { NetworkPool, type NetworkPoolParts } from '../../../server/sessions/network-pool.js';

/** Parts whose creations finish when the test says so, recording what exists on the "engine". */
function parts() {
  const pending: Array<{ sessionId: string; resolve: (network: SessionNetwork) => void; reject: (error: Error) => void }> = [];
  const state = { ids: 0, existing: new Set<string>(), errors: [] as unknown[] };
  const p: NetworkPoolParts = {
    newId: () => `s${++state.ids}`,
    create: (sessionId) => new Promise((resolve, reject) => pending.push({ sessionId, resolve, reject })),
    remove: async (network) => void state.existing.delete(network.id),
    onError: (error) => void state.errors.push(error),
  };
  const finish = (count = pending.length) => {
    for (const creation of pending.splice(0, count)) {
      const network = { id: `net-${creation.sessionId}`, name: `sw-test-${creation.sessionId}` };
      state.existing.add(network.id);
      creation.resolve(network);
    }
  };
  const fail = () => pending.shift()?.reject(new Error('no free subnet left'));
  return { p, state, pending, finish, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('NetworkPool', () => {
  it('makes at most `parallel` networks at once until it holds its target', async () => {
    const { p, pending, finish } = parts();
    const pool = new NetworkPool(3, 2, p);
    const full = pool.whenFull();
    expect(pending).toHaveLength(2);
    finish();
    await settle();
    expect(pending).toHaveLength(1);
    finish();
    await full;
    expect(pool.size).toBe(3);
  });

  it('hands out a network with the session id its name and labels were made for, and makes another', async () => {
    const { p, state, pending, finish } = parts();
    const pool = new NetworkPool(2, 2, p);
    const full = pool.whenFull();
    finish();
    await full;
    const spare = pool.take();
    expect(spare).toEqual({ sessionId: 's1', network: { id: 'net-s1', name: 'sw-test-s1' } });
    expect(pool.size).toBe(1);
    await settle();
    expect(pending.map((c) => c.sessionId)).toEqual(['s3']);
    finish();
    await pool.whenFull();
    expect(pool.take()?.sessionId).toBe('s2'); // oldest first
    expect(state.existing.has('net-s1')).toBe(true); // a taken network is its session's now: the pool never removes it
  });

  it('gives nothing when empty (the session makes its own network)', () => {
    const { p } = parts();
    expect(new NetworkPool(0, 2, p).take()).toBeUndefined();
  });

  it('stops growing after a failed creation until it is asked again', async () => {
    const { p, state, pending, fail, finish } = parts();
    const pool = new NetworkPool(3, 1, p);
    const full = pool.whenFull();
    fail();
    await full; // settles: it cannot grow
    expect(state.errors).toHaveLength(1);
    await settle();
    expect(pending).toHaveLength(0);
    expect(pool.take()).toBeUndefined();
    await settle();
    expect(pending).toHaveLength(1); // asked again: it tries again
    finish();
    await settle();
    expect(pool.size).toBe(1);
  });

  it('keeps fewer after `lower` without removing any now', async () => {
    const { p, state, finish } = parts();
    const pool = new NetworkPool(4, 4, p);
    const full = pool.whenFull();
    finish();
    await full;
    pool.lower(3);
    expect(pool.wanted).toBe(1);
    expect(state.existing.size).toBe(4);
    pool.take();
    await settle();
    expect(pool.size).toBe(3); // above its target: nothing new is made
  });

  it('removes its spares at stop, including one whose creation ends after the stop began', async () => {
    const { p, state, pending, finish } = parts();
    const pool = new NetworkPool(3, 3, p);
    void pool.whenFull();
    finish(2);
    await settle();
    expect(pool.size).toBe(2);
    const stopped = pool.stop();
    await settle();
    expect(pending).toHaveLength(1);
    finish();
    await stopped;
    expect(state.existing.size).toBe(0);
    expect(pool.size).toBe(0);
    pool.setTarget(3);
    expect(pending).toHaveLength(0); // a stopped pool makes nothing
  });
});
