import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL, sessionLabels } from '../../server/engine/labels.js';
import { loadConfig } from '../../server/config.js';
import { DockerEngine } from '../../server/engine/docker-engine.js';
import { createLogger } from '../../server/logger.js';
import { DockerNodeBackend } from '../../server/nodes/docker-node-backend.js';
import { hostBridges } from '../../server/nodes/host-bridges.js';
import { bridgePrefix } from '../../server/nodes/node-fence.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer } from '../support/test-server.js';

const docker = new Docker();
const run = promisify(execFile);
const servers: RunningServer[] = [];

async function instanceResources(instance: string) {
  const filters = { label: [`${LABEL.instance}=${instance}`] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return { containers: containers.length, networks: networks.length };
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('lifetime and limits on a real engine', () => {
  it('an expired session leaves no container and no network', async () => {
    const server = await startTestServer('t-expiry', { sessions: { idleMinutes: 0.05, maxMinutes: 1, sweepSeconds: 0.5 } });
    servers.push(server);
    const api = apiClient(server.url);
    const session = await api.createSession({ template: 'single' });
    expect(await instanceResources('t-expiry')).toEqual({ containers: 1, networks: 1 });
    // Watch from the engine's side: a GET with the token would count as activity and keep the session alive.
    await eventually(async () => (await instanceResources('t-expiry')).containers === 0, 20_000, 500);
    expect(await instanceResources('t-expiry')).toEqual({ containers: 0, networks: 0 });
    expect((await api.call('GET', `/sessions/${session.id}`, session.token)).status).toBe(404);
  });

  it('over-cap requests get 503 or 429 with a message, and nothing half-made', async () => {
    const server = await startTestServer('t-caps', { limits: { maxSessions: 1, maxNodesTotal: 2, maxNodesPerSession: 2 } });
    servers.push(server);
    const api = apiClient(server.url);
    const tooMany = await api.call('POST', '/sessions', undefined, { template: 'swarm-1m2w' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 2 nodes/);
    const first = await api.createSession({ nodes: [{ name: 'node1' }] });
    const second = await api.call('POST', '/sessions', undefined, { template: 'single' });
    expect(second.status).toBe(503);
    expect(second.body.error.message).toMatch(/limit of 1 sessions/);
    expect((await api.call('POST', `/sessions/${first.id}/nodes`, first.token, {})).status).toBe(201);
    const third = await api.call('POST', `/sessions/${first.id}/nodes`, first.token, {});
    expect(third.status).toBe(429);
    expect(third.body.error.message).toMatch(/at most 2 nodes/);
    expect(await instanceResources('t-caps')).toEqual({ containers: 2, networks: 1 });
  });

  it('gives forty session networks distinct subnets from its pool, more than Docker\'s default pools hold', async () => {
    const config = loadConfig({ overrides: { instance: 't-subnets' } });
    const backend = new DockerNodeBackend(new DockerEngine(), config, createLogger('silent'));
    const networks = [];
    try {
      for (let i = 0; i < 20; i++) networks.push(...(await Promise.all([backend.createNetwork(`s${i}a`), backend.createNetwork(`s${i}b`)])));
      const subnets = await Promise.all(networks.map(async (n) => (await docker.getNetwork(n.id).inspect()).IPAM?.Config?.[0]?.Subnet as string));
      expect(new Set(subnets).size).toBe(40);
      expect(subnets.every((subnet) => subnet.startsWith('10.201.') && subnet.endsWith('.0/24'))).toBe(true);
    } finally {
      await backend.sweep(new Set());
    }
  });

  it('at start-up removes what an earlier run left behind', async () => {
    const image = 'swarm-workshop/node:latest';
    const orphan = await docker.createContainer({ Image: image, Entrypoint: ['sleep', '600'], Labels: sessionLabels('t-orphans', 'gone', 'node', 'node1') });
    await docker.createNetwork({ Name: 'sw-t-orphans-gone', Labels: sessionLabels('t-orphans', 'gone', 'network') });
    const bystander = await docker.createContainer({ Image: image, Entrypoint: ['sleep', '600'], Labels: sessionLabels('t-someone-else', 'x', 'node', 'node1') });
    // A session bridge a stopped engine left behind (no network owns it), and one a live network owns.
    const prefix = bridgePrefix('t-orphans');
    await run('ip', ['link', 'add', `${prefix}dead01`, 'type', 'bridge']);
    const owned = await docker.createNetwork({ Name: 't-orphans-bystander', Options: { 'com.docker.network.bridge.name': `${prefix}0wned1` } });
    try {
      expect(await instanceResources('t-orphans')).toEqual({ containers: 1, networks: 1 });
      servers.push(await startTestServer('t-orphans'));
      expect(await instanceResources('t-orphans')).toEqual({ containers: 0, networks: 0 });
      expect((await bystander.inspect()).Id).toBe(bystander.id);
      expect(hostBridges(prefix)).toEqual([`${prefix}0wned1`]);
    } finally {
      await orphan.remove({ force: true }).catch(() => undefined);
      await bystander.remove({ force: true });
      await owned.remove().catch(() => undefined);
      await run('ip', ['link', 'delete', `${prefix}dead01`]).catch(() => undefined);
    }
  });
});
