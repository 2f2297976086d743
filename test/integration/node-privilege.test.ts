import { existsSync } from 'node:fs';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../server/engine/labels.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

/**
 * What a learner with a root shell in a node can no longer do to the host, tried from inside a node the way
 * an attacker in a class would. Where the engine grants --privileged none of this holds (docs/security.md),
 * so those checks are skipped with the reason.
 */
const INSTANCE = 't-node-privilege';
const docker = new Docker();
let server: RunningServer;
let api: ReturnType<typeof apiClient>;
let session: CreatedSession;
let info: Docker.ContainerInspectInfo;

beforeAll(async () => {
  server = await startTestServer(INSTANCE, { limits: { nodeDiskMb: 128 } });
  api = apiClient(server.url);
  session = await api.createSession({ template: 'swarm-1m2w', swarm: true });
  const [node] = await docker.listContainers({ filters: { label: [`${LABEL.instance}=${INSTANCE}`, `${LABEL.session}=${session.id}`, `${LABEL.node}=node1`] } });
  info = await docker.getContainer(node.Id).inspect();
});

afterAll(async () => {
  await server?.close();
});

const run = (command: string, node = 'node1', seconds = 30) => api.exec(session, node, command, seconds);

describe('a node holds only what dockerd and swarm need', () => {
  it('runs with the reduced capability set, the seccomp profile, capped logs and open files', ({ skip }) => {
    if (info.HostConfig.Privileged) skip('this engine grants --privileged, which gives all of this away');
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.CapAdd).toEqual(expect.arrayContaining(['SYS_ADMIN', 'NET_ADMIN']));
    for (const dropped of ['SYS_MODULE', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'SYS_PTRACE', 'DAC_READ_SEARCH']) expect(info.HostConfig.CapAdd).not.toContain(dropped);
    expect(info.HostConfig.SecurityOpt?.some((option: string) => option.startsWith('seccomp={'))).toBe(true);
    expect(info.HostConfig.DeviceCgroupRules ?? []).toEqual([]);
    expect(info.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
    expect(info.HostConfig.Ulimits).toEqual([{ Name: 'nofile', Soft: 16384, Hard: 16384 }]);
    if (existsSync('/sys/fs/cgroup/devices/devices.list')) expect(info.HostConfig.CgroupParent).toBe('/swarm-workshop-nodes');
  });

  it('cannot write /proc/sys/kernel/core_pattern nor trigger sysrq', async ({ skip }) => {
    if (info.HostConfig.Privileged) skip('this engine grants --privileged');
    const core = await run('cat /proc/sys/kernel/core_pattern > /tmp/core && cat /tmp/core > /proc/sys/kernel/core_pattern');
    expect(core.exitCode).not.toBe(0);
    expect(core.output).toMatch(/Read-only file system/);
    const sysrq = await run('echo h > /proc/sysrq-trigger');
    expect(sysrq.exitCode).not.toBe(0);
  });

  it('cannot open a block device it creates, nor lift its own device rules', async ({ skip }) => {
    if (info.HostConfig.Privileged) skip('this engine grants --privileged');
    // Docker lets any container make device nodes (cgroup rule "b *:* m"); reading one is what the device rules refuse.
    const block = await run('mknod /dev/probe-loop0 b 7 0; dd if=/dev/probe-loop0 of=/dev/null count=1; status=$?; rm -f /dev/probe-loop0; exit $status');
    expect(block.exitCode).not.toBe(0);
    expect(block.output).toMatch(/Operation not permitted/);
    // SYS_ADMIN lets a node write its own device rules; the parent cgroup the server made refuses to widen them.
    const lift = await run('echo "b 7:0 rwm" > /sys/fs/cgroup/devices/devices.allow');
    expect(lift.exitCode).not.toBe(0);
    expect(lift.output).toMatch(/Operation not permitted/);
    const all = await run('echo a > /sys/fs/cgroup/devices/devices.allow');
    expect(all.exitCode).not.toBe(0);
    const after = await run('mknod /dev/probe-loop1 b 7 1; dd if=/dev/probe-loop1 of=/dev/null count=1; status=$?; rm -f /dev/probe-loop1; exit $status');
    expect(after.exitCode).not.toBe(0);
  });

  it('cannot load kernel modules, set the clock, use raw ports or make user namespaces', async ({ skip }) => {
    if (info.HostConfig.Privileged) skip('this engine grants --privileged');
    // busybox insmod hands the file to init_module, which refuses before it looks at the contents.
    const module = await run('busybox insmod /etc/hostname');
    expect(module.exitCode).not.toBe(0);
    expect(module.output).toMatch(/Operation not permitted/);
    const clock = await run('date -s "2001-01-01 00:00"');
    expect(clock.output).toMatch(/Operation not permitted/);
    const ports = await run('grep -E "^Cap(Eff|Bnd)" /proc/self/status');
    const bits = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(ports.output)![1]}`);
    for (const [name, bit] of [['SYS_MODULE', 16n], ['SYS_RAWIO', 17n], ['SYS_BOOT', 22n], ['SYS_TIME', 25n], ['SYS_PTRACE', 19n]] as const) {
      expect((bits >> bit) & 1n, name).toBe(0n);
    }
    const userns = await run('unshare --user true');
    expect(userns.exitCode).not.toBe(0);
  });

  it('has a private cgroup view: the host and other containers are not in it', async () => {
    // In the host's cgroup namespace these paths would read /docker/<container id>.
    const view = await run('cat /proc/self/cgroup');
    const lines = view.output.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/:\/$/);
  });

  it('still does everything a lesson needs: swarm, an overlay network, a service on it, inner containers', async () => {
    await run('docker network create --driver overlay --attachable lesson-net');
    // Global mode puts a task on each node, so the requests below cross nodes over VXLAN. Task addresses from the
    // network's endpoint table, not names. No wget -T: the lesson images' static busybox crashes on it (and on names).
    await run('docker service create --detach --name probe-web --network lesson-net --mode global web:1');
    await eventually(async () => (await run("docker service ls --filter name=probe-web --format '{{.Replicas}}'")).output.trim() === '3/3', 60_000);
    const endpoints = "docker network inspect --verbose lesson-net --format '{{range .Services}}{{range .Tasks}}{{.EndpointIP}} {{end}}{{end}}'";
    let addresses: string[] = [];
    await eventually(async () => (addresses = (await run(endpoints)).output.trim().split(/\s+/).filter(Boolean)).length === 3, 30_000);
    const pages = await run(`for ip in ${addresses.join(' ')}; do docker run --rm --network lesson-net busybox wget -qO- http://$ip/; done`, 'node1', 120);
    expect(pages.output.match(/web version 1/g) ?? [], `exit ${pages.exitCode}: ${pages.output}`).toHaveLength(3);
  });
});
