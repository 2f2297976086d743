import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL, sessionLabels } from '../../server/engine/labels.js';
import { fenceChains } from '../../server/nodes/node-fence.js';
import { newId } from '../../server/ids.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

const INSTANCE = 't-sessions';
const docker = new Docker();
let server: RunningServer;
let api: ReturnType<typeof apiClient>;

async function labelled(kind: 'containers' | 'networks', sessionId: string) {
  const filters = { label: [`${LABEL.instance}=${INSTANCE}`, `${LABEL.session}=${sessionId}`] };
  return kind === 'containers' ? docker.listContainers({ all: true, filters }) : docker.listNetworks({ filters });
}

beforeAll(async () => {
  server = await startTestServer(INSTANCE, { limits: { nodeDiskMb: 128 } });
  api = apiClient(server.url);
});

afterAll(async () => {
  await server?.close();
});

describe('sessions on a real engine', () => {
  let raw: CreatedSession;
  let formed: CreatedSession;

  it('starts three raw nodes that take docker commands; swarm init through exec makes node1 a manager', async () => {
    raw = await api.createSession({ nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3' }] });
    expect(raw.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
    expect(raw.nodes.every((n) => n.status === 'running' && /^\d+\.\d+\.\d+\.\d+$/.test(n.address))).toBe(true);
    const init = await api.exec(raw, 'node1', `docker swarm init --advertise-addr ${raw.nodes[0].address}`);
    expect(init.exitCode).toBe(0);
    expect(init.output).toContain('Swarm initialized');
    const info = await api.exec(raw, 'node1', "docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'");
    expect(info.output.trim()).toBe('active true');
    const images = await api.exec(raw, 'node2', "docker images --format '{{.Repository}}:{{.Tag}}' | sort");
    expect(images.output.split('\n')).toEqual(expect.arrayContaining(['busybox:latest', 'web:1', 'web:2', 'web:3', 'web:broken']));
  });

  it('a pre-formed swarm-1m2w shows three Ready nodes and runs the web image as a service', async () => {
    formed = await api.createSession({ template: 'swarm-1m2w', swarm: true });
    expect(formed.nodes.map((n) => `${n.name}:${n.role}`)).toEqual(['node1:manager', 'node2:worker', 'node3:worker']);
    const nodes = await api.exec(formed, 'node1', "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'");
    expect(nodes.output.trim().split('\n').map((line) => line.trimEnd()).sort()).toEqual(['node1 Ready Leader', 'node2 Ready', 'node3 Ready']);
    await api.exec(formed, 'node1', 'docker service create --detach --name web --replicas 3 web:1');
    await eventually(async () => (await api.exec(formed, 'node1', "docker service ls --filter name=web --format '{{.Replicas}}'")).output.trim() === '3/3');
    const page = await api.exec(formed, 'node2', "docker exec $(docker ps -q --filter label=com.docker.swarm.service.name=web | head -1) wget -qO- http://127.0.0.1/");
    expect(page.output).toMatch(/^web version 1 served by [0-9a-f]{12}/);
  });

  it('keeps sessions apart: a node of one session cannot reach a node of another', async () => {
    const target = formed.nodes[1].address;
    const own = await api.exec(formed, 'node1', `ping -c1 -W1 ${target}`);
    expect(own.exitCode).toBe(0);
    const other = await api.exec(raw, 'node1', `ping -c1 -W1 ${target}`);
    expect(other.exitCode).not.toBe(0);
  });

  it('refuses another session\'s token with 403 and an unknown session with 404', async () => {
    expect((await api.call('POST', `/sessions/${raw.id}/nodes/node1/exec`, formed.token, { command: 'hostname' })).status).toBe(403);
    expect((await api.call('GET', `/sessions/${raw.id}`, formed.token)).status).toBe(403);
    expect((await api.call('GET', '/sessions/aaaaaaaaaaaa', formed.token)).status).toBe(404);
  });

  it('bounds a command in time and in output', async () => {
    const slow = await api.exec(raw, 'node2', 'sleep 30', 2);
    expect(slow.exitCode).toBe(137);
    const loud = await api.exec(raw, 'node2', `yes | head -c ${server.config.limits.execMaxOutputBytes * 2}`);
    expect(loud.truncated).toBe(true);
    expect(loud.output.length).toBe(server.config.limits.execMaxOutputBytes);
  });

  it('puts limits on every node: memory, processes, bounded writable disk', async () => {
    const [container] = (await labelled('containers', raw.id)) as Docker.ContainerInfo[];
    const info = await docker.getContainer(container.Id).inspect();
    expect(info.HostConfig.Memory).toBe(server.config.limits.nodeMemoryMb * 1024 * 1024);
    expect(info.HostConfig.PidsLimit).toBe(server.config.limits.nodePids);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.Tmpfs?.['/var/lib/docker']).toContain(`size=${server.config.limits.nodeDiskMb}m`);
    const full = await api.exec(raw, 'node3', `dd if=/dev/zero of=/var/lib/docker/fill bs=1M count=${server.config.limits.nodeDiskMb + 50} 2>&1; rm -f /var/lib/docker/fill`);
    expect(full.output).toMatch(/No space left on device/);
    const root = await api.exec(raw, 'node3', 'touch /usr/fill');
    expect(root.output).toMatch(/Read-only file system/);
  });

  it('adds and removes a node; an added node joins the formed swarm', async () => {
    const added = await api.call('POST', `/sessions/${formed.id}/nodes`, formed.token, {});
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'node4', role: 'worker', status: 'running' });
    await eventually(async () => (await api.exec(formed, 'node1', "docker node ls --format '{{.Hostname}} {{.Status}}'")).output.includes('node4 Ready'));
    expect((await api.call('DELETE', `/sessions/${formed.id}/nodes/node4`, formed.token)).status).toBe(204);
    expect((await labelled('containers', formed.id)).length).toBe(3);
  });

  it('ends a session on DELETE, leaving no container and no network', async () => {
    expect((await api.deleteSession(raw)).status).toBe(204);
    expect(await labelled('containers', raw.id)).toEqual([]);
    expect(await labelled('networks', raw.id)).toEqual([]);
    expect((await api.call('GET', `/sessions/${raw.id}`, raw.token)).status).toBe(404);
  });
});

describe('spare session networks (made ahead, one engine)', () => {
  const SPARE_INSTANCE = 't-spare-networks';
  const networksOf = async () => docker.listNetworks({ filters: { label: [`${LABEL.instance}=${SPARE_INSTANCE}`] } });

  it('are fenced like any session network, serve sessions under the id they were made for, and are all removed at stop', async () => {
    // A spare left by a server that was killed: the next start sweeps it like any network of no live session.
    const leftover = await docker.createNetwork({ Name: `sw-${SPARE_INSTANCE}-leftover`, Labels: sessionLabels(SPARE_INSTANCE, newId(), 'network') });
    const listener = createServer((socket) => socket.on('error', () => undefined).end('host-listener\n'));
    await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
    const port = (listener.address() as AddressInfo).port;
    const spareServer = await startTestServer(SPARE_INSTANCE, { limits: { nodeDiskMb: 128, concurrentNodeStarts: 2 }, sessions: { spareNetworks: true } });
    try {
      const spareApi = apiClient(spareServer.url);
      await spareServer.sessions.warmUp();
      const spares = (await networksOf()).map((n) => n.Labels?.[LABEL.session]);
      expect(spares).toHaveLength(2); // the start queue's width; the leftover is gone
      expect((await networksOf()).some((n) => n.Id === leftover.id)).toBe(false);

      const [first, second] = await Promise.all([spareApi.createSession({ template: 'single' }), spareApi.createSession({ template: 'single' })]);
      expect(spares.sort()).toEqual([first.id, second.id].sort());
      // Fenced: the host's port behind the bridge gateway and the other session's node are refused by the fence
      // (icmp-admin-prohibited reads "No route to host"; Docker's own rules would time out instead).
      const gateway = (await spareApi.exec(first, 'node1', "ip -4 route show default | awk '{print $3}'")).output.trim();
      const toHost = await spareApi.exec(first, 'node1', `nc -vz -w 4 ${gateway} ${port} 2>&1`, 20);
      expect(toHost.exitCode).not.toBe(0);
      expect(toHost.output).toMatch(/No route to host/);
      const across = await spareApi.exec(first, 'node1', `nc -vz -w 4 ${second.nodes[0].address} 2375 2>&1`, 20);
      expect(across.exitCode).not.toBe(0);
      expect(across.output).toMatch(/No route to host/);
      // Its own node answers on the same port: the refusals above are about where, not about nc.
      expect((await spareApi.exec(second, 'node1', `nc -vz -w 4 ${second.nodes[0].address} 2375 2>&1`, 20)).exitCode).toBe(0);

      await spareServer.sessions.warmUp();
      expect(await networksOf()).toHaveLength(4); // two sessions' networks, two spares again
    } finally {
      await spareServer.close();
      await new Promise((resolve) => listener.close(resolve));
    }
    expect(await networksOf()).toEqual([]);
    const chains = execFileSync('iptables', ['-w', '5', '-S'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(fenceChains(SPARE_INSTANCE).forward) || line.includes(fenceChains(SPARE_INSTANCE).input));
    expect(chains).toEqual([]);
  });
});
