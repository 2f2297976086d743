import { HttpError } from '../errors.js';

export interface CapacityLimits {
  maxSessions: number;
  maxNodesTotal: number;
  maxNodesPerSession: number;
}

/**
 * Counts sessions and nodes, including ones still starting, so that two
 * requests arriving together cannot both take the last place. A reservation
 * is made before anything is created and released if creation fails.
 */
export class Capacity {
  private sessions = 0;
  private nodes = 0;

  constructor(private readonly limits: CapacityLimits) {}

  reserveSession(nodeCount: number): () => void {
    if (this.sessions >= this.limits.maxSessions) {
      throw new HttpError(503, 'server_full', `the server is at its limit of ${this.limits.maxSessions} sessions; try again when one ends`, { 'Retry-After': '30' });
    }
    this.checkNodes(nodeCount);
    this.sessions += 1;
    this.nodes += nodeCount;
    return once(() => {
      this.sessions -= 1;
      this.nodes -= nodeCount;
    });
  }

  /** Counts a session taken back after a restart; never refused, since it already exists. */
  adopt(nodeCount: number): () => void {
    this.sessions += 1;
    this.nodes += nodeCount;
    return once(() => {
      this.sessions -= 1;
      this.nodes -= nodeCount;
    });
  }

  reserveNode(nodesInSession: number): () => void {
    if (nodesInSession + 1 > this.limits.maxNodesPerSession) {
      throw new HttpError(429, 'session_full', `a session has at most ${this.limits.maxNodesPerSession} nodes`);
    }
    this.checkNodes(1);
    this.nodes += 1;
    return once(() => {
      this.nodes -= 1;
    });
  }

  usage(): { sessions: number; nodes: number } {
    return { sessions: this.sessions, nodes: this.nodes };
  }

  private checkNodes(count: number): void {
    if (this.nodes + count > this.limits.maxNodesTotal) {
      throw new HttpError(503, 'server_full', `the server is at its limit of ${this.limits.maxNodesTotal} nodes (${this.nodes} in use, ${count} asked); try again later`, { 'Retry-After': '30' });
    }
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
