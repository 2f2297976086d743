import { HttpError } from '../errors.js';

export interface CapacityLimits {
  maxSessions: number;
  maxNodesTotal: number;
  maxNodesPerSession: number;
}

/** A session's place on the server: its node count follows the nodes added and removed. */
export interface Reservation {
  readonly nodes: number;
  /** Takes room for one more node of this session, or throws 429/503. */
  addNode(): void;
  removeNode(): void;
  /** Gives the session's place and all its nodes back; only the first call counts. */
  release(): void;
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

  reserveSession(nodeCount: number): Reservation {
    if (this.sessions >= this.limits.maxSessions) {
      throw new HttpError(503, 'server_full', `the server is at its limit of ${this.limits.maxSessions} sessions; try again when one ends`, { 'Retry-After': '30' });
    }
    this.checkNodes(nodeCount);
    return this.adopt(nodeCount);
  }

  /** Counts a session taken back after a restart; never refused, since it already exists. */
  adopt(nodeCount: number): Reservation {
    this.sessions += 1;
    this.nodes += nodeCount;
    let nodes = nodeCount;
    let released = false;
    return {
      get nodes() {
        return nodes;
      },
      addNode: () => {
        if (nodes + 1 > this.limits.maxNodesPerSession) throw new HttpError(429, 'session_full', `a session has at most ${this.limits.maxNodesPerSession} nodes`);
        this.checkNodes(1);
        nodes += 1;
        this.nodes += 1;
      },
      removeNode: () => {
        if (released || nodes === 0) return;
        nodes -= 1;
        this.nodes -= 1;
      },
      release: () => {
        if (released) return;
        released = true;
        this.sessions -= 1;
        this.nodes -= nodes;
      },
    };
  }

  /** Room for one node that belongs to no session yet (the generic warm pool); throws 503 when the server is full. */
  reserveNode(): { release(): void } {
    this.checkNodes(1);
    this.nodes += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.nodes -= 1;
      },
    };
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
