import { CapacityError } from '../errors.js';

/** What placement knows of one engine: its state and its room, as last measured plus what is being started there. */
export interface EngineLoad {
  name: string;
  /** Only `up` engines take new sessions. */
  state: EngineState;
  /** Our nodes on the engine (running or starting). */
  nodes: number;
  /** Nodes it may hold: its configured limit, else what its memory holds at the nodes' memory limit. */
  nodeRoom: number;
  /** Memory (MiB) it gives our nodes, and what their limits already take. */
  memoryMb: number;
  memoryUsedMb: number;
}

export type EngineState = 'up' | 'down' | 'draining';

/** `spread`: an event's learners go where there is most room (one slow host hurts few); `pack`: self-paced ones fill the fullest engine that fits. */
export type PlacementStrategy = 'spread' | 'pack';

/** How many more nodes of `nodeMemoryMb` fit on an engine. */
export function freeNodes(load: EngineLoad, nodeMemoryMb: number): number {
  const byCount = load.nodeRoom - load.nodes;
  const byMemory = Math.floor((load.memoryMb - load.memoryUsedMb) / nodeMemoryMb);
  return Math.max(0, Math.min(byCount, byMemory));
}

/** The share (0–1) of an engine's room for nodes that is still free: placement compares engines by it, the dashboard shows its complement. */
export function freeShare(load: EngineLoad, nodeMemoryMb: number): number {
  const room = Math.min(load.nodeRoom, Math.floor(load.memoryMb / nodeMemoryMb));
  return room > 0 ? freeNodes(load, nodeMemoryMb) / room : 0;
}

/**
 * Picks the engine for a session of `nodeCount` nodes, or throws CapacityError (503) when none that is up has
 * room. Ties go to the engine listed first in the config, so placement is predictable.
 */
export function chooseEngine(loads: readonly EngineLoad[], nodeCount: number, nodeMemoryMb: number, strategy: PlacementStrategy): string {
  const fitting = loads
    .map((load, order) => ({ load, order, free: freeNodes(load, nodeMemoryMb) }))
    .filter(({ load, free }) => load.state === 'up' && free >= nodeCount);
  if (!fitting.length) {
    const up = loads.filter((load) => load.state === 'up').length;
    throw new CapacityError(
      up === 0
        ? `no Docker engine is taking sessions (${loads.map((l) => `${l.name}: ${l.state}`).join(', ')}); try again later`
        : `no Docker engine has room for ${nodeCount} more node${nodeCount === 1 ? '' : 's'}; try again when a session ends`,
    );
  }
  const share = (entry: (typeof fitting)[number]) => freeShare(entry.load, nodeMemoryMb);
  fitting.sort((a, b) => (strategy === 'spread' ? share(b) - share(a) : share(a) - share(b)) || a.order - b.order);
  return fitting[0].load.name;
}
