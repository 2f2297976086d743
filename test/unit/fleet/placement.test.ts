import { describe, expect, it } from 'vitest';
import { CapacityError } from '../../../server/errors.js';
import { chooseEngine, freeNodes, type EngineLoad } from '../../../server/fleet/placement.js';

const load = (name: string, nodes: number, extra: Partial<EngineLoad> = {}): EngineLoad => ({ name, state: 'up', nodes, nodeRoom: 30, memoryMb: 30 * 1024, memoryUsedMb: nodes * 1024, ...extra });

describe('placement', () => {
  it('counts room by node count and by memory, whichever is smaller', () => {
    expect(freeNodes(load('a', 10), 1024)).toBe(20);
    expect(freeNodes(load('a', 10, { nodeRoom: 12 }), 1024)).toBe(2);
    expect(freeNodes(load('a', 10, { memoryMb: 12 * 1024 }), 1024)).toBe(2);
    expect(freeNodes(load('a', 40), 1024)).toBe(0);
  });

  it('spreads to the emptiest engine and packs onto the fullest that fits', () => {
    const loads = [load('a', 9), load('b', 3), load('c', 27)];
    expect(chooseEngine(loads, 3, 1024, 'spread')).toBe('b');
    expect(chooseEngine(loads, 3, 1024, 'pack')).toBe('c');
    // c has 3 places left: a 4-node session packs on the next fullest.
    expect(chooseEngine(loads, 4, 1024, 'pack')).toBe('a');
  });

  it('compares engines of different sizes by their share of free room', () => {
    const loads = [load('big', 20, { nodeRoom: 100, memoryMb: 100 * 1024 }), load('small', 2, { nodeRoom: 10, memoryMb: 10 * 1024 })];
    expect(chooseEngine(loads, 3, 1024, 'spread')).toBe('big');
  });

  it('breaks ties by the order of the config', () => {
    expect(chooseEngine([load('a', 0), load('b', 0)], 3, 1024, 'spread')).toBe('a');
    expect(chooseEngine([load('a', 0), load('b', 0)], 3, 1024, 'pack')).toBe('a');
  });

  it('places nothing on an engine that is down or draining', () => {
    const loads = [load('a', 0, { state: 'down' }), load('b', 0, { state: 'draining' }), load('c', 25)];
    expect(chooseEngine(loads, 3, 1024, 'spread')).toBe('c');
  });

  it('refuses with a CapacityError (503) only when no engine has room, saying why', () => {
    expect(() => chooseEngine([load('a', 29), load('b', 28)], 3, 1024, 'spread')).toThrow(new CapacityError('no Docker engine has room for 3 more nodes; try again when a session ends'));
    expect(() => chooseEngine([load('a', 0, { state: 'down' }), load('b', 0, { state: 'draining' })], 1, 1024, 'pack')).toThrow(/no Docker engine is taking sessions \(a: down, b: draining\)/);
  });
});
