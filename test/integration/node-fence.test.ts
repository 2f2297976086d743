import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgePrefix, NodeFence, nodeFenceFor, runIptables } from '../../server/nodes/node-fence.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

/**
 * Each rule of the node fence, proved from inside a node with addresses of this machine only: the session
 * network's bridge gateway, the host's own addresses with a listener this test starts, another session's
 * node, and the metadata address (which the fence must refuse before a packet leaves the host).
 */
const INSTANCE = 't-node-fence';
// The fence answers with icmp-admin-prohibited, which connect() reports as "No route to host"; Docker's own
// rules drop silently (a timeout), so this text tells the fence's refusal from anything else.
const REFUSED_BY_FENCE = /No route to host/;

let server: RunningServer;
let api: ReturnType<typeof apiClient>;
let swarm: CreatedSession;
let single: CreatedSession;
let listener: Server;
let listenerPort: number;
let gateway: string;
let closed = false;

function iptables(...args: string[]): string {
  return execFileSync('iptables', ['-w', '5', ...args], { encoding: 'utf8' });
}

/** Tries a TCP connection from a node; nc says why it failed. */
async function connect(session: CreatedSession, node: string, host: string, port: number) {
  const result = await api.exec(session, node, `nc -vz -w 4 ${host} ${port} 2>&1`, 20);
  return { connected: result.exitCode === 0, output: result.output };
}

/** The host's own IPv4 addresses other than loopback and the session networks. */
function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal && !a.address.startsWith('10.201.'))
    .map((a) => a!.address);
}

beforeAll(async () => {
  // A port scan resets the connection; that is expected, not an error of the test.
  listener = createServer((socket) => socket.on('error', () => undefined).end('host-listener\n'));
  await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
  listenerPort = (listener.address() as AddressInfo).port;
  server = await startTestServer(INSTANCE, { limits: { nodeDiskMb: 128 } });
  api = apiClient(server.url);
  [swarm, single] = await Promise.all([api.createSession({ template: 'swarm-1m2w', swarm: true }), api.createSession({ template: 'single' })]);
  gateway = (await api.exec(single, 'node1', "ip -4 route show default | awk '{print $3}'")).output.trim();
});

afterAll(async () => {
  if (!closed) await server?.close();
  await new Promise((resolve) => listener?.close(resolve));
});

describe('the node fence', () => {
  it('is installed once, however often the server installs it', async () => {
    const fence = nodeFenceFor(server.config)!;
    await fence.install();
    const jumps = iptables('-S', 'DOCKER-USER').split('\n').filter((line) => line.includes(`-j ${fence.chains.forward}`));
    expect(jumps).toEqual([`-A DOCKER-USER -i ${bridgePrefix(INSTANCE)}+ -j ${fence.chains.forward}`]);
    expect(iptables('-S', 'INPUT').split('\n').filter((line) => line.includes(`-j ${fence.chains.input}`))).toHaveLength(1);
    // The jumps catch this server's session bridges, and only those: both sessions' bridges carry the prefix.
    const bridges = execFileSync('ip', ['-o', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' }).match(new RegExp(`${bridgePrefix(INSTANCE)}[0-9a-f]{6}`, 'g'));
    expect(new Set(bridges).size).toBeGreaterThanOrEqual(2);
  });

  it("leaves this server's nodes to this server's fence: another server's fence on the same host and pool does not refuse them", async () => {
    // As a server stopped with sessions kept leaves its fence (its nodes still need it) while another one runs.
    const other = new NodeFence('t-fence-other', { pool: server.config.subnetPool, egress: false, hostPorts: [] });
    const open = new NodeFence(INSTANCE, { pool: server.config.subnetPool, egress: false, hostPorts: [listenerPort] });
    await other.install();
    await open.install();
    try {
      expect(iptables('-S', 'INPUT').split('\n').findIndex((line) => line.includes(other.chains.input))).toBeLessThan(
        iptables('-S', 'INPUT').split('\n').findIndex((line) => line.includes(open.chains.input)),
      );
      expect((await connect(single, 'node1', gateway, listenerPort)).connected).toBe(true);
    } finally {
      await other.remove();
      await nodeFenceFor(server.config)!.install();
    }
  });

  it('lets the nodes of one session reach each other: the swarm forms and its daemons answer', async () => {
    const nodes = await api.exec(swarm, 'node1', "docker node ls --format '{{.Hostname}} {{.Status}}'");
    expect(nodes.output.trim().split('\n').sort()).toEqual(['node1 Ready', 'node2 Ready', 'node3 Ready']);
    expect((await connect(swarm, 'node1', swarm.nodes[2].address, 2375)).connected).toBe(true);
    const ping = await api.exec(swarm, 'node3', `ping -c1 -W2 ${swarm.nodes[0].address}`);
    expect(ping.exitCode).toBe(0);
  });

  it("closes the host's ports to nodes, through the bridge gateway and the host's own addresses", async () => {
    const blocked = await connect(single, 'node1', gateway, listenerPort);
    expect(blocked.connected).toBe(false);
    expect(blocked.output).toMatch(REFUSED_BY_FENCE);
    for (const address of hostAddresses()) {
      const other = await connect(single, 'node1', address, listenerPort);
      expect(other.connected, address).toBe(false);
    }
    // The same probe without the fence connects: the refusal above is the fence's doing.
    const fence = nodeFenceFor(server.config)!;
    await fence.remove();
    try {
      expect((await connect(single, 'node1', gateway, listenerPort)).connected).toBe(true);
    } finally {
      await fence.install();
    }
  });

  it('opens a host port the operator lists, and only that one', async () => {
    const open = new NodeFence(INSTANCE, { pool: server.config.subnetPool, egress: false, hostPorts: [listenerPort] });
    await open.install();
    try {
      expect((await connect(single, 'node1', gateway, listenerPort)).connected).toBe(true);
      expect((await connect(single, 'node1', gateway, listenerPort === 1 ? 2 : listenerPort - 1)).connected).toBe(false);
    } finally {
      await nodeFenceFor(server.config)!.install();
    }
  });

  it('refuses the link-local metadata range before a packet leaves the host', async () => {
    const metadata = await connect(single, 'node1', '169.254.169.254', 80);
    expect(metadata.connected).toBe(false);
    expect(metadata.output).toMatch(REFUSED_BY_FENCE);
  });

  it("refuses another session's nodes", async () => {
    const across = await connect(single, 'node1', swarm.nodes[1].address, 2375);
    expect(across.connected).toBe(false);
    expect(across.output).toMatch(REFUSED_BY_FENCE);
    const back = await connect(swarm, 'node2', single.nodes[0].address, 2375);
    expect(back.output).toMatch(REFUSED_BY_FENCE);
  });

  it('refuses everything beyond the session when egress is off (an address on this host\'s default bridge stands in for the internet)', async ({ skip }) => {
    // Reached through FORWARD like any outside address, but never leaves this machine if the fence failed.
    let docker0: string | undefined;
    try {
      docker0 = /inet (\d+\.\d+\.\d+)\.\d+\//.exec(execFileSync('ip', ['-4', '-o', 'addr', 'show', 'docker0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1];
    } catch {
      docker0 = undefined;
    }
    if (!docker0) skip('no docker0 bridge on this host to stand in for an outside address');
    const outside = await connect(single, 'node1', `${docker0}.254`, 80);
    expect(outside.connected).toBe(false);
    expect(outside.output).toMatch(REFUSED_BY_FENCE);
  });

  it('speaks IPv4 only: a node has no IPv6 address to go around the fence with', async () => {
    const v6 = await api.exec(single, 'node1', 'ip -6 addr show dev eth0');
    expect(v6.output.trim()).toBe('');
  });

  it("is swept by the next server's start once its server is gone and owns no nodes; a live server's fence stays", async () => {
    const policy = { pool: server.config.subnetPool, egress: false, hostPorts: [] };
    const ended = spawnSync('true');
    const gone = new NodeFence('t-fence-gone', policy, runIptables, ended.pid!);
    const alive = new NodeFence('t-fence-alive', policy, runIptables, process.pid);
    await gone.install();
    await alive.install();
    let next: RunningServer | undefined;
    try {
      next = await startTestServer('t-fence-next');
      expect(await gone.listRules()).toBe('');
      expect(iptables('-S', 'INPUT')).not.toContain(gone.chains.input);
      expect(await alive.listRules()).toContain('swarm-workshop-owner:t-fence-alive:');
      // A server stopped with no nodes to keep takes its own fence with it, even when it keeps sessions.
      const own = nodeFenceFor(next.config)!;
      expect(await own.listRules()).not.toBe('');
      await next.close({ keepSessions: true });
      next = undefined;
      expect(await own.listRules()).toBe('');
    } finally {
      await next?.close();
      await alive.remove();
      await gone.remove();
    }
  });

  it('is removed when the server stops and its nodes end', async () => {
    const fence = nodeFenceFor(server.config)!;
    await server.close();
    closed = true;
    await eventually(async () => (await fence.listRules()) === '', 10_000);
    expect(iptables('-S', 'DOCKER-USER')).not.toContain(fence.chains.forward);
    expect(iptables('-S', 'INPUT')).not.toContain(fence.chains.input);
  });
});
