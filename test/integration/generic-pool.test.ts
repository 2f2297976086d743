import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../server/engine/docker-engine.js';
import { LABEL } from '../../server/engine/labels.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

/**
 * The generic warm pool on the real engine: waiting nodes are taken by sessions of any template, renamed
 * (kernel hostname, prompt, `docker node ls`) and attached to the session's own network before the swarm
 * forms; a waiting node is on no network at all; adopted nodes survive a restart.
 */
const INSTANCE = 't-generic-pool';
const docker = new Docker();
const engine = new DockerEngine(docker);
const dataDir = mkdtempSync(join(tmpdir(), `${INSTANCE}-`));
const options = { dataDir, limits: { nodeDiskMb: 128 }, sessions: { genericPool: 4 } };
let server: RunningServer | undefined;
let api: ReturnType<typeof apiClient>;
let swarm: CreatedSession;
let single: CreatedSession;

/** Nodes still waiting in the pool (adopted ones keep the pool's label but carry their session's name). */
async function waitingNodes() {
  return (await containers('waiting-room')).filter((c) => c.Names[0].startsWith(`/sw-${INSTANCE}-waiting-room-`));
}

/** Containers of this test's server by the session label they carry (waiting nodes: `waiting-room`). */
async function containers(sessionLabel?: string) {
  const label = [`${LABEL.instance}=${INSTANCE}`, `${LABEL.kind}=node`, ...(sessionLabel ? [`${LABEL.session}=${sessionLabel}`] : [])];
  return docker.listContainers({ all: true, filters: { label } });
}

beforeAll(async () => {
  server = await startTestServer(INSTANCE, options);
  api = apiClient(server.url);
  await server.sessions.warmUp();
  swarm = await api.createSession({ template: 'swarm-1m2w', swarm: true });
  await server.sessions.warmUp();
  single = await api.createSession({ template: 'single' });
  await server.sessions.warmUp();
});

afterAll(async () => {
  await server?.close();
});

describe('the generic warm pool', () => {
  it('keeps its nodes waiting, and sessions of two templates took theirs from it', async () => {
    expect(await waitingNodes()).toHaveLength(4);
    const expected = [`${single.id}-node1`, `${swarm.id}-node1`, `${swarm.id}-node2`, `${swarm.id}-node3`].map((name) => `/sw-${INSTANCE}-${name}`);
    const adopted = (await containers('waiting-room')).filter((c) => expected.includes(c.Names[0]));
    expect(adopted.map((c) => c.Names[0]).sort()).toEqual(expected.sort());
  });

  it('names each adopted node as its session knows it: hostname, /etc/hostname, /etc/hosts, prompt, and the swarm', async () => {
    for (const node of swarm.nodes) {
      const names = await api.exec(swarm, node.name, `hostname; cat /etc/hostname; grep -w ${node.address} /etc/hosts | awk '{print $2}'; bash -ic 'echo "\${PS1@P}"' 2>/dev/null | tr -d '\\001\\002\\033'`);
      const [kernel, file, hosts, prompt] = names.output.trim().split('\n');
      expect([kernel, file, hosts]).toEqual([node.name, node.name, node.name]);
      expect(prompt).toContain(`[${node.name}]`);
    }
    await eventually(async () => (await api.exec(swarm, 'node1', "docker node ls --format '{{.Hostname}} {{.Status}}' | sort")).output.trim() === 'node1 Ready\nnode2 Ready\nnode3 Ready');
    // Nodes of one session reach each other by name (the DNS alias given at adoption) and on their engines' port.
    const byName = await api.exec(swarm, 'node2', `getent hosts node3 | awk '{print $1}'; docker -H ${swarm.nodes[0].address}:2375 info --format '{{.Swarm.LocalNodeState}}'`);
    expect(byName.output.trim().split('\n')).toEqual([swarm.nodes[2].address, 'active']);
  });

  it('puts an adopted node on its session network only, and a waiting node on no network at all', async () => {
    for (const node of [...swarm.nodes, ...single.nodes]) {
      const [container] = (await containers()).filter((c) => Object.values(c.NetworkSettings.Networks).some((n) => n.IPAddress === node.address));
      expect(Object.keys(container.NetworkSettings.Networks)).toHaveLength(1);
    }
    const waiting = await waitingNodes();
    expect(waiting).toHaveLength(4);
    for (const node of waiting) expect(Object.keys(node.NetworkSettings.Networks)).toEqual([]);
  });

  it('lets no waiting node reach a session: it has no interface but loopback and its own inner bridge', async () => {
    const [waiting] = await waitingNodes();
    const run = (command: string) => engine.exec(waiting.Id, ['sh', '-c', command], { timeoutMs: 20_000, maxOutputBytes: 8192 });
    const links = await run("ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort");
    expect(links.output.trim().split('\n')).toEqual(['docker0', 'lo']);
    const reach = await run(`nc -vz -w 4 ${single.nodes[0].address} 2375 2>&1`);
    expect(reach.exitCode).not.toBe(0);
    expect(reach.output).toMatch(/unreachable|No route to host/i);
  });

  it('keeps adopted nodes through a restart, though they carry the pool label, and sweeps the nodes left waiting', async () => {
    const waitingBefore = (await waitingNodes()).map((c) => c.Id);
    expect(waitingBefore).toHaveLength(4);
    await server!.close({ keepSessions: true });
    server = await startTestServer(INSTANCE, { ...options, sessions: { genericPool: 0 } });
    api = apiClient(server.url);
    const view = await api.call('GET', `/sessions/${swarm.id}`, swarm.token);
    expect(view.body.nodes.map((n: { name: string; status: string }) => `${n.name}:${n.status}`)).toEqual(['node1:running', 'node2:running', 'node3:running']);
    const hostname = await api.exec(swarm, 'node3', 'hostname');
    expect(hostname.output.trim()).toBe('node3');
    const left = new Set((await containers()).map((c) => c.Id));
    expect(waitingBefore.filter((id) => left.has(id))).toEqual([]);
  });
});
