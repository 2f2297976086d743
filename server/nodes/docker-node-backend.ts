import type { Config } from '../config.js';
import type { DockerEngine, NodeContainerSpec } from '../engine/docker-engine.js';
import { LABEL, sessionLabels } from '../engine/labels.js';
import { DROPPED_CAPABILITIES, NODE_CAPABILITIES } from '../engine/node-confinement.js';
import type { Logger } from '../logger.js';
import { CapacityError } from '../errors.js';
import { ensureNodeCgroupParent } from './node-cgroup.js';
import { detectPrivileged } from './privilege-probe.js';
import { freeSubnet } from './subnet-pool.js';
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
    const name = this.resourceName(sessionId);
    const refused: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const used = [...(await this.engine.usedSubnets()), ...this.claimed, ...refused];
      const subnet = freeSubnet(this.config.subnetPool, 24, used);
      if (!subnet) throw new CapacityError(`no free subnet left in ${this.config.subnetPool} for another session network`);
      this.claimed.add(subnet);
      try {
        const id = await this.engine.createNetwork(name, sessionLabels(this.config.instance, sessionId, 'network'), subnet);
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

  async openTerminal(node: NodeHandle, size: { cols: number; rows: number }): Promise<TerminalProcess> {
    return this.engine.execTty(node.id, ['bash', '-l'], ['TERM=xterm-256color', 'LANG=C.UTF-8'], size);
  }

  async sweep(live: ReadonlySet<string>): Promise<{ containers: number; networks: number }> {
    const containers = (await this.engine.listContainers(this.config.instance)).filter((c) => !live.has(c.labels[LABEL.session]));
    await Promise.all(containers.map((c) => this.engine.removeContainer(c.id)));
    const networks = (await this.engine.listNetworks(this.config.instance)).filter((n) => !live.has(n.labels[LABEL.session]));
    await Promise.all(networks.map((n) => this.engine.removeNetwork(n.id)));
    return { containers: containers.length, networks: networks.length };
  }
}
