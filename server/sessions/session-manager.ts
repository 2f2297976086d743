import type { CreateSessionRequest, CreatedSessionView, ExecResultView, NodeRole, NodeView, SessionView, TemplateName } from '../../shared/protocol.js';
import type { Config } from '../config.js';
import { CapacityError, HttpError, notFound } from '../errors.js';
import { newId, newToken } from '../ids.js';
import type { Logger } from '../logger.js';
import type { Census, SessionMetrics } from '../metrics/metrics.js';
import type { ExecResult, NodeBackend, SessionNetwork, TerminalProcess } from '../nodes/node-backend.js';
import { PlanError, nextNodeName, planNodes, type PlannedNode } from '../nodes/templates.js';
import pLimit, { type LimitFunction } from 'p-limit';
import type { SessionStore } from '../store/session-store.js';
import { Capacity, type Reservation } from './capacity.js';
import { execLimits, type ExecProfile } from './exec-profiles.js';
import { Session, type SessionNode, type SessionOwner } from './session.js';
import { SessionLimits } from './session-limits.js';
import { formSwarm, joinSwarm } from './swarm-former.js';
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
}

/** Runs a command on a session's node by name; an unknown node rejects. The checker and the lessons use it. */
export type NodeExec = (node: string, command: string) => Promise<ExecResult>;

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
  /**
   * Node starts wait their turn: a daemon starting is CPU-bound, and a class joining at once would otherwise
   * start dozens together and time all of them out. Queued starts finish sooner in total than a stampede.
   */
  private readonly startNode: LimitFunction;
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
    );
  }

  /** Takes back the sessions a previous run left running, removes what nothing owns, then expires idle sessions on a timer. */
  async start(): Promise<void> {
    await this.restore();
    const removed = await this.backend.sweep(new Set(this.sessions.keys()));
    if (removed.containers || removed.networks) this.log.info(removed, 'removed leftovers of an earlier run');
    this.sweepTimer = setInterval(() => void this.expireIdle(), this.config.sessions.sweepSeconds * 1000);
    this.sweepTimer.unref();
    void this.pool.refill();
  }

  /** Keeps `count` sessions of a template started ahead of demand, on top of the configured pool. */
  warm(template: TemplateName, swarm: boolean, count: number): void {
    const key = poolKey(template, swarm);
    this.pool.setSlots(key, (this.config.sessions.pool[key] ?? 0) + count);
  }

  /** Resolves once the warm pool is full (tests and benchmarks wait for this). */
  warmUp(): Promise<void> {
    return this.pool.refill();
  }

  /**
   * Stops timers and the pool. With a store, learners' sessions keep running for the next start to take back;
   * without one (or when asked), they end.
   */
  async stop(options: { endSessions?: boolean } = {}): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.pool.stop();
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
    const template = request.nodes ? 'custom' : (request.template ?? 'single');
    const started = this.now();
    const pooled = template !== 'custom' ? this.pool.take(poolKey(template, request.swarm)) : undefined;
    let prepared: PreparedSession;
    try {
      prepared = pooled ?? (await this.prepare(planned, template, request.swarm));
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
    this.log.info({ session: session.id, nodes: planned.length, swarm: request.swarm, ms: this.now() - started, pooled: prepared.pooled }, 'session ready');
    this.metrics?.sessionStarted((this.now() - started) / 1000, 'ready', pooled ? 'pool' : 'cold');
    return { ...(await this.view(session)), token };
  }

  /** Starts a session's network and nodes (and its swarm), or leaves nothing behind and frees its place. */
  private async prepare(planned: PlannedNode[], template: string, swarm: boolean, pooled = false): Promise<PreparedSession> {
    // The pool only fills free room; a learner's request may evict pooled sessions to make room.
    const reservation = pooled ? this.capacity.reserveSession(planned.length) : await this.reserve(planned.length);
    const id = newId();
    const nodes: SessionNode[] = [];
    let network: SessionNetwork | undefined;
    this.starting.sessions += 1;
    this.starting.nodes += planned.length;
    try {
      network = await this.backend.createNetwork(id);
      const started = await Promise.allSettled(planned.map((node) => this.startNode(() => this.backend.createNode(id, network!, node.name))));
      started.forEach((result, index) => {
        if (result.status === 'fulfilled') nodes.push({ ...result.value, role: planned[index].role });
      });
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      if (swarm) await formSwarm(nodes, (node, command) => this.formingExec(node, command));
      return { id, network, nodes, template, swarm, reservation, pooled };
    } catch (error) {
      await this.destroy(id, nodes, network);
      reservation.release();
      throw this.startFailure(id, error);
    } finally {
      this.starting.sessions -= 1;
      this.starting.nodes -= planned.length;
    }
  }

  private readonly starting = { sessions: 0, nodes: 0 };

  /** How many sessions and nodes are held by learners, warm in the pool, or starting (the metrics read this). */
  census(): Census {
    const warm = this.pool.entries();
    const active = [...this.sessions.values()];
    return {
      sessions: { active: active.length, warm: warm.length, starting: this.starting.sessions },
      nodes: { active: active.reduce((sum, s) => sum + s.nodes.size, 0), warm: warm.reduce((sum, e) => sum + e.nodes.length, 0), starting: this.starting.nodes },
    };
  }

  /** Reserves room for a session, discarding pooled sessions first if the server is full. */
  private async reserve(nodeCount: number): Promise<Reservation> {
    for (;;) {
      try {
        return this.capacity.reserveSession(nodeCount);
      } catch (error) {
        if (!(await this.pool.evictOne())) throw error;
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
    reservation.addNode();
    const manager = session.swarm ? session.manager() : undefined;
    let node: SessionNode | undefined;
    try {
      const handle = await this.startNode(() => this.backend.createNode(session.id, session.network, name));
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
    return (name, command) => {
      const node = session.nodes.get(name);
      if (!node) return Promise.reject(new Error(`no node ${name}`));
      return this.limits.queued(session.id, () => this.backend.exec(node, command, limits));
    };
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
    return new Map([...session.nodes.values()].map((node) => [node.name, node.address]));
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
