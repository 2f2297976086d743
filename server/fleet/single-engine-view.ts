import type { EngineView } from '../../shared/classroom-protocol.js';
import type { Config } from '../config.js';
import type { DockerEngine } from '../engine/docker-engine.js';
import type { Census } from '../metrics/metrics.js';
import { freeNodes, freeShare, type EngineLoad } from './placement.js';

/**
 * The dashboard's engines panel on a server without `engines`: its one engine, measured as the fleet measures
 * its engines (memory from the engine, room from the server's node limit), with the sessions and nodes the
 * server holds (warm and starting ones included, as the fleet counts them). It cannot be drained: draining
 * needs another engine to send sessions to.
 */
export async function singleEngineView(engine: DockerEngine, census: Census, config: Pick<Config, 'limits'>): Promise<EngineView> {
  const nodes = census.nodes.active + census.nodes.warm + census.nodes.starting;
  const sessions = census.sessions.active + census.sessions.warm + census.sessions.starting;
  const measured = await engine.hostResources().then(
    (resources) => ({ ok: true as const, memoryMb: Math.floor(resources.memoryBytes / 2 ** 20), cpus: resources.cpus }),
    (error: Error) => ({ ok: false as const, reason: error.message }),
  );
  if (!measured.ok) return { name: 'local', state: 'down', reason: measured.reason, sessions, nodes, freeNodes: 0, memoryMb: 0, memoryUsedMb: 0, loadPercent: 0, canDrain: false };
  const nodeMemoryMb = config.limits.nodeMemoryMb;
  const load: EngineLoad = {
    name: 'local',
    state: 'up',
    nodes,
    nodeRoom: Math.min(config.limits.maxNodesTotal, Math.floor(measured.memoryMb / nodeMemoryMb)),
    memoryMb: measured.memoryMb,
    memoryUsedMb: nodes * nodeMemoryMb,
  };
  return {
    name: 'local',
    state: 'up',
    sessions,
    nodes,
    freeNodes: freeNodes(load, nodeMemoryMb),
    memoryMb: load.memoryMb,
    memoryUsedMb: load.memoryUsedMb,
    loadPercent: Math.round((1 - freeShare(load, nodeMemoryMb)) * 100),
    cpus: measured.cpus,
    canDrain: false,
  };
}
