import { cpus, totalmem } from 'node:os';
import type { DockerEngine } from '../engine/docker-engine.js';
import type { EngineOffer } from './capacity-plan.js';
import type { EngineRegistry } from './engine-registry.js';
import type { EngineState } from './placement.js';

/** An engine as the capacity plan sees it: what it offers, and whether it takes new sessions at all. */
export interface StatedOffer extends EngineOffer {
  state: EngineState;
}

/** Where the capacity plan reads the engines from: the fleet's, or the one engine of a server without `engines`. */
export type OfferSource = () => Promise<StatedOffer[]>;

/**
 * The fleet's engines, measured by the registry (its last good reading stands in for a slow one). A down or
 * draining engine takes no new learners, so it offers nothing; it is still listed, so the form can say why.
 */
export function fleetOffers(registry: EngineRegistry): OfferSource {
  return () =>
    Promise.all(
      registry.list().map(async (engine): Promise<StatedOffer> => {
        const state = engine.health.state();
        const measure = state === 'up' ? await registry.measure(engine.name).catch(() => undefined) : undefined;
        if (!measure) return { name: engine.name, state: state === 'up' ? 'down' : state, memoryMb: 0, cpus: 0, limits: engine.config.limits };
        return { name: engine.name, state, memoryMb: measure.memoryMb, cpus: measure.cpus, limits: engine.config.limits };
      }),
    );
}

/** The server's one engine (no fleet configured), as it reports itself. */
export function singleEngineOffer(engine: DockerEngine): OfferSource {
  return async () => {
    const resources = await engine.hostResources();
    return [{ name: 'local', state: 'up', memoryMb: Math.floor(resources.memoryBytes / 2 ** 20), cpus: resources.cpus, limits: {} }];
  };
}

/** Nodes run as processes of this host (the local provider): this machine's memory and cores. */
export function thisHostOffer(): OfferSource {
  return async () => [{ name: 'local', state: 'up', memoryMb: Math.floor(totalmem() / 2 ** 20), cpus: cpus().length, limits: {} }];
}
