import type { NodeHandle } from '../nodes/node-backend.js';
import { FillingPool } from './filling-pool.js';

/** A pooled node's place in the server's node count (server/sessions/capacity.ts), given back when it leaves the pool. */
export interface NodePlace {
  release(): void;
}

export interface GenericPoolParts {
  /** Reserves room for one more node; throws when the server is full (the pool then stops growing). */
  reserve(): NodePlace;
  /** Starts a waiting node: on no session's network, under a name of its own (server/nodes/node-backend.ts). */
  start(): Promise<NodeHandle>;
  discard(node: NodeHandle): Promise<void>;
  onError(error: unknown): void;
}

interface Waiting {
  node: NodeHandle;
  place: NodePlace;
}

/**
 * Started nodes that belong to no session yet, for any template: a session takes as many as it needs, and
 * the backend attaches each to the session's network and gives it its name (`adoptNode`). Unlike the
 * per-template pool (warm-pool.ts), a waiting node is a lone engine, the cheapest thing a node can be while
 * idle, and the pool fills `parallel` nodes at a time instead of one session at a time.
 *
 * Each waiting node holds its place in the node count from before its start until it leaves the pool; a
 * full server (no place to reserve) stops the pool growing until nodes are taken or its size changes.
 */
export class GenericNodePool extends FillingPool<Waiting> {
  constructor(target: number, parallel: number, parts: GenericPoolParts) {
    super(target, parallel, {
      make: () => {
        const place = parts.reserve();
        return parts.start().then(
          (node) => ({ node, place }),
          (error: unknown) => {
            place.release();
            throw error;
          },
        );
      },
      discard: (entry) => {
        entry.place.release();
        return parts.discard(entry.node);
      },
      onError: parts.onError,
    });
  }

  /**
   * Takes up to `count` waiting nodes out of the pool and gives back their places in the node count, for the
   * session taking them to reserve in the same turn of the event loop. The pool refills on the next turn, so it
   * cannot take that room first.
   */
  take(count: number): NodeHandle[] {
    return this.takeReady(count).map((entry) => {
      entry.place.release();
      return entry.node;
    });
  }

  /** Frees room for a learner: removes one waiting node, if there is one. */
  async evictOne(): Promise<boolean> {
    const entry = this.takeNewest();
    if (!entry) return false;
    await this.discardQuietly(entry);
    return true;
  }
}
