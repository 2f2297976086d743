import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Census, SessionMetrics, SessionSource, SocketMetrics } from './metrics.js';

/** One engine of several, as the metrics read it. */
export interface EngineCensus {
  name: string;
  state: 'up' | 'draining' | 'down';
  sessions: number;
  nodes: number;
}

export interface MetricsOptions {
  /** Which engine this server's sessions run on; `local` until sessions can run on several engines. */
  engine?: string;
  /** The process's own metrics (CPU, memory, event loop lag, handles): on for a server, off for tests that compare figures. */
  processMetrics?: boolean;
}

/**
 * The server's Prometheus metrics, in a registry of its own (so two servers in one process never share figures).
 * Counters and histograms are fed as things happen; the gauges of sessions, nodes and terminals are read from
 * their sources when scraped, so they cannot drift from the truth. docs/operations.md explains each metric.
 */
export class PrometheusMetrics implements SessionMetrics, SocketMetrics {
  readonly registry = new Registry();
  private readonly engine: string;
  private census: (() => Census) | undefined;
  private terminals: (() => number) | undefined;

  private readonly sessions = new Gauge({
    name: 'workshop_sessions',
    help: 'Sessions by state: active (a learner has it), warm (started ahead, in the pool), starting.',
    labelNames: ['engine', 'state'] as const,
    registers: [this.registry],
    collect: () => this.readCensus('sessions'),
  });

  private readonly nodes = new Gauge({
    name: 'workshop_nodes',
    help: 'Nodes by state of their session: active, warm, starting.',
    labelNames: ['engine', 'state'] as const,
    registers: [this.registry],
    collect: () => this.readCensus('nodes'),
  });

  private readonly sessionStart = new Histogram({
    name: 'workshop_session_start_seconds',
    help: 'Time from a session request to its nodes being ready (or the start failing), by source (pool or cold).',
    labelNames: ['engine', 'outcome', 'source'] as const,
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300],
    registers: [this.registry],
  });

  private readonly checkRun = new Histogram({
    name: 'workshop_check_run_seconds',
    help: "Time to run a lesson's checks against a session's cluster, by outcome (passed: every check passed).",
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30],
    registers: [this.registry],
  });

  private readonly terminalsOpen = new Gauge({
    name: 'workshop_terminals_open',
    help: 'Node terminals the server holds (one shell per node that a browser has opened), attached or waiting for a reconnect.',
    registers: [this.registry],
    collect: () => {
      if (this.terminals) this.terminalsOpen.set(this.terminals());
    },
  });

  private readonly httpErrors = new Counter({
    name: 'workshop_http_errors_total',
    help: 'HTTP responses with a status of 400 or more, by route class and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly websocketErrors = new Counter({
    name: 'workshop_websocket_errors_total',
    help: 'Websockets refused (reason: the HTTP status) or failed after the upgrade (reason: start_failed, socket_error), by route class.',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly engineFailures = new Counter({
    name: 'workshop_engine_call_failures_total',
    help: 'Calls to the engine through the node backend that failed, by operation (createNode, exec, openTerminal, ...).',
    labelNames: ['engine', 'operation'] as const,
    registers: [this.registry],
  });

  private engines: (() => EngineCensus[]) | undefined;

  private readonly engineUp = new Gauge({
    name: 'workshop_engine_state',
    help: 'Each configured engine (config `engines`): 1 for its current state (up, draining, down), 0 for the others.',
    labelNames: ['engine', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      for (const engine of this.engines?.() ?? []) for (const state of ['up', 'draining', 'down'] as const) this.engineUp.set({ engine: engine.name, state }, engine.state === state ? 1 : 0);
    },
  });

  private readonly engineLoad = new Gauge({
    name: 'workshop_engine_load',
    help: "Each configured engine's sessions and nodes (this server's, pooled and starting ones included).",
    labelNames: ['engine', 'kind'] as const,
    registers: [this.registry],
    collect: () => {
      for (const engine of this.engines?.() ?? []) {
        this.engineLoad.set({ engine: engine.name, kind: 'sessions' }, engine.sessions);
        this.engineLoad.set({ engine: engine.name, kind: 'nodes' }, engine.nodes);
      }
    },
  });

  /** Where the per-engine gauges are read from, when sessions run on several engines. */
  observeEngines(source: () => EngineCensus[]): void {
    this.engines = source;
  }

  constructor(options: MetricsOptions = {}) {
    this.engine = options.engine ?? 'local';
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the session and node gauges are read from at each scrape. */
  observeCensus(source: () => Census): void {
    this.census = source;
  }

  observeTerminals(source: () => number): void {
    this.terminals = source;
  }

  sessionStarted(seconds: number, outcome: 'ready' | 'failed', source: SessionSource): void {
    this.sessionStart.observe({ engine: this.engine, outcome, source }, seconds);
  }

  checksRan(seconds: number, passed: boolean): void {
    this.checkRun.observe({ outcome: passed ? 'passed' : 'failed' }, seconds);
  }

  /** Every HTTP response passes here; only errors are counted. */
  httpResponse(route: string, status: number): void {
    if (status >= 400) this.httpErrors.inc({ route, status: String(status) });
  }

  websocketError(route: string, reason: string): void {
    this.websocketErrors.inc({ route, reason });
  }

  engineCallFailed(operation: string): void {
    this.engineFailures.inc({ engine: this.engine, operation });
  }

  /** The text a Prometheus server scrapes. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private readCensus(kind: 'sessions' | 'nodes'): void {
    if (!this.census) return;
    const gauge = kind === 'sessions' ? this.sessions : this.nodes;
    for (const [state, count] of Object.entries(this.census()[kind])) gauge.set({ engine: this.engine, state }, count);
  }
}
