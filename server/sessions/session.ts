import { timingSafeEqual } from 'node:crypto';
import type { NodeRole, TemplateName } from '../../shared/protocol.js';
import { tokenDigest } from '../ids.js';
import type { NodeHandle, SessionNetwork } from '../nodes/node-backend.js';

export interface SessionNode extends NodeHandle {
  role?: NodeRole;
}

/** A classroom learner, as far as sessions know one: whose results, and whose token (as a digest). */
export interface SessionOwner {
  id: string;
  tokenDigest: Buffer;
}

export interface Lifetime {
  idleMs: number;
  maxMs: number;
}

/** What is kept of a session in the store, enough to take it back after a restart. */
export interface SessionRecord {
  id: string;
  tokenDigest: Buffer;
  template: TemplateName | 'custom';
  swarm: boolean;
  network: SessionNetwork;
  createdAt: number;
  lastActivity: number;
  /** Unused since "extend" stopped moving the hard maximum (always written as 0); kept so stored rows still load. */
  extendedMs: number;
  lesson?: string;
  /** The learner who owns the session (classroom): their token opens it too, and its check results are theirs. */
  owner?: SessionOwner;
  nodes: SessionNode[];
}

/** A learner's sandbox: its network, its nodes, its token and its clock. */
export class Session {
  readonly id: string;
  readonly template: TemplateName | 'custom';
  readonly swarm: boolean;
  readonly network: SessionNetwork;
  readonly createdAt: number;
  readonly lesson?: string;
  readonly nodes = new Map<string, SessionNode>();
  lastActivity: number;
  private readonly tokenDigest: Buffer;
  readonly owner?: SessionOwner;

  constructor(
    record: SessionRecord,
    private readonly lifetime: Lifetime,
  ) {
    this.id = record.id;
    this.tokenDigest = record.tokenDigest;
    this.template = record.template;
    this.swarm = record.swarm;
    this.network = record.network;
    this.createdAt = record.createdAt;
    this.lastActivity = record.lastActivity;
    this.lesson = record.lesson;
    this.owner = record.owner;
    for (const node of record.nodes) this.nodes.set(node.name, node);
  }

  toRecord(): SessionRecord {
    return {
      id: this.id,
      tokenDigest: this.tokenDigest,
      template: this.template,
      swarm: this.swarm,
      network: this.network,
      createdAt: this.createdAt,
      lastActivity: this.lastActivity,
      extendedMs: 0,
      ...(this.lesson ? { lesson: this.lesson } : {}),
      ...(this.owner ? { owner: this.owner } : {}),
      nodes: [...this.nodes.values()],
    };
  }

  /** The session's own token, or the token of the learner who owns it. */
  hasToken(token: string): boolean {
    const given = tokenDigest(token);
    return timingSafeEqual(given, this.tokenDigest) || (this.owner !== undefined && timingSafeEqual(given, this.owner.tokenDigest));
  }

  touch(now: number): void {
    this.lastActivity = Math.max(this.lastActivity, now);
  }

  /**
   * "Extend": a full idle period from now, but never past the hard maximum (`sessions.maxMinutes` after
   * creation), which nothing moves, so a session cannot be kept alive forever.
   */
  extend(now: number): void {
    this.touch(now);
  }

  /** The hard maximum: creation plus `maxMinutes`. Rows stored by older versions may carry `extendedMs`; it no longer counts. */
  hardLimit(): number {
    return this.createdAt + this.lifetime.maxMs;
  }

  expiresAt(): number {
    return Math.min(this.lastActivity + this.lifetime.idleMs, this.hardLimit());
  }

  isExpired(now: number): boolean {
    return now >= this.expiresAt();
  }

  /** Whose check results this session's checks are: its learner's, or the session's own for a self-paced learner. */
  resultsOwner(): string {
    return this.owner?.id ?? `session:${this.id}`;
  }

  manager(): SessionNode | undefined {
    return [...this.nodes.values()].find((node) => node.role === 'manager');
  }
}
