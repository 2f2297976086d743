import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { createLogger } from '../../../server/logger.js';
import { execLimits } from '../../../server/sessions/exec-profiles.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

function setup(overrides = {}) {
  let now = 1_000_000;
  const backend = new FakeNodeBackend();
  const config = loadConfig({ overrides: { limits: { maxSessions: 2, maxNodesTotal: 6 }, sessions: { idleMinutes: 1, maxMinutes: 10 }, ...overrides } });
  const manager = new SessionManager(backend, config, createLogger('silent'), () => now);
  return { backend, manager, config, advance: (ms: number) => (now += ms) };
}

describe('SessionManager', () => {
  it('forms a pre-formed swarm the way a learner would: init, tokens, join', async () => {
    const { backend, manager, config } = setup();
    const created = await manager.create({ template: 'swarm-1m2w', swarm: true });
    expect(created.nodes.map((n) => `${n.name}:${n.role}`)).toEqual(['node1:manager', 'node2:worker', 'node3:worker']);
    expect(backend.commands[0]).toEqual({ node: 'node1', command: 'docker swarm init --advertise-addr 10.0.0.1 >/dev/null && docker swarm join-token -q worker && docker swarm join-token -q manager' });
    expect(new Set(backend.limits.map((limits) => JSON.stringify(limits)))).toEqual(new Set([JSON.stringify(execLimits('swarm', config.limits))]));
    expect(backend.commands.filter((c) => c.command.includes('join --token SWMTKN-1-worker 10.0.0.1:2377')).map((c) => c.node).sort()).toEqual(['node2', 'node3']);
  });

  it('leaves nothing behind when a node fails to start, and frees its place', async () => {
    const { backend, manager } = setup();
    backend.failNodeNamed = 'node3';
    await expect(manager.create({ template: 'swarm-1m2w', swarm: false })).rejects.toMatchObject({ status: 503, message: expect.stringContaining('node node3 failed to start') });
    expect(backend.nodes.size).toBe(0);
    expect(backend.networks.size).toBe(0);
    backend.failNodeNamed = undefined;
    await manager.create({ template: 'swarm-1m2w', swarm: false });
    await manager.create({ template: 'swarm-1m2w', swarm: false });
  });

  it('answers 404 for an unknown session, 401 without a token, 403 for another session\'s token', async () => {
    const { manager } = setup();
    const a = await manager.create({ template: 'single', swarm: false });
    const b = await manager.create({ template: 'single', swarm: false });
    expect(() => manager.authorize('nosuchsession', a.token)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => manager.authorize(a.id, undefined)).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => manager.authorize(a.id, b.token)).toThrow(expect.objectContaining({ status: 403 }));
    expect(manager.authorize(a.id, a.token).id).toBe(a.id);
  });

  it('expires idle sessions, removing their nodes and network', async () => {
    const { backend, manager, advance } = setup();
    const idle = await manager.create({ template: 'swarm-1m2w', swarm: false });
    const busy = await manager.create({ template: 'single', swarm: false });
    advance(50_000);
    manager.authorize(busy.id, busy.token);
    advance(20_000);
    await manager.expireIdle();
    expect(manager.ids()).toEqual([busy.id]);
    expect([...backend.nodes.values()].map((n) => n.sessionId)).toEqual([busy.id]);
    expect(backend.networks.has(`net-${idle.id}`)).toBe(false);
  });

  it('ends a session whose nodes are all gone (an engine restart), but never on an engine that does not answer', async () => {
    const { backend, manager } = setup();
    const kept = await manager.create({ template: 'swarm-1m2w', swarm: false });
    const gone = await manager.create({ template: 'single', swarm: false });
    // One of three nodes gone is the learner's to fix; every node gone is the end of the session.
    const [firstOfKept] = [...backend.nodes.values()].filter((n) => n.sessionId === kept.id);
    backend.nodes.delete(firstOfKept.id);
    const isRunning = backend.isRunning.bind(backend);
    backend.isRunning = async () => {
      throw new Error('the engine does not answer');
    };
    for (const node of [...backend.nodes.values()].filter((n) => n.sessionId === gone.id)) backend.nodes.delete(node.id);
    await manager.expireIdle();
    expect(manager.ids().sort()).toEqual([kept.id, gone.id].sort());
    backend.isRunning = isRunning;
    await manager.expireIdle();
    expect(manager.ids()).toEqual([kept.id]);
    expect(backend.networks.has(`net-${gone.id}`)).toBe(false);
  });

  it('adds a node to a formed swarm as a worker and removes it again', async () => {
    const { backend, manager } = setup();
    const created = await manager.create({ template: 'single', swarm: true });
    const session = manager.authorize(created.id, created.token);
    const added = await manager.addNode(session, {});
    expect(added).toMatchObject({ name: 'node2', role: 'worker' });
    expect(backend.commands.at(-1)).toEqual({ node: 'node2', command: 'docker swarm join --token SWMTKN-1-worker 10.0.0.1:2377' });
    await expect(manager.addNode(session, { name: 'node2' })).rejects.toMatchObject({ status: 409 });
    await manager.removeNode(session, 'node2');
    expect(session.nodes.has('node2')).toBe(false);
  });

  it('starts at most limits.concurrentNodeStarts nodes at once; the others wait their turn', async () => {
    const { backend, manager } = setup({ limits: { maxSessions: 10, maxNodesTotal: 30, concurrentNodeStarts: 2 } });
    backend.startDelayMs = 20;
    const sessions = await Promise.all([1, 2, 3].map(() => manager.create({ template: 'swarm-1m2w', swarm: true })));
    expect(sessions.every((s) => s.nodes.length === 3)).toBe(true);
    expect(backend.mostStartingAtOnce).toBe(2);
  });

  it("bounds a learner's commands in size, time and output, as configured", async () => {
    const { manager, backend, config } = setup({ limits: { maxSessions: 2, maxNodesTotal: 6, execTimeoutSeconds: 30, commandMaxBytes: 1000 } });
    const created = await manager.create({ template: 'single', swarm: false });
    const session = manager.authorize(created.id, created.token);
    await expect(manager.exec(session, 'node1', 'x'.repeat(config.limits.commandMaxBytes + 1))).rejects.toMatchObject({ status: 413 });
    await expect(manager.exec(session, 'node9', 'true')).rejects.toMatchObject({ status: 404 });
    await manager.exec(session, 'node1', 'x'.repeat(config.limits.commandMaxBytes));
    await manager.exec(session, 'node1', 'sleep 5', 5);
    await manager.exec(session, 'node1', 'sleep 999', 999);
    expect(backend.limits.slice(-3)).toEqual([
      { timeoutMs: config.limits.execTimeoutSeconds * 1000, maxOutputBytes: config.limits.execMaxOutputBytes },
      { timeoutMs: 5000, maxOutputBytes: config.limits.execMaxOutputBytes },
      { timeoutMs: config.limits.execTimeoutSeconds * 1000, maxOutputBytes: config.limits.execMaxOutputBytes },
    ]);
  });

  it("runs the server's own commands under their purpose's limits, and rejects an unknown node", async () => {
    const { manager, backend, config } = setup();
    const created = await manager.create({ template: 'single', swarm: false });
    const session = manager.authorize(created.id, created.token);
    for (const profile of ['check', 'lookup', 'status'] as const) {
      await manager.nodeExec(session, profile)('node1', `${profile} command`);
      expect(backend.limits.at(-1)).toEqual(execLimits(profile, config.limits));
    }
    // The checker's commands are not a learner's: they may be longer than a learner's command may be.
    await manager.nodeExec(session, 'check')('node1', 'x'.repeat(config.limits.commandMaxBytes + 1));
    await expect(manager.nodeExec(session, 'check')('node9', 'true')).rejects.toThrow('no node node9');
  });
});

describe('SessionManager with a warm pool', () => {
  it('hands out a pooled session without starting nodes, then refills', async () => {
    const { backend, manager } = setup({ sessions: { pool: { 'swarm-1m2w+swarm': 1 } } });
    await manager.warmUp();
    expect(backend.nodes.size).toBe(3);
    const pooledAddresses = [...backend.nodes.values()].map((n) => n.address);
    const created = await manager.create({ template: 'swarm-1m2w', swarm: true });
    expect(created.nodes.map((n) => n.address)).toEqual(pooledAddresses);
    expect(created.nodes.map((n) => n.role)).toEqual(['manager', 'worker', 'worker']);
    await manager.warmUp();
    expect(backend.nodes.size).toBe(6);
    expect(manager.ids()).toEqual([created.id]);
  });

  it('does not use the pool for another template, and evicts pooled sessions when a learner needs the room', async () => {
    const { backend, manager } = setup({ limits: { maxSessions: 2, maxNodesTotal: 4 }, sessions: { pool: { 'swarm-1m2w+swarm': 1 } } });
    await manager.warmUp();
    const single = await manager.create({ template: 'single', swarm: false });
    expect(backend.nodes.size).toBe(4);
    const raw = await manager.create({ template: 'swarm-1m2w', swarm: false });
    expect(manager.ids().sort()).toEqual([single.id, raw.id].sort());
    expect(backend.nodes.size).toBe(4);
  });

  it('builds pooled sessions side by side, as many as keep the node start queue busy', async () => {
    const { backend, manager } = setup({ limits: { maxSessions: 4, maxNodesTotal: 10, concurrentNodeStarts: 4 }, sessions: { pool: { single: 4 } } });
    backend.startDelayMs = 20;
    await manager.warmUp();
    expect(backend.nodes.size).toBe(4);
    expect(backend.mostStartingAtOnce).toBe(4);
  });

  it("never hands out a pooled session whose engine stopped taking sessions: it is removed and replaced", async () => {
    const { backend, manager } = setup({ sessions: { pool: { single: 1 } } });
    await manager.warmUp();
    const stale = [...backend.nodes.values()][0];
    backend.closedSessions.add(stale.sessionId);
    const created = await manager.create({ template: 'single', swarm: false });
    expect(created.id).not.toBe(stale.sessionId);
    await manager.warmUp();
    const owners = [...backend.nodes.values()].map((node) => node.sessionId);
    expect(owners).not.toContain(stale.sessionId);
    expect(owners).toHaveLength(2);
  });

  it('removes pooled sessions on stop', async () => {
    const { backend, manager } = setup({ sessions: { pool: { single: 2 } } });
    await manager.warmUp();
    expect(backend.nodes.size).toBe(2);
    await manager.stop();
    expect(backend.nodes.size).toBe(0);
    expect(backend.networks.size).toBe(0);
  });
});

describe('SessionManager with a generic pool', () => {
  const waitingIds = (backend: FakeNodeBackend) => [...backend.nodes.values()].filter((n) => n.sessionId === 'waiting-room' && n.name.startsWith('waiting-')).map((n) => n.id);

  it('adopts waiting nodes under their node names before forming the swarm, then refills', async () => {
    const { backend, manager } = setup({ sessions: { genericPool: 3 } });
    await manager.start();
    await manager.warmUp();
    const waiting = waitingIds(backend);
    expect(waiting).toHaveLength(3);
    const created = await manager.create({ template: 'swarm-1m2w', swarm: true });
    expect(backend.adoptions.map((a) => [a.id, a.name])).toEqual(waiting.map((id, i) => [id, `node${i + 1}`]));
    expect(backend.adoptions.every((a) => a.sessionId === created.id)).toBe(true);
    expect(created.nodes.map((n) => `${n.name}:${n.role}`)).toEqual(['node1:manager', 'node2:worker', 'node3:worker']);
    // The swarm is formed after the nodes took their names (a swarm keeps the hostname a node had when it joined).
    expect(backend.commands[0]).toEqual({ node: 'node1', command: expect.stringContaining('docker swarm init') });
    await manager.warmUp();
    expect(waitingIds(backend)).toHaveLength(3);
    expect(manager.census().nodes).toEqual({ active: 3, warm: 3, starting: 0 });
    await manager.stop({ endSessions: true });
  });

  it('serves any template and a custom node list, starting fresh nodes for what the pool lacks', async () => {
    const { backend, manager } = setup({ limits: { maxSessions: 4, maxNodesTotal: 20 }, sessions: { genericPool: 2 } });
    await manager.start();
    await manager.warmUp();
    const custom = await manager.create({ nodes: [{ name: 'alpha' }, { name: 'beta' }, { name: 'gamma' }], swarm: false });
    expect(custom.nodes.map((n) => n.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(backend.adoptions.map((a) => a.name)).toEqual(['alpha', 'beta']);
    const session = manager.authorize(custom.id, custom.token);
    await manager.warmUp();
    await manager.addNode(session, { name: 'delta' });
    expect(backend.adoptions.map((a) => a.name)).toEqual(['alpha', 'beta', 'delta']);
    await manager.stop({ endSessions: true });
  });

  it('starts a fresh node when a waiting node cannot be adopted, and removes the one it could not adopt', async () => {
    const { backend, manager } = setup({ sessions: { genericPool: 1 } });
    await manager.start();
    await manager.warmUp();
    const [waiting] = waitingIds(backend);
    backend.failAdoption = true;
    const created = await manager.create({ template: 'single', swarm: false });
    expect(created.nodes[0].name).toBe('node1');
    expect(backend.nodes.has(waiting)).toBe(false);
    expect([...backend.nodes.values()].filter((n) => n.sessionId === created.id).map((n) => n.name)).toEqual(['node1']);
    await manager.stop({ endSessions: true });
  });

  it("keeps an event's warm pool as waiting nodes, three for each learner of a three-node template, used up by the class", async () => {
    const { backend, manager } = setup({ limits: { maxSessions: 4, maxNodesTotal: 20 }, sessions: { eventPool: 'generic' } });
    await manager.start();
    manager.warm('swarm-1m2w', true, 2);
    await manager.warmUp();
    expect(manager.genericPool()).toEqual({ waiting: 6, wanted: 6 });
    expect(manager.census().sessions.warm).toBe(0);
    expect(backend.nodes.size).toBe(6);
    // The class uses them up: no nodes are started during the class to replace them.
    await manager.create({ template: 'swarm-1m2w', swarm: true });
    await manager.warmUp();
    expect(manager.genericPool()).toEqual({ waiting: 3, wanted: 3 });
    expect(backend.nodes.size).toBe(6);
    await manager.stop({ endSessions: true });
    expect(backend.nodes.size).toBe(0);
  });

  it('gives waiting nodes up when a learner needs their room', async () => {
    const { backend, manager } = setup({ limits: { maxSessions: 2, maxNodesTotal: 4 }, sessions: { genericPool: 4 } });
    await manager.start();
    await manager.warmUp();
    expect(waitingIds(backend)).toHaveLength(4);
    // A custom list of four takes the four waiting nodes; a second session then finds the server full of its own nodes only.
    await manager.create({ template: 'swarm-1m2w', swarm: false });
    await manager.warmUp();
    expect(backend.nodes.size).toBe(4);
    const single = await manager.create({ template: 'single', swarm: false });
    expect(single.nodes).toHaveLength(1);
    expect(backend.nodes.size).toBe(4);
    await manager.stop({ endSessions: true });
  });

  it('keeps adopted nodes of a restored session when sweeping after a restart, though they carry the pool label', async () => {
    const { backend, manager } = setup({ sessions: { genericPool: 1 } });
    await manager.start();
    await manager.warmUp();
    const created = await manager.create({ template: 'single', swarm: false });
    const adopted = backend.adoptions[0].id;
    expect(backend.nodes.get(adopted)?.sessionId).toBe('waiting-room');
    // What start() passes to the sweep: the live sessions and their nodes by id.
    await backend.sweep(new Set([created.id]), new Set([adopted]));
    expect(backend.nodes.has(adopted)).toBe(true);
    await manager.stop({ endSessions: true });
  });
});

describe('SessionManager with spare networks', () => {
  /** A backend that, like the Docker one on a single engine, can make session networks before their sessions. */
  class NetworksAheadBackend extends FakeNodeBackend {
    readonly networksAhead = true;
  }
  function setupAhead(overrides = {}) {
    const backend = new NetworksAheadBackend();
    const config = loadConfig({ overrides: { limits: { maxSessions: 4, maxNodesTotal: 20, concurrentNodeStarts: 2 }, sessions: { spareNetworks: true }, ...overrides } });
    return { backend, manager: new SessionManager(backend, config, createLogger('silent')) };
  }

  it('keeps as many spare networks as the start queue is wide; a session takes one and the id it was made for', async () => {
    const { backend, manager } = setupAhead();
    await manager.start();
    await manager.warmUp();
    const spares = [...backend.networks.keys()];
    expect(spares).toHaveLength(2);
    const created = await manager.create({ template: 'single', swarm: false });
    expect(spares).toContain(`net-${created.id}`);
    await manager.warmUp();
    expect(backend.networks.size).toBe(3); // the session's, and two spares again
    await manager.stop({ endSessions: true });
    expect(backend.networks.size).toBe(0);
  });

  it("adds one spare network for each learner of an event's generic warm pool, used up by the class", async () => {
    const { backend, manager } = setupAhead({ sessions: { eventPool: 'generic', spareNetworks: true } });
    await manager.start();
    manager.warm('single', false, 3);
    await manager.warmUp();
    expect(backend.networks.size).toBe(5);
    await manager.create({ template: 'single', swarm: false });
    await manager.warmUp();
    expect(backend.networks.size).toBe(5); // four spares left (two kept, two for the class), and the session's own
    await manager.stop({ endSessions: true });
    expect(backend.networks.size).toBe(0);
  });

  it('makes no spare networks for a backend that must place each network with its session', async () => {
    const { backend, manager } = setup();
    await manager.start();
    await manager.warmUp();
    expect(backend.networks.size).toBe(0);
    await manager.stop({ endSessions: true });
  });
});
