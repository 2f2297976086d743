import Docker from 'dockerode';
import type { Config, EngineConfig } from '../config.js';
import { DockerEngine } from '../engine/docker-engine.js';
import type { Logger } from '../logger.js';
import { DockerNodeBackend } from '../nodes/docker-node-backend.js';
import type { NodeBackend } from '../nodes/node-backend.js';
import type { DrainStore } from './drain-store.js';
import { dockerOptions } from './engine-address.js';
import { EngineHealth, type HealthChange } from './engine-health.js';
import type { EngineLoad, EngineState } from './placement.js';

/** One engine of the fleet: its API, the node backend that drives it, and its health. */
export interface FleetEngine {
  readonly name: string;
  readonly config: EngineConfig;
  readonly engine: DockerEngine;
  readonly backend: NodeBackend;
  readonly health: EngineHealth;
  /** The server's own host (socket): its session networks are routed from here; a remote one's are not. */
  readonly local: boolean;
}

/** What is measured of an engine besides our own bookkeeping. */
export interface EngineMeasure {
  memoryMb: number;
  cpus: number;
  /** Nodes of other servers (other instances) on the same engine: they take room too. */
  foreignNodes: number;
}

export type HealthListener = (engine: string, change: HealthChange) => void;

/**
 * The configured engines, each with a DockerEngine and a DockerNodeBackend of its own, and their health,
 * pinged on a schedule. A remote engine's backend gets no host fence and no host cgroup: those live on the
 * server's own host and would guard nothing there (docs/scaling.md says what a remote host sets up itself).
 */
export class EngineRegistry {
  private readonly engines = new Map<string, FleetEngine>();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<HealthListener>();
  private readonly lastMeasure = new Map<string, { measure: EngineMeasure; at: number }>();
  private readonly measuring = new Map<string, Promise<EngineMeasure>>();

  constructor(
    engines: readonly FleetEngine[],
    private readonly config: Config,
    private readonly log: Logger,
    /** Where drains are kept across restarts (the server's store; the CLI's one-off registries keep none). */
    private readonly drains?: DrainStore,
  ) {
    for (const engine of engines) this.engines.set(engine.name, engine);
    for (const name of drains?.all() ?? []) {
      const engine = this.engines.get(name);
      if (engine) {
        engine.health.drain();
        continue;
      }
      log.warn({ engine: name }, 'an engine drained before the restart is no longer configured; its drain is forgotten');
      drains?.remove(name);
    }
  }

  static fromConfig(config: Config, log: Logger, drains?: DrainStore): EngineRegistry {
    const engines = config.engines.map((engineConfig): FleetEngine => {
      const options = dockerOptions(engineConfig);
      const engine = new DockerEngine(new Docker(options));
      const local = engineConfig.address === 'local' || engineConfig.address.startsWith('unix://');
      const backendConfig: Config = local ? config : { ...config, nodes: { ...config.nodes, fence: false } };
      return {
        name: engineConfig.name,
        config: engineConfig,
        engine,
        backend: new DockerNodeBackend(engine, backendConfig, log.child({ engine: engineConfig.name })),
        health: new EngineHealth(config.fleet.failuresBeforeDown),
        local,
      };
    });
    return new EngineRegistry(engines, config, log, drains);
  }

  list(): FleetEngine[] {
    return [...this.engines.values()];
  }

  get(name: string): FleetEngine | undefined {
    return this.engines.get(name);
  }

  state(name: string): EngineState {
    return this.engines.get(name)?.health.state() ?? 'down';
  }

  onHealthChange(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Pings every engine once (the start waits for this), then on a schedule. */
  async start(): Promise<void> {
    await this.pingAll();
    this.timer = setInterval(() => void this.pingAll(), this.config.fleet.pingSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private pinging = false;

  async pingAll(): Promise<void> {
    if (this.pinging) return;
    this.pinging = true;
    try {
      await Promise.all(this.list().map((engine) => this.ping(engine)));
    } finally {
      this.pinging = false;
    }
  }

  private async ping(engine: FleetEngine): Promise<void> {
    const result = await withTimeout(engine.engine.ping(), this.config.fleet.pingTimeoutSeconds * 1000, `no answer within ${this.config.fleet.pingTimeoutSeconds} s`).then(
      () => ({ ok: true as const }),
      (error: Error) => ({ ok: false as const, error: error.message }),
    );
    const change = engine.health.pinged(result);
    if (!change) return;
    if (change === 'down') this.log.error({ engine: engine.name, reason: engine.health.reason() }, 'a Docker engine stopped answering: no new sessions go there and its learners are moved');
    else this.log.info({ engine: engine.name }, 'a Docker engine answers again');
    for (const listener of this.listeners) listener(engine.name, change);
  }

  /** No new sessions on this engine; the ones there run out. Kept in the store, so a restart keeps it drained. */
  drain(name: string): void {
    this.require(name).health.drain();
    this.drains?.add(name);
    this.log.info({ engine: name }, 'engine drained: no new sessions go there');
  }

  undrain(name: string): void {
    this.require(name).health.undrain();
    this.drains?.remove(name);
    this.log.info({ engine: name }, 'engine takes new sessions again');
  }

  private require(name: string): FleetEngine {
    const engine = this.engines.get(name);
    if (!engine) throw new Error(`no engine ${name} (configured: ${this.list().map((e) => e.name).join(', ')})`);
    return engine;
  }

  /**
   * Reads an engine's memory, cores and other servers' nodes; the last good reading stands in while it is slow.
   * A reading younger than `maxAgeMs` is reused, and calls made while a reading is under way share it: a class
   * joining at once places thirty sessions one after another, and each would otherwise wait for every engine.
   */
  measure(name: string, maxAgeMs = 0): Promise<EngineMeasure> {
    const last = this.lastMeasure.get(name);
    if (last && Date.now() - last.at < maxAgeMs) return Promise.resolve(last.measure);
    const underWay = this.measuring.get(name);
    if (underWay) return underWay;
    const reading = this.read(name).finally(() => this.measuring.delete(name));
    this.measuring.set(name, reading);
    return reading;
  }

  private async read(name: string): Promise<EngineMeasure> {
    const engine = this.require(name);
    try {
      const timeout = this.config.fleet.pingTimeoutSeconds * 1000;
      const [resources, nodes] = await Promise.all([
        withTimeout(engine.engine.hostResources(), timeout, 'no answer'),
        withTimeout(engine.engine.countLabelled('node', false), timeout, 'no answer'),
      ]);
      const measure = {
        memoryMb: Math.floor(resources.memoryBytes / 1024 / 1024),
        cpus: resources.cpus,
        foreignNodes: nodes.filter((node) => node.instance !== this.config.instance).length,
      };
      this.lastMeasure.set(name, { measure, at: Date.now() });
      return measure;
    } catch (error) {
      const last = this.lastMeasure.get(name);
      if (last) return last.measure;
      throw error;
    }
  }

  /** The cores an engine reported at its last measure. */
  lastCpus(name: string): number | undefined {
    return this.lastMeasure.get(name)?.measure.cpus;
  }

  /** An engine's load for placement, from its measure and the nodes this server has (or is starting) there. */
  load(name: string, measure: EngineMeasure, ownNodes: number): EngineLoad {
    const engine = this.require(name);
    const memoryMb = engine.config.limits.memoryMb ?? measure.memoryMb;
    const nodeRoom = engine.config.limits.nodes ?? Math.floor(memoryMb / this.config.limits.nodeMemoryMb);
    const nodes = ownNodes + measure.foreignNodes;
    return { name, state: engine.health.state(), nodes, nodeRoom, memoryMb, memoryUsedMb: nodes * this.config.limits.nodeMemoryMb };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
