import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { DockerEngine, NodeContainerSpec } from '../engine/docker-engine.js';
import { LABEL, sessionLabels } from '../engine/labels.js';
import { DROPPED_CAPABILITIES, NODE_CAPABILITIES } from '../engine/node-confinement.js';
import type { Logger } from '../logger.js';
import { CapacityError } from '../errors.js';
import { ensureNodeCgroupParent } from './node-cgroup.js';
import { detectPrivileged } from './privilege-probe.js';
import { bridgeName } from './node-fence.js';
import { freeSubnet } from './subnet-pool.js';
import { ProbeShellGoneError } from './probe-shell.js';
import { ProbeShells } from './probe-shells.js';
import type { ExecLimits, NodeBackend, NodeHandle, SessionNetwork, TerminalProcess } from './node-backend.js';

const READY_TIMEOUT_MS = 60_000;
/** The line a node's entrypoint prints once its daemon answers (images/node/entrypoint.sh). */
const READY_MARKER = 'node-ready';

/** What a privileged node can do that a confined one cannot, for the operator's log. */
const PRIVILEGED_GIVES_AWAY = [
  ...Object.values(DROPPED_CAPABILITIES),
  'open any host device (disks included)',
  'write /proc/sys/kernel/core_pattern and /proc/sysrq-trigger',
  'every system call (no seccomp profile)',
];

/** Nodes as Docker-in-Docker containers on a per-session bridge network. */
export class DockerNodeBackend implements NodeBackend {
  readonly kind = 'docker' as const;
  readonly nodesHaveEngines = true;
  readonly networksAhead = true;
  private privileged: Promise<boolean> | undefined;
  private cgroupParent: Promise<string | undefined> | undefined;

  constructor(
    private readonly engine: DockerEngine,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly image = `${config.images.node}:latest`,
  ) {}

  private resourceName(sessionId: string, node?: string): string {
    return ['sw', this.config.instance, sessionId, node].filter(Boolean).join('-');
  }

  /**
   * A bridge network of the session's own, on a /24 from our pool (Docker's default pools run out at about
   * thirty networks). Another process may take the same subnet at the same moment: the engine then refuses
   * it as overlapping and the next free one is tried.
   */
  async createNetwork(sessionId: string): Promise<SessionNetwork> {
    // What the first node start needs to know (a probe container, the cgroup parent) is found out meanwhile, once.
    for (const known of [this.usePrivileged(), this.nodeCgroupParent()]) known.catch(() => undefined); // createNode reports a failure
    const name = this.resourceName(sessionId);
    const refused: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const used = [...(await this.engine.usedSubnets()), ...this.claimed, ...refused];
      const subnet = freeSubnet(this.config.subnetPool, 24, used);
      if (!subnet) throw new CapacityError(`no free subnet left in ${this.config.subnetPool} for another session network`);
      this.claimed.add(subnet);
      try {
        const id = await this.engine.createNetwork(name, sessionLabels(this.config.instance, sessionId, 'network'), subnet, bridgeName(this.config.instance));
        return { id, name };
      } catch (error) {
        if (!/overlap/i.test((error as Error).message)) throw error;
        refused.push(subnet);
      } finally {
        this.claimed.delete(subnet);
      }
    }
    throw new Error(`could not find a free subnet for ${name} after 20 attempts`);
  }

  /** Subnets being created right now by this process, not yet visible in the engine's list. */
  private readonly claimed = new Set<string>();

  async removeNetwork(network: SessionNetwork): Promise<void> {
    await this.engine.removeNetwork(network.id);
  }

  /** Whether --privileged works on this engine, probed once; kernels without CAP_SYS_RESOURCE in the bounding set refuse it. */
  private usePrivileged(): Promise<boolean> {
    this.privileged ??= detectPrivileged(this.engine, this.image, this.config.instance).then((privileged) => {
      if (privileged) {
        this.log.warn(
          { givesAway: PRIVILEGED_GIVES_AWAY },
          'nodes run --privileged: every capability, every host device, no seccomp, /proc/sys writable; a learner is root on the host in all but name',
        );
      } else {
        this.log.info({ capabilities: NODE_CAPABILITIES }, 'the engine refuses --privileged; nodes run with a reduced capability set and a seccomp profile');
      }
      return privileged;
    });
    return this.privileged;
  }

  /**
   * The parent cgroup that keeps a node from widening its own device rules (server/nodes/node-cgroup.ts).
   * It lives on the engine's host, so like the fence it is only set up for a local engine (`nodes.fence`),
   * and only with the cgroupfs driver on cgroup v1.
   */
  private nodeCgroupParent(): Promise<string | undefined> {
    this.cgroupParent ??= (async () => {
      if (!this.config.nodes.fence) return undefined;
      const { driver, version } = await this.engine.cgroups();
      if (driver !== 'cgroupfs' || version !== '1') return undefined;
      return ensureNodeCgroupParent();
    })();
    return this.cgroupParent;
  }

  async createNode(sessionId: string, network: SessionNetwork, name: string): Promise<NodeHandle> {
    const { limits, images } = this.config;
    const spec: NodeContainerSpec = {
      name: this.resourceName(sessionId, name),
      hostname: name,
      image: this.image,
      network: network.name,
      labels: sessionLabels(this.config.instance, sessionId, 'node', name),
      env: [`NODE_NAME=${name}`, ...(images.registryMirror ? [`REGISTRY_MIRROR=${images.registryMirror}`] : [])],
      memoryBytes: limits.nodeMemoryMb * 1024 * 1024,
      pidsLimit: limits.nodePids,
      nanoCpus: Math.round(limits.nodeCpus * 1e9),
      // The root filesystem is read-only; these are the only writable places, each bounded.
      tmpfs: {
        '/var/lib/docker': `rw,exec,size=${limits.nodeDiskMb}m`,
        '/run': 'rw,exec,size=64m',
        '/tmp': 'rw,exec,size=128m',
        '/root': 'rw,exec,size=128m',
        '/var/log': 'rw,size=32m',
        '/etc/docker': 'rw,size=1m',
      },
      privileged: await this.usePrivileged(),
      cgroupParent: await this.nodeCgroupParent(),
      openFiles: limits.nodeOpenFiles,
      log: { maxSizeMb: limits.nodeLogMb, maxFiles: limits.nodeLogFiles },
    };
    const id = await this.engine.createNodeContainer(spec);
    try {
      await this.engine.startContainer(id);
      // The node says when its daemon answers; following its log costs one request, where polling with an
      // exec started a process in the node (and a runc on the host) many times a second.
      const [ready, address] = await Promise.all([
        this.engine.waitForLogLine(id, READY_MARKER, READY_TIMEOUT_MS),
        this.engine.containerAddress(id, network.name),
      ]);
      if (!address) throw new Error(`node ${name} got no address on ${network.name}`);
      if (!ready) throw new Error(`node ${name} did not start its Docker daemon (no ${READY_MARKER} line within ${READY_TIMEOUT_MS / 1000} s)`);
      return { name, id, address };
    } catch (error) {
      const logs = await this.engine.containerLogs(id).catch(() => '');
      await this.engine.removeContainer(id).catch(() => undefined);
      throw new Error(`${(error as Error).message}${logs ? `\n${logs.trim()}` : ''}`);
    }
  }

  async removeNode(node: NodeHandle): Promise<void> {
    this.probeShells.close(node.id);
    await this.engine.removeContainer(node.id);
  }

  async isRunning(node: NodeHandle): Promise<boolean> {
    return (await this.engine.containerState(node.id))?.running ?? false;
  }

  exec(node: NodeHandle, command: string, limits: ExecLimits) {
    const seconds = Math.max(1, Math.ceil(limits.timeoutMs / 1000));
    // `timeout` inside the node kills the command itself; the engine-side timer only guards a node that stops answering.
    return this.engine.exec(node.id, ['timeout', '-s', 'KILL', String(seconds), 'bash', '-lc', command], {
      timeoutMs: limits.timeoutMs + 3000,
      maxOutputBytes: limits.maxOutputBytes,
    });
  }

  /** A login shell per node, as `exec` runs its commands in one; stderr is merged per command (probe-shell.ts). */
  private readonly probeShells = new ProbeShells((id) => this.engine.execStream(id, ['bash', '-l', '-s']));

  /** A check's command through the node's probe shell; a plain exec when no shell can take it. */
  async execInProbeShell(node: NodeHandle, command: string, limits: ExecLimits, signal?: AbortSignal) {
    try {
      return await this.probeShells.run(node.id, command, limits, signal);
    } catch (error) {
      if (error instanceof ProbeShellGoneError) return this.exec(node, command, limits);
      throw error;
    }
  }

  closeProbeShells(): void {
    this.probeShells.closeAll();
  }

  async openTerminal(node: NodeHandle, size: { cols: number; rows: number }): Promise<TerminalProcess> {
    return this.engine.execTty(node.id, ['bash', '-l'], ['TERM=xterm-256color', 'LANG=C.UTF-8'], size);
  }

  async sweep(live: ReadonlySet<string>, keepNodes: ReadonlySet<string> = new Set()): Promise<{ containers: number; networks: number }> {
    const containers = (await this.engine.listContainers(this.config.instance)).filter((c) => !live.has(c.labels[LABEL.session]) && !keepNodes.has(c.id));
    await Promise.all(containers.map((c) => this.engine.removeContainer(c.id)));
    const networks = (await this.engine.listNetworks(this.config.instance)).filter((n) => !live.has(n.labels[LABEL.session]));
    await Promise.all(networks.map((n) => this.engine.removeNetwork(n.id)));
    return { containers: containers.length, networks: networks.length };
  }

  // ── The generic warm pool: waiting nodes, and their adoption into a session (server/sessions/generic-pool.ts). ──

  private waitingRoom: Promise<SessionNetwork> | undefined;

  /**
   * The network a waiting node starts on (a /24 of the subnet pool, fenced like a session's): it needs one to
   * start, and leaves it as soon as it is ready. Its label is not a session id (ids have no dashes), so a
   * restarted server sweeps it with the nodes left waiting.
   */
  private waitingNetwork(): Promise<SessionNetwork> {
    this.waitingRoom ??= this.createNetwork(WAITING_ROOM).catch((error) => {
      this.waitingRoom = undefined;
      throw error;
    });
    return this.waitingRoom;
  }

  /**
   * A node that waits on no network at all: no session (and no other waiting node) can reach it, and it can
   * reach nothing. Leaving the shared network here, while the pool fills, keeps that step out of a learner's
   * wait: the engine changes one network's endpoints one at a time, so ninety nodes leaving one network
   * together during a class queue behind each other.
   */
  async createWaitingNode(): Promise<NodeHandle> {
    const network = await this.waitingNetwork();
    const node = await this.createNode(WAITING_ROOM, network, `waiting-${randomBytes(4).toString('hex')}`);
    try {
      await this.engine.disconnectNetwork(network.id, node.id);
    } catch (error) {
      await this.engine.removeContainer(node.id).catch(() => undefined);
      throw error;
    }
    return { ...node, address: '' };
  }

  async adoptNode(node: NodeHandle, sessionId: string, network: SessionNetwork, name: string): Promise<NodeHandle> {
    await this.engine.connectNetwork(network.id, node.id, [name]);
    // Once on the network (which writes its address into /etc/hosts), the three are independent: each is a turn
    // in the engine's queue, which a class joining together makes long, so they wait in it side by side.
    const [, renamed, address] = await Promise.all([
      this.engine.renameContainer(node.id, this.resourceName(sessionId, name)),
      this.engine.exec(node.id, ['sh', '-c', RENAME_NODE, 'rename-node', name, node.name], { timeoutMs: 10_000, maxOutputBytes: 8192 }),
      this.engine.containerAddress(node.id, network.name),
    ]);
    if (renamed.exitCode !== 0) throw new Error(`node ${name} could not take its name: ${renamed.output.trim().slice(-300)}`);
    if (!address) throw new Error(`node ${name} got no address on ${network.name}`);
    return { name, id: node.id, address };
  }

  async closeWaitingRoom(): Promise<void> {
    const room = this.waitingRoom;
    this.waitingRoom = undefined;
    if (room) await this.removeNetwork(await room).catch(() => undefined);
  }
}

/** The label of the generic pool's waiting nodes and their network, in place of a session id. */
const WAITING_ROOM = 'waiting-room';

/**
 * Gives a node its new name ($1, its old one $2) as the kernel, /etc/hostname and /etc/hosts know it. Docker
 * wrote the old name into the container's read-only /etc/hostname and /etc/hosts, so corrected copies on the
 * node's own tmpfs are mounted over them (inside the node's mount namespace; the node holds SYS_ADMIN for its
 * daemon anyway).
 */
const RENAME_NODE = `set -e
hostname "$1"
echo "$1" > /run/workshop-hostname && mount --bind /run/workshop-hostname /etc/hostname
sed -E "s/[[:space:]]$2\$/\t$1/" /etc/hosts > /run/workshop-hosts && mount --bind /run/workshop-hosts /etc/hosts`;
