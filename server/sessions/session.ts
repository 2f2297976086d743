import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NodeRole, TemplateName } from '../../shared/protocol.js';
import type { NodeHandle, SessionNetwork } from '../nodes/node-backend.js';

export interface SessionNode extends NodeHandle {
  role?: NodeRole;
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
  /** Extra time granted by "extend", on top of the hard maximum. */
  extendedMs: number;
  lesson?: string;
  /** Digest of the token of the learner who owns the session (classroom), which opens it too. */
  ownerDigest?: Buffer;
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
  private extendedMs: number;
  private readonly tokenDigest: Buffer;
  readonly ownerDigest?: Buffer;

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
    this.extendedMs = record.extendedMs;
    this.lesson = record.lesson;
    this.ownerDigest = record.ownerDigest;
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
      extendedMs: this.extendedMs,
      ...(this.lesson ? { lesson: this.lesson } : {}),
      ...(this.ownerDigest ? { ownerDigest: this.ownerDigest } : {}),
      nodes: [...this.nodes.values()],
    };
  }

  /** The session's own token, or the token of the learner who owns it. */
  hasToken(token: string): boolean {
    const given = tokenDigest(token);
    return timingSafeEqual(given, this.tokenDigest) || (this.ownerDigest !== undefined && timingSafeEqual(given, this.ownerDigest));
  }

  touch(now: number): void {
    this.lastActivity = Math.max(this.lastActivity, now);
  }

  /** Pushes the hard limit out by the given time, at most one idle period at a time. */
  extend(now: number): void {
    this.touch(now);
    const hardLimit = this.createdAt + this.lifetime.maxMs + this.extendedMs;
    const wanted = now + this.lifetime.idleMs;
    if (wanted > hardLimit) this.extendedMs += wanted - hardLimit;
  }

  expiresAt(): number {
    return Math.min(this.lastActivity + this.lifetime.idleMs, this.createdAt + this.lifetime.maxMs + this.extendedMs);
  }

  isExpired(now: number): boolean {
    return now >= this.expiresAt();
  }

  manager(): SessionNode | undefined {
    return [...this.nodes.values()].find((node) => node.role === 'manager');
  }
}

export function newSessionId(): string {
  // 12 base32 characters: short enough for container names, 60 bits of randomness.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(12)].map((byte) => alphabet[byte % 32]).join('');
}

export function newToken(): { token: string; digest: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, digest: tokenDigest(token) };
}

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
