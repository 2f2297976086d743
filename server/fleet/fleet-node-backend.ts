import type { Duplex } from 'node:stream';
import type { EngineView } from '../../shared/classroom-protocol.js';
import { HttpError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ExecLimits, NodeBackend, NodeHandle, PlacementHint, SessionNetwork, TerminalProcess } from '../nodes/node-backend.js';
import type { EngineRegistry, FleetEngine } from './engine-registry.js';
import { chooseEngine, freeNodes, freeShare, type EngineLoad } from './placement.js';
import type { Placement, PlacementStore } from './placement-store.js';

/** Bounds on calls to an engine: a quick one, and a node's start (its daemon has a minute to come up). */
const CALL_MS = 15_000;
const QUICK_MS = 5_000;
const NODE_START_MS = 120_000;
/**
 * How old an engine's reading may be for placement. This server's own nodes come from its bookkeeping, always
 * current; only other servers' nodes on the engine and its memory can be this stale.
 */
const MEASURE_REUSE_MS = 2_000;

/** A session as the fleet knows it: its engine, and the node places it holds there (planned or started). */
interface SessionPlace {
  engine: string;
  nodes: number;
}

/**
 * The node backend of several engines. A new session is placed whole on one engine (its swarm stays on one
 * bridge), chosen by room; every later call of that session goes to that engine, by the session id or by the
 * container and network ids it got there, which are kept in the store so a restart finds them again.
 */
export class FleetNodeBackend implements NodeBackend {
  readonly kind = 'docker' as const;
  readonly nodesHaveEngines = true;
  private readonly sessions = new Map<string, SessionPlace>();
  /** Networks and nodes by their engine id. */
  private readonly resources = new Map<string, Placement>();
  private placing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly registry: EngineRegistry,
    private readonly store: PlacementStore,
    private readonly nodeMemoryMb: number,
    private readonly log: Logger,
  ) {
    for (const placement of store.all()) {
      this.resources.set(placement.resourceId, placement);
      const place = this.sessions.get(placement.sessionId) ?? { engine: placement.engine, nodes: 0 };
      if (placement.kind === 'node') place.nodes += 1;
      this.sessions.set(placement.sessionId, place);
    }
  }

  /** Every engine's load for placement: measured from the engine, plus what this server holds and is starting there. */
  async loads(): Promise<EngineLoad[]> {
    return Promise.all(
      this.registry.list().map(async (engine) => {
        const own = this.nodesOn(engine.name);
        if (engine.health.state() === 'down') return { name: engine.name, state: 'down' as const, nodes: own, nodeRoom: 0, memoryMb: 0, memoryUsedMb: 0 };
        const measure = await this.registry.measure(engine.name, MEASURE_REUSE_MS).catch(() => undefined);
        if (!measure) return { name: engine.name, state: 'down' as const, nodes: own, nodeRoom: 0, memoryMb: 0, memoryUsedMb: 0 };
        return this.registry.load(engine.name, measure, own);
      }),
    );
  }

  /** Each engine's state and load, for the dashboard, the operator's route and the metrics. */
  async views(): Promise<EngineView[]> {
    const loads = await this.loads();
    return loads.map((load) => {
      const engine = this.registry.get(load.name)!;
      const reason = engine.health.reason();
      return {
        name: load.name,
        state: load.state,
        ...(reason ? { reason } : {}),
        sessions: this.sessionsOn(load.name).length,
        nodes: this.nodesOn(load.name),
        freeNodes: freeNodes(load, this.nodeMemoryMb),
        memoryMb: load.memoryMb,
        memoryUsedMb: load.memoryUsedMb,
        loadPercent: load.state === 'down' ? 0 : Math.round((1 - freeShare(load, this.nodeMemoryMb)) * 100),
        ...(this.registry.lastCpus(load.name) !== undefined ? { cpus: this.registry.lastCpus(load.name) } : {}),
        canDrain: true,
      };
    });
  }

  /** Each engine's state, sessions and nodes from this server's own bookkeeping (no engine call: the metrics read it). */
  census(): Array<{ name: string; state: EngineLoad['state']; sessions: number; nodes: number }> {
    return this.registry.list().map((engine) => ({ name: engine.name, state: engine.health.state(), sessions: this.sessionsOn(engine.name).length, nodes: this.nodesOn(engine.name) }));
  }

  private nodesOn(engine: string): number {
    let nodes = 0;
    for (const place of this.sessions.values()) if (place.engine === engine) nodes += place.nodes;
    return nodes;
  }

  /** The sessions (ids) placed on an engine, pooled ones included. */
  sessionsOn(engine: string): string[] {
    return [...this.sessions].filter(([, place]) => place.engine === engine).map(([id]) => id);
  }

  engineOf(sessionId: string): string | undefined {
    return this.sessions.get(sessionId)?.engine;
  }

  takesNewSessions(sessionId: string): boolean {
    const engine = this.engineOf(sessionId);
    return engine !== undefined && this.registry.state(engine) === 'up';
  }

  /**
   * Placement: the session's engine is chosen here, when its network is made, and its planned nodes are
   * counted there at once, so sessions starting together do not all pick the same last room.
   */
  async createNetwork(sessionId: string, hint: PlacementHint = { nodes: 1, spread: true }): Promise<SessionNetwork> {
    // One placement at a time: each must see the nodes the one before it counted, or sessions starting
    // together (a class joining, a pool filling) all read the same loads and pick the same engine.
    const placed = this.placing.then(async () => {
      const loads = await this.loads();
      const chosen = chooseEngine(loads, hint.nodes, this.nodeMemoryMb, hint.spread ? 'spread' : 'pack');
      this.sessions.set(sessionId, { engine: chosen, nodes: hint.nodes });
      return chosen;
    });
    this.placing = placed.catch(() => undefined);
    const name = await placed;
    try {
      const network = await this.bounded(name, this.engine(name).backend.createNetwork(sessionId), CALL_MS, 'make the session network');
      this.remember(network.id, sessionId, 'network', name);
      this.log.debug({ session: sessionId, engine: name, strategy: hint.spread ? 'spread' : 'pack' }, 'session placed');
      return network;
    } catch (error) {
      this.sessions.delete(sessionId);
      throw error;
    }
  }

  async removeNetwork(network: SessionNetwork): Promise<void> {
    const placement = this.resources.get(network.id);
    if (!placement) return;
    await this.removeOnEngine(placement.engine, (backend) => backend.removeNetwork(network), 'a network');
    this.forget(network.id);
    this.sessions.delete(placement.sessionId);
    this.store.removeSession(placement.sessionId);
  }

  async createNode(sessionId: string, network: SessionNetwork, name: string): Promise<NodeHandle> {
    const place = this.sessions.get(sessionId);
    if (!place) throw new Error(`session ${sessionId} has no engine (its network was not made by the fleet)`);
    const handle = await this.bounded(place.engine, this.reachable(place.engine).backend.createNode(sessionId, network, name), NODE_START_MS, `start ${name}`);
    this.remember(handle.id, sessionId, 'node', place.engine);
    // A node added later than the plan takes one more place.
    const started = [...this.resources.values()].filter((p) => p.sessionId === sessionId && p.kind === 'node').length;
    place.nodes = Math.max(place.nodes, started);
    return handle;
  }

  async removeNode(node: NodeHandle): Promise<void> {
    const placement = this.resources.get(node.id);
    if (!placement) return;
    await this.removeOnEngine(placement.engine, (backend) => backend.removeNode(node), 'a node');
    this.forget(node.id);
    const place = this.sessions.get(placement.sessionId);
    if (place && place.nodes > 0) place.nodes -= 1;
  }

  /**
   * Removes a network or node on its engine. A down engine keeps it (its sweep removes it when the engine answers
   * again), and so does one that fails to: the session is over for the fleet either way.
   */
  private async removeOnEngine(engine: string, remove: (backend: NodeBackend) => Promise<void>, what: string): Promise<void> {
    if (this.registry.state(engine) === 'down') return;
    await this.bounded(engine, remove(this.engine(engine).backend), CALL_MS, `remove ${what}`).catch((error) => this.log.warn({ err: error, engine }, `${what} is left for the engine's next sweep`));
  }

  async isRunning(node: NodeHandle): Promise<boolean> {
    const engine = this.resources.get(node.id)?.engine;
    if (!engine || this.registry.state(engine) === 'down') return false;
    return this.bounded(engine, this.engine(engine).backend.isRunning(node), QUICK_MS, 'inspect a node').catch(() => false);
  }

  exec(node: NodeHandle, command: string, limits: ExecLimits) {
    const engine = this.engineOfNode(node);
    return this.bounded(engine, this.reachable(engine).backend.exec(node, command, limits), limits.timeoutMs + CALL_MS, 'run a command');
  }

  openTerminal(node: NodeHandle, size: { cols: number; rows: number }): Promise<TerminalProcess> {
    const engine = this.engineOfNode(node);
    return this.bounded(engine, this.reachable(engine).backend.openTerminal(node, size), CALL_MS, 'open a terminal');
  }

  /** A node on the server's own host is routed to directly; one on a remote engine is not (its bridge is there). */
  reachesDirectly(node: NodeHandle): boolean {
    return this.engine(this.engineOfNode(node)).local;
  }

  /** A node's port through its engine's API: `nc` in the node connects to its own address, as the direct route would. */
  openPort(node: NodeHandle, port: number): Promise<Duplex> {
    const engine = this.engineOfNode(node);
    return this.bounded(engine, this.reachable(engine).engine.execStream(node.id, ['nc', '-N', node.address, String(port)]), CALL_MS, 'reach a port');
  }

  /** The engine a node lives on (the port proxy and the checks ask, to reach it through the engine's API). */
  engineOfNode(node: NodeHandle): string {
    const engine = this.resources.get(node.id)?.engine;
    if (!engine) throw new Error(`node ${node.name} (${node.id.slice(0, 12)}) is on no known engine`);
    return engine;
  }

  /**
   * Leftovers, engine by engine: each engine's backend removes what this instance left there for sessions not
   * in `live`. An engine that does not answer is skipped (its leftovers go when it is swept again).
   */
  async sweep(live: ReadonlySet<string>, keepNodes?: ReadonlySet<string>): Promise<{ containers: number; networks: number }> {
    const totals = { containers: 0, networks: 0 };
    await Promise.all(
      this.registry.list().map(async (engine) => {
        if (engine.health.state() === 'down') return;
        try {
          const removed = await engine.backend.sweep(live, keepNodes);
          totals.containers += removed.containers;
          totals.networks += removed.networks;
        } catch (error) {
          this.log.warn({ err: error, engine: engine.name }, 'could not remove the leftovers on an engine');
        }
      }),
    );
    for (const id of [...this.sessions.keys()]) {
      if (live.has(id)) continue;
      this.sessions.delete(id);
      this.store.removeSession(id);
    }
    for (const [resource, placement] of this.resources) if (!live.has(placement.sessionId)) this.forget(resource);
    return totals;
  }

  /** Removes what this instance left on one engine (after it came back up), keeping the sessions in `live`. */
  async sweepEngine(name: string, live: ReadonlySet<string>): Promise<{ containers: number; networks: number }> {
    return this.engine(name).backend.sweep(live);
  }

  private remember(resourceId: string, sessionId: string, kind: 'network' | 'node', engine: string): void {
    const placement = { resourceId, sessionId, kind, engine };
    this.resources.set(resourceId, placement);
    this.store.put(placement);
  }

  private forget(resourceId: string): void {
    this.resources.delete(resourceId);
    this.store.remove(resourceId);
  }

  private engine(name: string): FleetEngine {
    const engine = this.registry.get(name);
    if (!engine) throw new Error(`no engine ${name} in the configuration (a session placed there before a config change)`);
    return engine;
  }

  /**
   * A call to an engine, given up after `ms`: a host that stops answering (paused, cut off) holds a request
   * forever, and the pings only mark it down after a few seconds, so calls already on their way need a bound.
   */
  private bounded<T>(engine: string, call: Promise<T>, ms: number, what: string): Promise<T> {
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`the Docker host ${engine} did not ${what} within ${Math.round(ms / 1000)} s`));
      }, ms);
    });
    return Promise.race([call, deadline])
      .catch((error: Error) => {
        if (timedOut) this.log.warn({ engine, err: error }, 'a call to an engine was given up');
        if (timedOut || this.registry.state(engine) === 'down') throw this.downError(engine);
        throw error;
      })
      .finally(() => clearTimeout(timer));
  }

  /** The engine, or a clear 503 when it is down: a call to a host that does not answer would only hang. */
  private reachable(name: string): FleetEngine {
    if (this.registry.state(name) === 'down') throw this.downError(name);
    return this.engine(name);
  }

  private downError(name: string): HttpError {
    return new HttpError(503, 'engine_down', `the Docker host running this session (${name}) is not answering; your progress is kept, and a new session on another host can take over`);
  }
}
