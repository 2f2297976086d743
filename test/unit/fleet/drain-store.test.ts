import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import type { DockerEngine } from '../../../server/engine/docker-engine.js';
import { DrainStore } from '../../../server/fleet/drain-store.js';
import { EngineHealth } from '../../../server/fleet/engine-health.js';
import { EngineRegistry, type FleetEngine } from '../../../server/fleet/engine-registry.js';
import { createLogger } from '../../../server/logger.js';
import { openDatabase, type Db } from '../../../server/store/database.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

const config = loadConfig({ overrides: { engines: [{ name: 'a', address: 'local' }, { name: 'b', address: 'tcp://b:2375' }] } });
const log = createLogger('silent');

/** A server's registry over `names`, with fresh health (as after a restart), answering every ping. */
function registry(db: Db, names: string[]): EngineRegistry {
  const engines: FleetEngine[] = names.map((name) => ({
    name,
    config: { name, address: 'local', limits: {} },
    engine: { ping: async () => ({ version: '20.10', apiVersion: '1.41' }) } as unknown as DockerEngine,
    backend: new FakeNodeBackend(),
    health: new EngineHealth(2),
    local: false,
  }));
  return new EngineRegistry(engines, config, log, new DrainStore(db));
}

describe('drained engines across a restart', () => {
  it('stay drained in a new registry over the same store, and an undrain is kept too', async () => {
    const db = openDatabase(':memory:');
    const before = registry(db, ['a', 'b']);
    before.drain('b');
    before.drain('b');
    const after = registry(db, ['a', 'b']);
    // Drained before the first ping: nothing is placed on it while the restarted server finds its engines.
    expect(after.get('b')!.health.isDrained()).toBe(true);
    await after.pingAll();
    expect([after.state('a'), after.state('b')]).toEqual(['up', 'draining']);
    after.undrain('b');
    expect(registry(db, ['a', 'b']).get('b')!.health.isDrained()).toBe(false);
    expect(new DrainStore(db).all()).toEqual([]);
  });

  it('forgets the drain of an engine no longer configured', () => {
    const db = openDatabase(':memory:');
    registry(db, ['a', 'b']).drain('b');
    registry(db, ['a']);
    expect(new DrainStore(db).all()).toEqual([]);
  });
});
