import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import type { DockerEngine } from '../../../server/engine/docker-engine.js';
import { EngineHealth } from '../../../server/fleet/engine-health.js';
import { EngineRegistry, type FleetEngine } from '../../../server/fleet/engine-registry.js';
import { FleetNodeBackend } from '../../../server/fleet/fleet-node-backend.js';
import { PlacementStore } from '../../../server/fleet/placement-store.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import { SessionStore } from '../../../server/store/session-store.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

/** One engine's node backend in memory; container ids carry the engine's name so a call routed wrong shows. */
class EngineBackend extends FakeNodeBackend {
  constructor(readonly engineName: string) {
    super();
  }

  override async createNode(...args: Parameters<FakeNodeBackend['createNode']>) {
    const handle = await super.createNode(...args);
    const renamed = { ...handle, id: `${this.engineName}-${handle.id}` };
    this.nodes.delete(handle.id);
    this.nodes.set(renamed.id, { ...renamed, sessionId: args[0] });
    return renamed;
  }
}

const log = createLogger('silent');
const config = loadConfig({ overrides: { limits: { maxSessions: 100, maxNodesTotal: 300, nodeMemoryMb: 1024 }, engines: [{ name: 'a', address: 'local' }, { name: 'b', address: 'tcp://b:2375' }, { name: 'c', address: 'tcp://c:2375' }] } });

/** Three engines in memory; a restart passes the same database and the same engines' contents. */
function fleet(db = openDatabase(':memory:'), backends = new Map(['a', 'b', 'c'].map((name) => [name, new EngineBackend(name)]))) {
  const answering = new Map([['a', true], ['b', true], ['c', true]]);
  const reads = new Map<string, number>();
  const engines: FleetEngine[] = ['a', 'b', 'c'].map((name) => ({
    name,
    config: { name, address: 'local', limits: { nodes: 9 } },
    // The engine's API as placement and the pings use it: a 32 GiB host with no other server's nodes.
    engine: {
      ping: async () => {
        if (!answering.get(name)) throw new Error('no answer');
        return { version: '20.10', apiVersion: '1.41' };
      },
      hostResources: async () => {
        reads.set(name, (reads.get(name) ?? 0) + 1);
        return { memoryBytes: 32 * 2 ** 30, cpus: 8, containersRunning: 0 };
      },
      countLabelled: async () => [],
    } as unknown as DockerEngine,
    backend: backends.get(name)!,
    health: new EngineHealth(config.fleet.failuresBeforeDown),
    local: name === 'a',
  }));
  const registry = new EngineRegistry(engines, config, log);
  const backend = new FleetNodeBackend(registry, new PlacementStore(db), config.limits.nodeMemoryMb, log);
  const sessions = new SessionManager(backend, config, log, Date.now, new SessionStore(db));
  return { registry, backend, backends, sessions, answering, db, reads };
}

const learner = (n: number) => ({ id: `learner${n}`, tokenDigest: Buffer.alloc(32, n) });
const engineOfNodes = (backend: FleetNodeBackend, sessions: SessionManager, id: string) => [...new Set([...sessions.find(id)!.nodes.values()].map((node) => backend.engineOfNode(node)))];

describe('FleetNodeBackend', () => {
  it('spreads an event\'s learners over the engines and packs self-paced sessions, each session on one engine', async () => {
    const { registry, backend, sessions } = fleet();
    await registry.pingAll();
    const learners = [];
    for (let n = 1; n <= 3; n++) learners.push(await sessions.create({ template: 'swarm-1m2w', swarm: false }, learner(n)));
    expect(learners.map((s) => engineOfNodes(backend, sessions, s.id))).toEqual([['a'], ['b'], ['c']]);
    const selfPaced = [await sessions.create({ template: 'single', swarm: false }), await sessions.create({ template: 'single', swarm: false })];
    // Every engine holds 3 nodes; packing fills the first listed, then keeps filling it.
    expect(selfPaced.map((s) => engineOfNodes(backend, sessions, s.id))).toEqual([['a'], ['a']]);
    expect((await backend.views()).map((v) => [v.name, v.sessions, v.nodes, v.freeNodes])).toEqual([['a', 3, 5, 4], ['b', 1, 3, 6], ['c', 1, 3, 6]]);
    // The dashboard's load: the share of the 9 node places taken, and the memory their limits take.
    expect((await backend.views()).map((v) => [v.name, v.loadPercent, v.memoryUsedMb, v.memoryMb])).toEqual([['a', 56, 5 * 1024, 32 * 1024], ['b', 33, 3 * 1024, 32 * 1024], ['c', 33, 3 * 1024, 32 * 1024]]);
  });

  it('measures each engine once for a class placed together, and again once the reading is old', async () => {
    const { registry, sessions, reads } = fleet();
    await registry.pingAll();
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
    try {
      // Ten learners joining at once are placed one after another; all but the first reuse its readings.
      await Promise.all(Array.from({ length: 10 }, (_, n) => sessions.create({ template: 'single', swarm: false }, learner(n + 1))));
      expect([...reads.values()]).toEqual([1, 1, 1]);
      // Readings under way are shared, even by a caller that wants a fresh one.
      await Promise.all([registry.measure('a'), registry.measure('a')]);
      expect(reads.get('a')).toBe(2);
      clock.mockReturnValue(now + 2_500);
      await sessions.create({ template: 'single', swarm: false }, learner(11));
      expect([...reads.values()]).toEqual([3, 2, 2]);
    } finally {
      clock.mockRestore();
    }
  });

  it('reaches a local engine\'s nodes directly and a remote engine\'s through its API', async () => {
    const { registry, backend, sessions } = fleet();
    await registry.pingAll();
    const onA = sessions.find((await sessions.create({ template: 'single', swarm: false }, learner(1))).id)!;
    const onB = sessions.find((await sessions.create({ template: 'single', swarm: false }, learner(2))).id)!;
    expect([engineOfNodes(backend, sessions, onA.id), engineOfNodes(backend, sessions, onB.id)]).toEqual([['a'], ['b']]);
    expect([...sessions.engineAddresses(onA)!.keys()]).toEqual(['node1']);
    expect([...sessions.engineAddresses(onB)!.keys()]).toEqual([]);
    expect(sessions.nodePortOpener(onA, 'node1')).toBeUndefined();
    expect(sessions.nodePortOpener(onB, 'node1')).toBeTypeOf('function');
  });

  it('routes every call of a session to its engine, and a restart finds the engines in the store', async () => {
    const first = fleet();
    await first.registry.pingAll();
    const created = await first.sessions.create({ template: 'swarm-1m2w', swarm: true }, learner(1));
    const engine = engineOfNodes(first.backend, first.sessions, created.id)[0];
    const ran = await first.sessions.exec(first.sessions.find(created.id)!, 'node2', 'hostname');
    expect(ran.exitCode).toBe(0);
    expect(first.backends.get(engine)!.commands.at(-1)).toEqual({ node: 'node2', command: 'hostname' });
    await first.sessions.stop();

    // Same database, same engines' contents: the restarted server takes the session back on its engine.
    const second = fleet(first.db, first.backends);
    await second.registry.pingAll();
    await second.sessions.start();
    expect(second.sessions.ids()).toEqual([created.id]);
    expect(engineOfNodes(second.backend, second.sessions, created.id)).toEqual([engine]);
    await second.sessions.stop({ endSessions: true });
    expect([...second.backends.values()].map((b) => b.nodes.size)).toEqual([0, 0, 0]);
  });

  it("keeps the warm pool's sessions spread over the engines, and never hands out one on a drained engine", async () => {
    const { registry, backend } = fleet();
    await registry.pingAll();
    const pooled = new SessionManager(backend, loadConfig({ overrides: { ...config, sessions: { pool: { single: 3 } } } }), log, Date.now);
    await pooled.warmUp();
    expect(['a', 'b', 'c'].map((engine) => backend.sessionsOn(engine).length)).toEqual([1, 1, 1]);
    registry.drain('b');
    const handedOut = [];
    for (let i = 0; i < 3; i++) handedOut.push(await pooled.create({ template: 'single', swarm: false }));
    expect(handedOut.map((session) => backend.engineOf(session.id)).sort()).toEqual(['a', 'a', 'c']);
    await pooled.warmUp();
    expect(backend.sessionsOn('b')).toEqual([]);
    await pooled.stop({ endSessions: true });
  });

  it('places nothing on a down or drained engine, answers 503 engine_down for its sessions, and 503 when nothing has room', async () => {
    const { registry, backend, sessions, answering } = fleet();
    await registry.pingAll();
    const onB = await sessions.create({ template: 'swarm-1m2w', swarm: false }, learner(1));
    const onBId = (await sessions.create({ template: 'swarm-1m2w', swarm: false }, learner(2))).id;
    expect(engineOfNodes(backend, sessions, onBId)).toEqual(['b']);
    answering.set('b', false);
    for (let i = 0; i < config.fleet.failuresBeforeDown; i++) await registry.pingAll();
    expect(registry.state('b')).toBe('down');
    await expect(sessions.exec(sessions.find(onBId)!, 'node1', 'true')).rejects.toMatchObject({ status: 503, code: 'engine_down' });
    expect((await sessions.view(sessions.find(onBId)!)).nodes.map((n) => n.status)).toEqual(['down', 'down', 'down']);
    registry.drain('c');
    // a has 3 of 9 nodes: two more learners fit there, the third finds no room.
    await sessions.create({ template: 'swarm-1m2w', swarm: false }, learner(3));
    await sessions.create({ template: 'swarm-1m2w', swarm: false }, learner(4));
    await expect(sessions.create({ template: 'single', swarm: false }, learner(5))).rejects.toMatchObject({ message: expect.stringContaining('no Docker engine has room for 1 more node') });
    expect(engineOfNodes(backend, sessions, onB.id)).toEqual(['a']);
    // Ending a session on the down engine is quick: its containers wait for the engine's sweep.
    await sessions.end(onBId, 'test');
    expect(backend.sessionsOn('b')).toEqual([]);
  });
});
