import type { Duplex } from 'node:stream';
import type { CreateSessionRequest, CreatedSessionView, ExecResultView, NodeRole, NodeView, SessionView, TemplateName } from '../../shared/protocol.js';
import type { Config } from '../config.js';
import { CapacityError, HttpError, notFound } from '../errors.js';
import { newId, newToken } from '../ids.js';
import type { Logger } from '../logger.js';
import type { Census, SessionMetrics } from '../metrics/metrics.js';
import type { ExecResult, NodeBackend, NodeHandle, SessionNetwork, TerminalProcess } from '../nodes/node-backend.js';
import { PlanError, TEMPLATES, nextNodeName, planNodes, type PlannedNode } from '../nodes/templates.js';
import pLimit, { type LimitFunction } from 'p-limit';
import type { SessionStore } from '../store/session-store.js';
import { Capacity, type Reservation } from './capacity.js';
import { execLimits, type ExecProfile } from './exec-profiles.js';
import { Session, type SessionNode, type SessionOwner } from './session.js';
import { SessionLimits } from './session-limits.js';
import { GenericNodePool } from './generic-pool.js';
import { NetworkPool } from './network-pool.js';
import { formSwarmAsReady, joinSwarm } from './swarm-former.js';
import { WarmPool, poolKey } from './warm-pool.js';

export type Clock = () => number;

/** A session's nodes and network, started and labelled, not yet handed to a learner. */
interface PreparedSession {
  id: string;
  network: SessionNetwork;
  nodes: SessionNode[];
  template: string;
  swarm: boolean;
  reservation: Reservation;
  pooled: boolean;
  /** Where the start's time went (milliseconds): its nodes placed, its swarm formed. */
  timings?: { nodesMs: number; swarmMs: number };
}

/**
 * Runs a command on a session's node by name; an unknown node rejects. The checker and the lessons use it.
 * `abortable`: the same, but a command that has not started when `signal` aborts is not run (it rejects).
 */
export type NodeExec = ((node: string, command: string) => Promise<ExecResult>) & {
  abortable?: (node: string, command: string, signal: AbortSignal) => Promise<ExecResult>;
};

/**
 * Creates, finds, extends and ends sessions; owns their nodes through a NodeBackend, which nothing else
 * reaches: commands, terminals and addresses of nodes all go through here.
 */
export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly capacity: Capacity;
  private readonly reservations = new Map<string, Reservation>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly pool: WarmPool<PreparedSession>;
  /** Started nodes of no session, for any template (config `sessions.genericPool`, events' warm pools). */
  private readonly generic: GenericNodePool;
  /** Session networks made ahead of their sessions, when the backend can make them before knowing where a session goes. */
  private readonly networks: NetworkPool;
  /**
   * Node starts wait their turn: a daemon starting is CPU-bound, and a class joining at once would otherwise
   * start dozens together and time all of them out. Queued starts finish sooner in total than a stampede.
   */
  private readonly startNode: LimitFunction;
  /**
   * Swarm inits wait their turn too: `swarm init` is a burst of CPU in the node (keys, certificates, the raft
   * log), and thirty learners of a class joining together would otherwise init thirty swarms at once. Joins
   * follow each init as their nodes are ready, outside this queue.
   */
  private readonly initSwarm: LimitFunction;
  private readonly listeners = new Set<(event: { type: 'ended'; sessionId: string }) => void>();
  /** Per-session bounds on commands and sockets (config `perSession`). */
  private readonly limits: SessionLimits;

  constructor(
    private readonly backend: NodeBackend,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly now: Clock = Date.now,
    private readonly store?: SessionStore,
    private readonly metrics?: SessionMetrics,
  ) {
    this.capacity = new Capacity(config.limits);
    this.startNode = pLimit(config.limits.concurrentNodeStarts);
    this.initSwarm = pLimit(Math.max(1, Math.floor(config.limits.concurrentNodeStarts / 2)));
    this.limits = new SessionLimits(config.perSession);
    this.pool = new WarmPool<PreparedSession>(
      { ...config.sessions.pool },
      (key) => {
        const [template, swarm] = key.split('+');
        const planned = planNodes({ template: template as TemplateName, swarm: swarm === 'swarm' }, config.limits.maxNodesPerSession);
        return this.prepare(planned, template, swarm === 'swarm', true);
      },
      async (entry) => {
        await this.destroy(entry.id, entry.nodes, entry.network);
        entry.reservation.release();
      },
      (key, error) => this.log.warn({ err: error, key }, 'could not warm a pooled session'),
      (key) => Math.ceil(config.limits.concurrentNodeStarts / TEMPLATES[key.split('+')[0] as TemplateName].length),
    );
    const adopts = Boolean(backend.createWaitingNode && backend.adoptNode);
    if (!adopts && config.sessions.genericPool) this.log.warn({ backend: backend.kind }, 'this node backend has no generic pool; sessions.genericPool is ignored');
    this.generic = new GenericNodePool(adopts ? config.sessions.genericPool : 0, config.limits.concurrentNodeStarts, {
      reserve: () => this.capacity.reserveNode(),
      // Through the start queue like any node, but never more than the queue's width at once: a learner's cold start waits behind a few pool starts at most.
      start: () => this.startNode(() => backend.createWaitingNode!()),
      discard: (node) => backend.removeNode(node),
      onError: (error) => this.log.warn({ err: error }, 'could not start a waiting node for the generic pool'),
    });
    // As many spares as sessions can be starting at once (the start queue's width); an event warmed for a class adds one per learner.
    this.networks = new NetworkPool(this.makesNetworksAhead() ? config.limits.concurrentNodeStarts : 0, 2, {
      newId,
      create: (sessionId) => backend.createNetwork(sessionId, { nodes: 0, spread: true }),
      remove: (network) => backend.removeNetwork(network),
      onError: (error) => this.log.warn({ err: error }, 'could not make a spare session network'),
    });
  }

  private makesNetworksAhead(): boolean {
    return this.config.sessions.spareNetworks && this.backend.networksAhead === true;
  }

  /** Takes back the sessions a previous run left running, removes what nothing owns, then expires idle sessions on a timer. */
  async start(): Promise<void> {
    await this.restore();
    // Nodes a session took from the generic pool still carry the pool's label: they are kept by id.
    const adopted = new Set([...this.sessions.values()].flatMap((session) => [...session.nodes.values()].map((node) => node.id)));
    const removed = await this.backend.sweep(new Set(this.sessions.keys()), adopted);
    if (removed.containers || removed.networks) this.log.info(removed, 'removed leftovers of an earlier run');
    this.sweepTimer = setInterval(() => void this.expireIdle(), this.config.sessions.sweepSeconds * 1000);
    this.sweepTimer.unref();
    void this.pool.refill();
    this.generic.setTarget(this.generic.wanted);
    this.networks.setTarget(this.networks.wanted);
  }

  /**
   * Keeps room for `count` more sessions of a template started ahead of demand (an event's warm pool): as
   * waiting nodes of the generic pool, which any template can take, or, with `sessions.eventPool: template`
   * (or a backend without a generic pool), as pre-formed sessions of this template.
   */
  warm(template: TemplateName, swarm: boolean, count: number): void {
    if (this.config.sessions.eventPool === 'generic' && this.backend.adoptNode) {
      this.eventNodes += count * TEMPLATES[template].length;
      this.generic.setTarget(this.config.sessions.genericPool + this.eventNodes);
      // Each learner's session also needs a network: made now, it is not one more engine operation in the class's queue.
      if (this.makesNetworksAhead()) {
        this.eventNetworks += count;
        this.networks.setTarget(this.networks.wanted + count);
      }
      return;
    }
    const key = poolKey(template, swarm);
    this.pool.setSlots(key, (this.config.sessions.pool[key] ?? 0) + count);
  }

  /** Waiting nodes started for events ahead of their classes; unlike `sessions.genericPool`, a class uses them up. */
  private eventNodes = 0;

  /** Nodes an event warmed ahead are used once: taking them lowers the pool's size instead of starting more during the class. */
  private consumeEventNodes(taken: number): void {
    const used = Math.min(this.eventNodes, taken);
    this.eventNodes -= used;
    this.generic.lower(used);
  }

  /** Spare networks made for events' classes, one per learner; like their nodes, a class uses them up. */
  private eventNetworks = 0;

  private consumeEventNetwork(): void {
    if (this.eventNetworks === 0) return;
    this.eventNetworks -= 1;
    this.networks.lower(1);
  }

  /** Resolves once the warm pools are full (tests and benchmarks wait for this). */
  async warmUp(): Promise<void> {
    await Promise.all([this.pool.refill(), this.generic.whenFull(), this.networks.whenFull()]);
  }

  /** How many nodes wait in the generic pool, and how many it keeps. */
  genericPool(): { waiting: number; wanted: number } {
    return { waiting: this.generic.size, wanted: this.generic.wanted };
  }

  /**
   * Stops timers and the pool. With a store, learners' sessions keep running for the next start to take back;
   * without one (or when asked), they end.
   */
  async stop(options: { endSessions?: boolean } = {}): Promise<void> {
    clearInterval(this.sweepTimer);
    await Promise.all([this.pool.stop(), this.generic.stop(), this.networks.stop()]);
    await this.backend.closeWaitingRoom?.();
    this.backend.closeProbeShells?.();
    if (options.endSessions || !this.store) await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'server stopping')));
    this.sessions.clear();
  }

  private async restore(): Promise<void> {
    if (!this.store) return;
    for (const record of this.store.load()) {
      const running = await Promise.all(record.nodes.map((node) => this.backend.isRunning(node).catch(() => false)));
      if (!running.some(Boolean)) {
        this.store.remove(record.id);
        this.log.info({ session: record.id }, 'a stored session has no running node left; dropped');
        continue;
      }
      const session = new Session(record, this.lifetime());
      this.sessions.set(session.id, session);
      this.reservations.set(session.id, this.capacity.adopt(record.nodes.length));
    }
    if (this.sessions.size) this.log.info({ sessions: this.sessions.size }, 'took back sessions from the previous run');
  }

  private persist(session: Session): void {
    this.store?.save(session.toRecord());
    this.persistedActivity.set(session.id, session.lastActivity);
  }

  /** Activity is written at most every few seconds per session; an idle timer does not need millisecond precision. */
  private persistActivity(session: Session): void {
    if (!this.store) return;
    if (session.lastActivity - (this.persistedActivity.get(session.id) ?? 0) < 5_000) return;
    this.store.touch(session.toRecord());
    this.persistedActivity.set(session.id, session.lastActivity);
  }

  private readonly persistedActivity = new Map<string, number>();

  onEnded(listener: (event: { type: 'ended'; sessionId: string }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a session. `owner` is a classroom learner, whose token then opens it too. */
  async create(request: CreateSessionRequest, owner?: SessionOwner): Promise<CreatedSessionView> {
    let planned: PlannedNode[];
    try {
      planned = planNodes(request, this.config.limits.maxNodesPerSession);
    } catch (error) {
      if (error instanceof PlanError) throw new HttpError(400, 'bad_request', error.message);
      throw error;
    }
    // Local nodes are shells on the server's host and share its engine: a swarm formed there would be the host's.
    if (request.swarm && !this.backend.nodesHaveEngines) throw new HttpError(400, 'bad_request', 'local nodes are shells on the server host and share its Docker engine, so they cannot form a swarm of their own: use the Docker provider');
    const template = request.nodes ? 'custom' : (request.template ?? 'single');
    const started = this.now();
    const pooled = template !== 'custom' ? this.pool.take(poolKey(template, request.swarm), (entry) => this.backend.takesNewSessions?.(entry.id) ?? true) : undefined;
    const waiting = pooled ? [] : this.generic.take(planned.length);
    this.consumeEventNodes(waiting.length);
    if (!pooled) this.consumeEventNetwork();
    let prepared: PreparedSession;
    try {
      prepared = pooled ?? (await this.prepare(planned, template, request.swarm, false, waiting, owner !== undefined));
    } catch (error) {
      this.metrics?.sessionStarted((this.now() - started) / 1000, 'failed', 'cold');
      throw error;
    }
    const { token, digest } = newToken();
    const now = this.now();
    const session = new Session(
      { id: prepared.id, tokenDigest: digest, template, swarm: request.swarm, network: prepared.network, createdAt: now, lastActivity: now, extendedMs: 0, lesson: request.lesson, owner, nodes: prepared.nodes },
      this.lifetime(),
    );
    this.sessions.set(session.id, session);
    this.reservations.set(session.id, prepared.reservation);
    this.persist(session);
    this.log.info({ session: session.id, nodes: planned.length, swarm: request.swarm, ms: this.now() - started, pooled: prepared.pooled, adopted: waiting.length, ...(pooled ? {} : prepared.timings) }, 'session ready');
    this.metrics?.sessionStarted((this.now() - started) / 1000, 'ready', pooled || waiting.length ? 'pool' : 'cold');
    return { ...(await this.view(session)), token };
  }

  /**
   * Starts a session's network and nodes (and its swarm), or leaves nothing behind and frees its place.
   * `waiting` are nodes taken from the generic pool, adopted in place of starting as many.
   * `spread`: with several engines, an event's learner (and the pool, which serves classes) goes where there
   * is most room; a self-paced session fills the fullest engine that fits.
   */
  private async prepare(planned: PlannedNode[], template: string, swarm: boolean, pooled = false, waiting: NodeHandle[] = [], spread = pooled): Promise<PreparedSession> {
    let reservation: Reservation;
    try {
      // The pool only fills free room; a learner's request may evict pooled sessions to make room.
      reservation = pooled ? this.capacity.reserveSession(planned.length) : await this.reserve(planned.length);
    } catch (error) {
      await Promise.all(waiting.map((node) => this.backend.removeNode(node).catch(() => undefined)));
      throw error;
    }
    // A spare network brings the id of the session it was made for (its name and labels carry it).
    const spare = this.networks.take();
    const id = spare?.sessionId ?? newId();
    const nodes: SessionNode[] = [];
    let network: SessionNetwork | undefined = spare?.network;
    this.starting.sessions += 1;
    this.starting.nodes += planned.length;
    try {
      const t0 = this.now();
      network ??= await this.backend.createNetwork(id, { nodes: planned.length, spread });
      const placements = planned.map((node, index) => this.placeNode(id, network!, node.name, waiting[index]).then((handle): SessionNode => ({ ...handle, role: node.role })));
      // The swarm forms while its nodes start: the manager inits once it is ready, each other node joins once it is.
      const formation = swarm ? formSwarmAsReady(placements, (node, command) => this.formingExec(node, command), this.initSwarm) : Promise.resolve();
      formation.catch(() => undefined); // awaited below, once every node has settled; until then a failure must not go unhandled
      const started = await Promise.allSettled(placements);
      for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      const t1 = this.now();
      if (failed) {
        await formation.catch(() => undefined); // it fails on the missing node; nothing may still run on the nodes being removed
        throw failed.reason;
      }
      await formation;
      return { id, network, nodes, template, swarm, reservation, pooled, timings: { nodesMs: t1 - t0, swarmMs: this.now() - t1 } };
    } catch (error) {
      const unused = waiting.filter((node) => !nodes.some((placed) => placed.id === node.id));
      await this.destroy(id, [...nodes, ...unused], network);
      reservation.release();
      throw this.startFailure(id, error);
    } finally {
      this.starting.sessions -= 1;
      this.starting.nodes -= planned.length;
    }
  }

  private readonly starting = { sessions: 0, nodes: 0 };

  /** A node of the session under its name: a waiting node adopted if one was taken (a fresh one if that fails), else a fresh one. */
  private async placeNode(sessionId: string, network: SessionNetwork, name: string, waiting?: NodeHandle): Promise<NodeHandle> {
    if (waiting) {
      try {
        return await this.backend.adoptNode!(waiting, sessionId, network, name);
      } catch (error) {
        this.log.warn({ err: error, session: sessionId, node: name }, 'could not adopt a waiting node; starting a fresh one');
        await this.backend.removeNode(waiting).catch(() => undefined);
      }
    }
    return this.startNode(() => this.backend.createNode(sessionId, network, name));
  }

  /** How many sessions and nodes are held by learners, warm in the pool, or starting (the metrics read this). */
  census(): Census {
    const warm = this.pool.entries();
    const active = [...this.sessions.values()];
    return {
      sessions: { active: active.length, warm: warm.length, starting: this.starting.sessions },
      nodes: {
        active: active.reduce((sum, s) => sum + s.nodes.size, 0),
        warm: warm.reduce((sum, e) => sum + e.nodes.length, 0) + this.generic.size,
        starting: this.starting.nodes + this.generic.starting,
      },
    };
  }

  /** Reserves room for a session, discarding pooled sessions first if the server is full. */
  private async reserve(nodeCount: number): Promise<Reservation> {
    for (;;) {
      try {
        return this.capacity.reserveSession(nodeCount);
      } catch (error) {
        if (!(await this.pool.evictOne()) && !(await this.generic.evictOne())) throw error;
      }
    }
  }

  private lifetime() {
    return { idleMs: this.config.sessions.idleMinutes * 60_000, maxMs: this.config.sessions.maxMinutes * 60_000 };
  }

  /** Finds a session by id and checks its token; every session route goes through here. */
  authorize(id: string, token: string | undefined): Session {
    const session = this.sessions.get(id);
    if (!session) throw notFound(`no session ${id}`);
    if (!token) throw new HttpError(401, 'unauthorized', 'this route needs the session token (Authorization: Bearer <token>)');
    if (!session.hasToken(token)) throw new HttpError(403, 'forbidden', 'this token does not open this session');
    session.touch(this.now());
    this.persistActivity(session);
    return session;
  }

  async view(session: Session): Promise<SessionView> {
    const nodes: NodeView[] = await Promise.all(
      [...session.nodes.values()].map(async (node) => ({
        name: node.name,
        ...(node.role ? { role: node.role } : {}),
        address: node.address,
        status: (await this.backend.isRunning(node).catch(() => false)) ? ('running' as const) : ('down' as const),
      })),
    );
    return {
      id: session.id,
      template: session.template,
      swarm: session.swarm,
      ...(session.lesson ? { lesson: session.lesson } : {}),
      nodes,
      createdAt: new Date(session.createdAt).toISOString(),
      expiresAt: new Date(session.expiresAt()).toISOString(),
    };
  }

  extend(session: Session): void {
    session.extend(this.now());
    this.persist(session);
  }

  async end(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.store?.remove(id);
    this.persistedActivity.delete(id);
    const nodes = [...session.nodes.values()];
    session.nodes.clear();
    await this.destroy(id, nodes, session.network);
    this.reservations.get(id)?.release();
    this.reservations.delete(id);
    this.limits.forget(id);
    this.log.info({ session: id, reason }, 'session ended');
    for (const listener of this.listeners) listener({ type: 'ended', sessionId: id });
  }

  async addNode(session: Session, request: { name?: string; role?: NodeRole }): Promise<NodeView> {
    const name = request.name ?? nextNodeName(session.nodes.keys());
    if (session.nodes.has(name)) throw new HttpError(409, 'conflict', `session already has a node ${name}`);
    const reservation = this.reservations.get(session.id)!;
    // A waiting node gives its place in the node count to this session's new node.
    const [waiting] = this.generic.take(1);
    this.consumeEventNodes(waiting ? 1 : 0);
    try {
      reservation.addNode();
    } catch (error) {
      if (waiting) await this.backend.removeNode(waiting).catch(() => undefined);
      throw error;
    }
    const manager = session.swarm ? session.manager() : undefined;
    let node: SessionNode | undefined;
    try {
      const handle = await this.placeNode(session.id, session.network, name, waiting);
      node = { ...handle, role: manager ? (request.role ?? 'worker') : request.role };
      if (manager) await joinSwarm(manager, node, (target, command) => this.formingExec(target, command));
    } catch (error) {
      if (node) await this.backend.removeNode(node).catch(() => undefined);
      reservation.removeNode();
      throw this.startFailure(session.id, error);
    }
    session.nodes.set(name, node);
    this.persist(session);
    return { name, ...(node.role ? { role: node.role } : {}), address: node.address, status: 'running' };
  }

  async removeNode(session: Session, name: string): Promise<void> {
    const node = this.node(session, name);
    session.nodes.delete(name);
    this.persist(session);
    await this.backend.removeNode(node);
    this.reservations.get(session.id)?.removeNode();
  }

  /** Throws 404 unless the session has a node of this name. */
  requireNode(session: Session, name: string): void {
    this.node(session, name);
  }

  private node(session: Session, name: string): SessionNode {
    const node = session.nodes.get(name);
    if (!node) throw notFound(`session ${session.id} has no node ${name}`);
    return node;
  }

  /** A learner's own command on a node: bounded in size, in time (at most the configured limit) and in output. */
  async exec(session: Session, name: string, command: string, timeoutSeconds?: number): Promise<ExecResultView> {
    const { limits } = this.config;
    if (Buffer.byteLength(command) > limits.commandMaxBytes) {
      throw new HttpError(413, 'command_too_large', `a command is at most ${limits.commandMaxBytes} bytes`);
    }
    const node = this.node(session, name);
    const release = this.limits.acquire(session.id, 'execs');
    try {
      return await this.backend.exec(node, command, execLimits('command', limits, timeoutSeconds));
    } finally {
      release();
    }
  }

  /**
   * Holds one of the session's socket slots (a terminal, a proxied connection to a node) until the returned
   * function is called; throws 429 when the session has as many open as it may.
   */
  holdSocket(session: Session): () => void {
    return this.limits.acquire(session.id, 'sockets');
  }

  /** Runs the server's own commands (checks, placeholder lookups, status) on a session's nodes, under that purpose's limits. */
  nodeExec(session: Session, profile: Exclude<ExecProfile, 'command'>): NodeExec {
    const limits = execLimits(profile, this.config.limits);
    const abortable = (name: string, command: string, signal?: AbortSignal): Promise<ExecResult> => {
      const node = session.nodes.get(name);
      if (!node) return Promise.reject(new Error(`no node ${name}`));
      const { backend } = this;
      // A check's commands go through the node's probe shell where the backend keeps one (no exec per run).
      const run = () => (signal?.aborted ? Promise.reject(signal.reason)
        : profile === 'check' && backend.execInProbeShell ? backend.execInProbeShell(node, command, limits, signal) : backend.exec(node, command, limits));
      return this.limits.queued(session.id, run);
    };
    return Object.assign((name: string, command: string) => abortable(name, command), { abortable });
  }

  /** Starts a shell on a node, for a browser terminal. */
  openTerminal(session: Session, name: string, size: { cols: number; rows: number }): Promise<TerminalProcess> {
    return this.backend.openTerminal(this.node(session, name), size);
  }

  /** The node's address on its session network (the port proxy forwards there). */
  nodeAddress(session: Session, name: string): string {
    return this.node(session, name).address;
  }

  /**
   * Where each node's own Docker engine answers HTTP on the session network, for reading its state without
   * an exec; undefined when the nodes have no engine of their own (local shells).
   */
  engineAddresses(session: Session): ReadonlyMap<string, string> | undefined {
    if (this.backend.kind !== 'docker') return undefined;
    // A node on a remote engine is not routed from here (and its address may be a local network's): read by exec.
    const direct = [...session.nodes.values()].filter((node) => this.backend.reachesDirectly?.(node) ?? true);
    return new Map(direct.map((node) => [node.name, node.address]));
  }

  /**
   * How the port proxy reaches a node's port when this server has no route to its network (a remote engine):
   * a stream through the engine's API. Undefined: connect to `nodeAddress` directly.
   */
  nodePortOpener(session: Session, name: string): ((port: number) => Promise<Duplex>) | undefined {
    const node = this.node(session, name);
    const { backend } = this;
    if (!backend.openPort || (backend.reachesDirectly?.(node) ?? true)) return undefined;
    return (port) => backend.openPort!(node, port);
  }

  /** A session by id without a token check: for the instructor's routes and the classroom, which authorize on their own. */
  find(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Live session ids, for the sweeper and for tests. */
  ids(): string[] {
    return [...this.sessions.keys()];
  }

  async expireIdle(): Promise<void> {
    const now = this.now();
    const expired = [...this.sessions.values()].filter((session) => session.isExpired(now));
    await Promise.all(expired.map((session) => this.end(session.id, 'expired').catch((error) => this.log.error({ err: error, session: session.id }, 'could not end expired session'))));
    await this.endSessionsWithoutNodes();
  }

  /**
   * A session none of whose nodes runs any more (an engine restart stops every node, and a node's state lives in
   * its tmpfs) cannot come back: it ends, freeing its room, and its learner's page offers a new one. Only the
   * engine's answer counts: while it does not answer, nothing is ended.
   */
  private async endSessionsWithoutNodes(): Promise<void> {
    const sessions = [...this.sessions.values()].filter((session) => session.nodes.size > 0);
    await Promise.all(
      sessions.map(async (session) => {
        const running = await Promise.all([...session.nodes.values()].map((node) => this.backend.isRunning(node))).catch(() => undefined);
        if (!running || running.some(Boolean)) return;
        await this.end(session.id, 'its nodes are gone').catch((error) => this.log.error({ err: error, session: session.id }, 'could not end a session whose nodes are gone'));
      }),
    );
  }

  private formingExec(node: SessionNode, command: string) {
    return this.backend.exec(node, command, execLimits('swarm', this.config.limits));
  }

  private async destroy(id: string, nodes: SessionNode[], network: SessionNetwork | undefined): Promise<void> {
    const results = await Promise.allSettled(nodes.map((node) => this.backend.removeNode(node)));
    for (const result of results) if (result.status === 'rejected') this.log.error({ err: result.reason, session: id }, 'could not remove a node');
    if (network) await this.backend.removeNetwork(network).catch((error) => this.log.error({ err: error, session: id }, 'could not remove the session network'));
  }

  private startFailure(id: string, error: unknown): Error {
    if (error instanceof HttpError || error instanceof CapacityError) return error;
    this.log.error({ err: error, session: id }, 'session could not start');
    return new HttpError(503, 'start_failed', `the session could not start: ${(error as Error).message.split('\n')[0]}`);
  }
}
