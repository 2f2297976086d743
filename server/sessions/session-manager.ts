import type { CreateSessionRequest, CreatedSessionView, ExecResultView, NodeRole, NodeView, SessionView } from '../../shared/protocol.js';
import type { Config } from '../config.js';
import { HttpError, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import type { NodeBackend } from '../nodes/node-backend.js';
import { PlanError, nextNodeName, planNodes, type PlannedNode } from '../nodes/templates.js';
import { Capacity } from './capacity.js';
import { Session, newSessionId, newToken, type SessionNode } from './session.js';
import { formSwarm, joinSwarm } from './swarm-former.js';

export type Clock = () => number;

/** Creates, finds, extends and ends sessions; owns their nodes through a NodeBackend. */
export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly capacity: Capacity;
  private readonly releases = new Map<string, () => void>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(event: { type: 'ended'; sessionId: string }) => void>();

  constructor(
    readonly backend: NodeBackend,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly now: Clock = Date.now,
  ) {
    this.capacity = new Capacity(config.limits);
  }

  /** Removes what an earlier run left behind, then expires idle sessions on a timer. */
  async start(): Promise<void> {
    const removed = await this.backend.sweep(new Set(this.sessions.keys()));
    if (removed.containers || removed.networks) this.log.info(removed, 'removed leftovers of an earlier run');
    this.sweepTimer = setInterval(() => void this.expireIdle(), this.config.sessions.sweepSeconds * 1000);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'server stopping')));
  }

  onEnded(listener: (event: { type: 'ended'; sessionId: string }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async create(request: CreateSessionRequest): Promise<CreatedSessionView> {
    let planned: PlannedNode[];
    try {
      planned = planNodes(request, this.config.limits.maxNodesPerSession);
    } catch (error) {
      if (error instanceof PlanError) throw new HttpError(400, 'bad_request', error.message);
      throw error;
    }
    const release = this.capacity.reserveSession(planned.length);
    const id = newSessionId();
    const { token, digest } = newToken();
    const started = this.now();
    let network;
    try {
      network = await this.backend.createNetwork(id);
    } catch (error) {
      release();
      throw this.startFailure(id, error);
    }
    const lifetime = { idleMs: this.config.sessions.idleMinutes * 60_000, maxMs: this.config.sessions.maxMinutes * 60_000 };
    const template = request.nodes ? 'custom' : (request.template ?? 'single');
    const session = new Session(id, digest, template, request.swarm, network, started, lifetime, request.lesson);
    try {
      const results = await Promise.allSettled(planned.map((node) => this.backend.createNode(id, network, node.name)));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') session.nodes.set(result.value.name, { ...result.value, role: planned[index].role });
      });
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      if (request.swarm) await formSwarm([...session.nodes.values()], (node, command) => this.run(node, command, 30_000));
    } catch (error) {
      await this.destroy(session);
      release();
      throw this.startFailure(id, error);
    }
    session.touch(this.now());
    this.sessions.set(id, session);
    this.releases.set(id, release);
    this.log.info({ session: id, nodes: planned.length, swarm: request.swarm, ms: this.now() - started }, 'session ready');
    return { ...(await this.view(session)), token };
  }

  /** Finds a session by id and checks its token; every session route goes through here. */
  authorize(id: string, token: string | undefined): Session {
    const session = this.sessions.get(id);
    if (!session) throw notFound(`no session ${id}`);
    if (!token) throw new HttpError(401, 'unauthorized', 'this route needs the session token (Authorization: Bearer <token>)');
    if (!session.hasToken(token)) throw new HttpError(403, 'forbidden', 'this token does not open this session');
    session.touch(this.now());
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
  }

  async end(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await this.destroy(session);
    this.releases.get(id)?.();
    this.releases.delete(id);
    this.log.info({ session: id, reason }, 'session ended');
    for (const listener of this.listeners) listener({ type: 'ended', sessionId: id });
  }

  async addNode(session: Session, request: { name?: string; role?: NodeRole }): Promise<NodeView> {
    const name = request.name ?? nextNodeName(session.nodes.keys());
    if (session.nodes.has(name)) throw new HttpError(409, 'conflict', `session already has a node ${name}`);
    const release = this.capacity.reserveNode(session.nodes.size);
    const manager = session.swarm ? session.manager() : undefined;
    let node: SessionNode | undefined;
    try {
      const handle = await this.backend.createNode(session.id, session.network, name);
      node = { ...handle, role: manager ? (request.role ?? 'worker') : request.role };
      if (manager) await joinSwarm(manager, node, (target, command) => this.run(target, command, 30_000));
    } catch (error) {
      if (node) await this.backend.removeNode(node).catch(() => undefined);
      release();
      throw this.startFailure(session.id, error);
    }
    session.nodes.set(name, node);
    this.nodeReleases.set(`${session.id}/${name}`, release);
    return { name, ...(node.role ? { role: node.role } : {}), address: node.address, status: 'running' };
  }

  private readonly nodeReleases = new Map<string, () => void>();

  async removeNode(session: Session, name: string): Promise<void> {
    const node = this.node(session, name);
    session.nodes.delete(name);
    await this.backend.removeNode(node);
    this.nodeReleases.get(`${session.id}/${name}`)?.();
    this.nodeReleases.delete(`${session.id}/${name}`);
  }

  node(session: Session, name: string): SessionNode {
    const node = session.nodes.get(name);
    if (!node) throw notFound(`session ${session.id} has no node ${name}`);
    return node;
  }

  async exec(session: Session, name: string, command: string, timeoutSeconds?: number): Promise<ExecResultView> {
    const { limits } = this.config;
    if (Buffer.byteLength(command) > limits.commandMaxBytes) {
      throw new HttpError(413, 'command_too_large', `a command is at most ${limits.commandMaxBytes} bytes`);
    }
    const node = this.node(session, name);
    const seconds = Math.min(timeoutSeconds ?? limits.execTimeoutSeconds, limits.execTimeoutSeconds);
    return this.backend.exec(node, command, { timeoutMs: seconds * 1000, maxOutputBytes: limits.execMaxOutputBytes });
  }

  /** Live session ids, for the sweeper and for tests. */
  ids(): string[] {
    return [...this.sessions.keys()];
  }

  async expireIdle(): Promise<void> {
    const now = this.now();
    const expired = [...this.sessions.values()].filter((session) => session.isExpired(now));
    await Promise.all(expired.map((session) => this.end(session.id, 'expired').catch((error) => this.log.error({ err: error, session: session.id }, 'could not end expired session'))));
  }

  private run(node: SessionNode, command: string, timeoutMs: number) {
    return this.backend.exec(node, command, { timeoutMs, maxOutputBytes: 64 * 1024 });
  }

  private async destroy(session: Session): Promise<void> {
    const nodes = [...session.nodes.values()];
    session.nodes.clear();
    const results = await Promise.allSettled(nodes.map((node) => this.backend.removeNode(node)));
    for (const result of results) if (result.status === 'rejected') this.log.error({ err: result.reason, session: session.id }, 'could not remove a node');
    await this.backend.removeNetwork(session.network).catch((error) => this.log.error({ err: error, session: session.id }, 'could not remove the session network'));
  }

  private startFailure(id: string, error: unknown): HttpError {
    if (error instanceof HttpError) return error;
    this.log.error({ err: error, session: id }, 'session could not start');
    return new HttpError(503, 'start_failed', `the session could not start: ${(error as Error).message.split('\n')[0]}`);
  }
}
