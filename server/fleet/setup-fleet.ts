import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Db } from '../store/database.js';
import { DrainStore } from './drain-store.js';
import { EngineRegistry } from './engine-registry.js';
import { FleetNodeBackend } from './fleet-node-backend.js';
import { PlacementStore } from './placement-store.js';

/** What the fleet needs of the classroom: a new session for a learner, elsewhere, with their steps replayed. */
export type MoveLearner = (learnerId: string, reason: string) => Promise<void>;

export interface FleetSetup {
  registry: EngineRegistry;
  backend: FleetNodeBackend;
  /** Once sessions and the classroom exist: what happens to the sessions of an engine that goes down or comes back. */
  failOver(sessions: SessionManager, moveLearner: MoveLearner): void;
  close(): void;
}

/**
 * Several engines (config `engines`): the registry pings them before sessions are taken back (a restart must
 * know which engines answer), and the fleet backend places and routes every session.
 */
export async function setupFleet(config: Config, db: Db, log: Logger): Promise<FleetSetup> {
  // Drains from before a restart apply before the first ping, so no session is placed on a drained engine meanwhile.
  const registry = EngineRegistry.fromConfig(config, log, new DrainStore(db));
  await registry.start();
  for (const engine of registry.list()) {
    log.info({ engine: engine.name, address: engine.config.address, state: engine.health.state(), ...(engine.health.reason() ? { reason: engine.health.reason() } : {}) }, 'Docker engine');
  }
  const backend = new FleetNodeBackend(registry, new PlacementStore(db), config.limits.nodeMemoryMb, log);
  const unsubscribe: Array<() => void> = [];
  return {
    registry,
    backend,
    failOver(sessions, moveLearner) {
      unsubscribe.push(
        registry.onHealthChange((engine, change) => {
          if (change === 'down') void moveSessionsOff(engine);
          // Back up: whatever its moved (or ended) sessions left there goes.
          // Warm sessions are not in `sessions` yet, but the fleet knows them: only what it has forgotten goes.
          else void backend.sweepEngine(engine, new Set([...sessions.ids(), ...backend.sessionsOn(engine)])).then(
            (removed) => (removed.containers || removed.networks) && log.info({ engine, ...removed }, 'removed what moved sessions left on an engine that came back'),
            (error) => log.warn({ err: error, engine }, 'could not sweep an engine that came back'),
          );
        }),
      );
      /** Learners get a new session elsewhere, two at a time; a session with no learner ends (its page says so). */
      async function moveSessionsOff(engine: string): Promise<void> {
        const started = Date.now();
        const queue = backend.sessionsOn(engine).map((id) => sessions.find(id)).filter((s) => s !== undefined);
        const reason = `the Docker host ${engine} stopped answering`;
        let moved = 0;
        const worker = async () => {
          for (let session = queue.shift(); session; session = queue.shift()) {
            try {
              if (session.owner) {
                await moveLearner(session.owner.id, reason);
                moved += 1;
              } else await sessions.end(session.id, reason);
            } catch (error) {
              log.error({ err: error, session: session.id, engine }, 'could not move a session off a down engine');
            }
          }
        };
        await Promise.all([worker(), worker()]);
        log.info({ engine, moved, ms: Date.now() - started }, 'moved learners off a down engine');
      }
    },
    close() {
      registry.stop();
      for (const stop of unsubscribe) stop();
    },
  };
}
