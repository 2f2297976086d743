import { describe, expect, it } from 'vitest';
import type { NodeHandle } from '../../../server/nodes/node-backend.js';
import { GenericNodePool, type GenericPoolParts } from '../../../server/sessions/generic-pool.js';

/** Parts whose starts finish when the test says so, counting places held in the server's node count. */
function parts(options: { room?: number } = {}) {
  const pending: Array<{ resolve: (node: NodeHandle) => void; reject: (error: Error) => void }> = [];
  const state = { places: 0, started: 0, discarded: [] as string[], errors: [] as unknown[] };
  const room = options.room ?? Infinity;
  const p: GenericPoolParts = {
    reserve: () => {
      if (state.places >= room) throw new Error('server full');
      state.places += 1;
      let released = false;
      return { release: () => void (released ? undefined : ((released = true), (state.places -= 1))) };
    },
    start: () => new Promise((resolve, reject) => pending.push({ resolve, reject })),
    discard: async (node) => void state.discarded.push(node.id),
    onError: (error) => void state.errors.push(error),
  };
  const finish = (count = pending.length) => {
    for (const start of pending.splice(0, count)) start.resolve({ name: `waiting-${++state.started}`, id: `w${state.started}`, address: '' });
  };
  const fail = () => pending.shift()?.reject(new Error('node did not start'));
  return { p, state, pending, finish, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GenericNodePool', () => {
  it('starts at most `parallel` nodes at once until it holds its target', async () => {
    const { p, pending, finish } = parts();
    const pool = new GenericNodePool(5, 2, p);
    const full = pool.whenFull();
    expect(pending).toHaveLength(2);
    finish();
    await settle();
    expect(pending).toHaveLength(2);
    finish();
    await settle();
    expect(pending).toHaveLength(1);
    finish();
    await full;
    expect(pool.size).toBe(5);
    expect(pending).toHaveLength(0);
  });

  it('hands out nodes with their place in the node count, and refills behind them', async () => {
    const { p, state, pending, finish } = parts();
    const pool = new GenericNodePool(3, 3, p);
    const full = pool.whenFull();
    finish();
    await full;
    expect(state.places).toBe(3);
    const taken = pool.take(2);
    expect(taken.map((n) => n.id)).toEqual(['w1', 'w2']);
    expect(state.places).toBe(1); // the taker reserves the room in this turn; the pool refills on the next
    await settle();
    expect(state.places).toBe(3); // one still waiting, two being started again
    expect(pending).toHaveLength(2);
    expect(pool.take(5).map((n) => n.id)).toEqual(['w3']);
  });

  it('stops growing after a failed start until asked again, and does not loop on a full server', async () => {
    const { p, state, pending, finish, fail } = parts({ room: 2 });
    const pool = new GenericNodePool(4, 4, p);
    const full = pool.whenFull();
    expect(pending).toHaveLength(2);
    expect(state.errors).toHaveLength(1); // the third place was refused
    finish();
    await full;
    expect(pool.size).toBe(2);
    pool.take(1);
    await settle();
    expect(pending).toHaveLength(1); // the taken node's place, and no more: the next one is refused again
    expect(state.errors).toHaveLength(2);
    fail();
    await settle();
    expect(pending).toHaveLength(0);
    expect(state.errors).toHaveLength(3);
    expect(state.places).toBe(1);
  });

  it('evicts a waiting node for a learner, and removes all of them on stop once starts in flight end', async () => {
    const { p, state, finish } = parts();
    const pool = new GenericNodePool(3, 2, p);
    const full = pool.whenFull();
    finish();
    await settle();
    expect(await pool.evictOne()).toBe(true);
    expect(state.discarded).toEqual(['w2']);
    const stopped = pool.stop();
    finish();
    await stopped;
    await full;
    expect(pool.size).toBe(0);
    expect(state.places).toBe(0);
    expect(state.discarded.sort()).toEqual(['w1', 'w2', 'w3']);
  });
});
