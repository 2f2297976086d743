import type { SessionNetwork } from '../nodes/node-backend.js';
import { FillingPool } from './filling-pool.js';

/** A session network made ahead of its session, and the id of the session it was made for. */
export interface SpareNetwork {
  sessionId: string;
  network: SessionNetwork;
}

export interface NetworkPoolParts {
  /** A new session id (the network's name and labels carry it, so the session that takes it has that id). */
  newId(): string;
  create(sessionId: string): Promise<SessionNetwork>;
  remove(network: SessionNetwork): Promise<void>;
  onError(error: unknown): void;
}

/**
 * Session networks made ahead of demand. Creating a bridge network is an engine operation that waits its turn
 * behind every other network change (a bridge, iptables rules, a store write); a class joining at once queues
 * thirty of them. A spare network is made the same way as a session's own (a /24 of the subnet pool, so the
 * node fence already covers it) and labelled with a fresh session id: the session that takes it takes that id
 * too, and everything the labels decide (clean-up, a restart taking sessions back) holds unchanged. A spare
 * nobody took is just a network of no live session: `sweep` removes it at the next start, `stop` at shutdown.
 *
 * Networks cost no node room, so the pool only stops growing after a failed creation (no free subnet, say)
 * until it is asked for a network again or its size changes.
 */
export class NetworkPool extends FillingPool<SpareNetwork> {
  constructor(target: number, parallel: number, parts: NetworkPoolParts) {
    super(target, parallel, {
      make: () => {
        const sessionId = parts.newId();
        return parts.create(sessionId).then((network) => ({ sessionId, network }));
      },
      discard: (spare) => parts.remove(spare.network),
      onError: parts.onError,
    });
  }

  /** A spare network, if one is ready; the pool makes another in the background (and tries again after a failure). */
  take(): SpareNetwork | undefined {
    const [spare] = this.takeReady(1);
    if (!spare) this.retry();
    return spare;
  }
}
