import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../server/engine/labels.js';
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
