/** What one learner of a lesson takes: its nodes, and their memory and CPU as measured (or from the benchmarks). */
export interface LearnerFootprint {
  nodes: number;
  memoryMb: number;
  cpuCores: number;
}

/** What an engine offers, as it reports itself, and the limits the config sets on it. */
export interface EngineOffer {
  name: string;
  memoryMb: number;
  cpus: number;
  limits: { nodes?: number; memoryMb?: number };
}

export interface EngineFit {
  name: string;
  learners: number;
  byMemory: number;
  byCpu: number;
  byNodes: number;
  boundBy: 'memory' | 'cpu' | 'nodes';
}

/**
 * Per node, from docs/benchmarks.md (a class of 30 learners with swarm-1m2w on 2 cores: 8.4 GiB of nodes, 90
 * nodes; idle managers about 180 MiB, workers about 50 MiB): used when no node is measured (`--measure`).
 */
export const BENCHMARK_NODE = { memoryMb: 95, cpuCores: 0.02 } as const;

/** What a host keeps for itself and for bursts (commands, image pulls, node starts), as shares of what it has. */
const HOST_RESERVE_MB = 1024;
const MEMORY_SHARE = 0.8;
const CPU_SHARE = 0.7;

/** How many learners of a footprint fit on each engine, and what bounds it. */
export function planCapacity(engines: readonly EngineOffer[], footprint: LearnerFootprint): { engines: EngineFit[]; total: number } {
  const fits = engines.map((engine): EngineFit => {
    const usableMb = Math.min(engine.limits.memoryMb ?? Infinity, Math.max(0, engine.memoryMb - HOST_RESERVE_MB) * MEMORY_SHARE);
    const byMemory = Math.floor(usableMb / footprint.memoryMb);
    const byCpu = footprint.cpuCores > 0 ? Math.floor((engine.cpus * CPU_SHARE) / footprint.cpuCores) : Infinity;
    const byNodes = engine.limits.nodes !== undefined ? Math.floor(engine.limits.nodes / footprint.nodes) : Infinity;
    const learners = Math.min(byMemory, byCpu, byNodes);
    const boundBy = learners === byNodes ? 'nodes' : learners === byMemory ? 'memory' : 'cpu';
    return { name: engine.name, learners, byMemory, byCpu, byNodes, boundBy };
  });
  return { engines: fits, total: fits.reduce((sum, fit) => sum + fit.learners, 0) };
}

/** A learner's footprint from the benchmark figures, for a lesson of `nodes` nodes. */
export function benchmarkFootprint(nodes: number): LearnerFootprint {
  return { nodes, memoryMb: nodes * BENCHMARK_NODE.memoryMb, cpuCores: nodes * BENCHMARK_NODE.cpuCores };
}

/**
 * How many learners fit: what the engines hold, within what the server itself allows (its session and node
 * limits hold whatever the engines could take). `serverLimit` is set when the server's limits are what bound it.
 */
export function classFit(planTotal: number, nodesPerLearner: number, limits: { maxSessions: number; maxNodesTotal: number }): { fit: number; serverLimit?: number } {
  const serverLimit = Math.min(limits.maxSessions, Math.floor(limits.maxNodesTotal / nodesPerLearner));
  return serverLimit < planTotal ? { fit: serverLimit, serverLimit } : { fit: planTotal };
}
