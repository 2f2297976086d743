/**
 * What the rest of the server reports to the metrics, as small interfaces: domain code depends on these types
 * alone, never on prom-client. `PrometheusMetrics` (prometheus-metrics.ts) implements them all.
 */

/** Where a started session came from: handed over from the warm pool, or started cold. */
export type SessionSource = 'pool' | 'cold';

export interface SessionMetrics {
  /** A session start finished (ready or failed) after `seconds`. */
  sessionStarted(seconds: number, outcome: 'ready' | 'failed', source: SessionSource): void;
}

export interface SocketMetrics {
  /** A websocket was refused or failed: `route` is a route class (routeClass()), `reason` a status or a short word. */
  websocketError(route: string, reason: string): void;
}

/** How many sessions and nodes are in each state, read when the metrics are scraped. */
export interface Census {
  sessions: { active: number; warm: number; starting: number };
  nodes: { active: number; warm: number; starting: number };
}
