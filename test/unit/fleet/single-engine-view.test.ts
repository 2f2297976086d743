import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import type { DockerEngine } from '../../../server/engine/docker-engine.js';
import { singleEngineView } from '../../../server/fleet/single-engine-view.js';

const config = loadConfig({ overrides: { limits: { nodeMemoryMb: 1024, maxNodesTotal: 150 } } });
const census = { sessions: { active: 2, warm: 1, starting: 0 }, nodes: { active: 3, warm: 1, starting: 0 } };
/** The engine's API as the view reads it: the host's memory and cores. */
const engineWith = (hostResources: DockerEngine['hostResources']) => ({ hostResources }) as unknown as DockerEngine;

describe('the one engine of a server without a fleet, on the dashboard', () => {
  it('counts warm nodes with the active ones, and its room from the host\'s memory at the nodes\' limit', async () => {
    const view = await singleEngineView(engineWith(async () => ({ memoryBytes: 8 * 2 ** 30, cpus: 2, containersRunning: 0 })), census, config);
    // 8 GiB at 1 GiB a node: 8 places, 4 taken.
    expect(view).toEqual({ name: 'local', state: 'up', sessions: 3, nodes: 4, freeNodes: 4, memoryMb: 8192, memoryUsedMb: 4096, loadPercent: 50, cpus: 2, canDrain: false });
  });

  it('is down, with the engine\'s error, when it does not answer', async () => {
    const view = await singleEngineView(engineWith(async () => { throw new Error('connect ENOENT /var/run/docker.sock'); }), census, config);
    expect(view).toMatchObject({ state: 'down', reason: 'connect ENOENT /var/run/docker.sock', sessions: 3, nodes: 4, loadPercent: 0, canDrain: false });
  });
});
