import pLimit, { type LimitFunction } from 'p-limit';
import { HttpError } from '../errors.js';

/** What one session may hold at once: its learner's own commands, the server's commands for it, its open sockets. */
export interface PerSessionLimits {
  execs: number;
  checks: number;
  sockets: number;
}

/** How many of the server's commands may wait behind the running ones before more are refused. */
const QUEUED_SERVER_COMMANDS_PER_SLOT = 16;

/**
 * The one place per-session bounds are counted, so one learner (or one script with their token) cannot take
 * every engine connection, exec slot or socket of the server. Learners' commands and sockets over the bound are
 * refused with 429; the server's own commands (checks, status, lookups) queue, up to a bound.
 */
export class SessionLimits {
  private readonly held = new Map<string, number>();
  private readonly queues = new Map<string, LimitFunction>();

  constructor(private readonly limits: PerSessionLimits) {}

  /** Takes one slot of `kind` or throws 429; the returned function gives it back (calling it twice is harmless). */
  acquire(sessionId: string, kind: 'execs' | 'sockets'): () => void {
    const key = `${sessionId}/${kind}`;
    const used = this.held.get(key) ?? 0;
    if (used >= this.limits[kind]) {
      const what = kind === 'execs' ? 'commands running' : 'connections open';
      throw new HttpError(429, 'too_many', `this session already has ${used} ${what} (at most ${this.limits[kind]}); wait for one to finish`, { 'Retry-After': '5' });
    }
    this.held.set(key, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  /** Runs one of the server's commands for a session in its turn; refuses when too many already wait. */
  queued<T>(sessionId: string, run: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(sessionId);
    if (!queue) {
      queue = pLimit(this.limits.checks);
      this.queues.set(sessionId, queue);
    }
    if (queue.pendingCount >= this.limits.checks * QUEUED_SERVER_COMMANDS_PER_SLOT) {
      return Promise.reject(new HttpError(429, 'too_many', 'this session has too many checks waiting; try again in a moment', { 'Retry-After': '5' }));
    }
    return queue(run);
  }

  inUse(sessionId: string, kind: 'execs' | 'sockets'): number {
    return this.held.get(`${sessionId}/${kind}`) ?? 0;
  }

  /** Forgets an ended session (its holders release into nothing). */
  forget(sessionId: string): void {
    this.queues.delete(sessionId);
    for (const key of this.held.keys()) if (key.startsWith(`${sessionId}/`)) this.held.delete(key);
  }
}
