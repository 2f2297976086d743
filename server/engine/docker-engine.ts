import { Duplex, PassThrough, type Readable } from 'node:stream';
import Docker from 'dockerode';
import { DEFAULT_ENGINE_DEADLINES, EngineUnavailableError, withDeadline, type EngineCallKind, type EngineDeadlines } from './engine-deadline.js';
import { LABEL } from './labels.js';
import { DEFAULT_NODE_LOG, NODE_CAPABILITIES, nodeSeccompProfile, type NodeLogLimits } from './node-confinement.js';

/**
 * The one module that talks to the Docker Engine. Everything else sees plain
 * data and small handles, so sessions, checks and terminals can be tested
 * without Docker and the engine can be remote (DOCKER_HOST). Every call has a deadline (engine-deadline.ts).
 */

export interface ExecResult {
  exitCode: number;
  output: string;
  truncated: boolean;
  timedOut: boolean;
}

export interface ExecOptions {
  timeoutMs: number;
  maxOutputBytes: number;
  stdin?: string;
  env?: string[];
}

export interface TtyExec {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  exitCode(): Promise<number | null>;
}

export interface NodeContainerSpec {
  name: string;
  hostname: string;
  image: string;
  network: string;
  labels: Record<string, string>;
  env: string[];
  memoryBytes: number;
  pidsLimit: number;
  nanoCpus: number;
  tmpfs: Record<string, string>;
  privileged: boolean;
  /** Nodes run read-only (only their tmpfs mounts are writable); the image builder's seeding container does not. */
  readonlyRootfs?: boolean;
  /** A cgroup (cgroupfs driver) to start the container under; unset: the engine's default. */
  cgroupParent?: string;
  /** Open files (soft and hard); unset keeps the engine's own limit. */
  openFiles?: number;
  /** Size and count of the container's log files (json-file). */
  log?: NodeLogLimits;
}

export interface ContainerSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: string;
}

export interface NetworkSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export { EngineTimeoutError, EngineUnavailableError } from './engine-deadline.js';

/** A command or terminal asked of a container that is not running (a node killed or stopped): the learner's to fix, not a server error. */
export class ContainerNotRunningError extends Error {
  constructor(readonly containerId: string) {
    super('the node is not running (it was stopped or killed): remove it and add a new one, or start a new session');
    this.name = 'ContainerNotRunningError';
  }
}

export class DockerEngine {
  readonly docker: Docker;
  private readonly deadlines: EngineDeadlines;

  constructor(docker: Docker = new Docker(), deadlines: EngineDeadlines = DEFAULT_ENGINE_DEADLINES) {
    this.docker = docker;
    this.deadlines = deadlines;
  }

  /** True when the engine is reached through a socket on this host, so its bridges are this host's interfaces. */
  get onThisHost(): boolean {
    return Boolean((this.docker.modem as { socketPath?: unknown }).socketPath);
  }

  /** One engine call under its kind's deadline; `call` passes the signal on as dockerode's `abortSignal`. */
  private call<T>(kind: EngineCallKind, operation: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return withDeadline(operation, this.deadlines[kind], call);
  }

  async ping(): Promise<{ version: string; apiVersion: string }> {
    try {
      const version = await this.call('read', 'a version request', (abortSignal) => (this.docker.version as (options: object) => Promise<Docker.DockerVersion>)({ abortSignal }));
      return { version: version.Version, apiVersion: version.ApiVersion };
    } catch (error) {
      throw new EngineUnavailableError(`no Docker engine answers (${(error as Error).message})`);
    }
  }

  /** The engine's host as it reports itself: memory (bytes), cores, and containers running (anybody's). */
  async hostResources(): Promise<{ memoryBytes: number; cpus: number; containersRunning: number }> {
    const info = (await this.docker.info()) as { MemTotal?: number; NCPU?: number; ContainersRunning?: number };
    return { memoryBytes: info.MemTotal ?? 0, cpus: info.NCPU ?? 0, containersRunning: info.ContainersRunning ?? 0 };
  }

  /** Containers of any of our instances of one kind (nodes of other servers sharing the engine count for room). */
  async countLabelled(kind: string, running = true): Promise<Array<{ instance: string; running: boolean }>> {
    const list = await this.docker.listContainers({ all: !running, filters: { label: [`${LABEL.kind}=${kind}`] } });
    return list.map((c) => ({ instance: c.Labels[LABEL.instance] ?? '', running: c.State === 'running' }));
  }

  /** How the engine manages cgroups: its driver (cgroupfs or systemd) and the cgroup version. */
  async cgroups(): Promise<{ driver: string; version: string }> {
    const info = (await this.call('read', 'an info request', (abortSignal) => (this.docker.info as (options: object) => Promise<unknown>)({ abortSignal }))) as { CgroupDriver?: string; CgroupVersion?: string };
    return { driver: info.CgroupDriver ?? 'cgroupfs', version: info.CgroupVersion ?? '1' };
  }

  async imageLabels(tag: string): Promise<Record<string, string> | null> {
    try {
      const info = await this.call('read', `an inspect of image ${tag}`, () => this.docker.getImage(tag).inspect());
      return info.Config?.Labels ?? {};
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Imports a root filesystem tarball as an image (like `docker import`). */
  async importImage(rootfsTar: Readable, repo: string, tag: string): Promise<void> {
    const stream = await this.call('image', 'an image import', (abortSignal) => this.docker.importImage(rootfsTar, { repo, tag, abortSignal }));
    await this.followProgress(stream, () => {});
  }

  /** Builds an image from a tar build context; progress lines go to onLine. */
  async buildImage(context: NodeJS.ReadableStream, tag: string, buildargs: Record<string, string>, labels: Record<string, string>, onLine: (line: string) => void): Promise<void> {
    const stream = await this.call('image', 'an image build', (abortSignal) => this.docker.buildImage(context, { t: tag, buildargs, labels, rm: true, forcerm: true, abortSignal }));
    await this.followProgress(stream, (event) => {
      if (typeof event.stream === 'string' && event.stream.trim()) onLine(event.stream.trimEnd());
    });
  }

  /** Exports images as one tarball (like `docker save a b c`). */
  async saveImages(tags: string[]): Promise<Readable> {
    // dockerode only wraps the one-image form of this route.
    return this.call('image', 'an image export', (abortSignal) => new Promise((resolve, reject) => {
      this.docker.modem.dial({ path: '/images/get?', options: { names: tags }, method: 'GET', isStream: true, abortSignal, statusCodes: { 200: true, 500: 'server error' } } as Parameters<Docker['modem']['dial']>[0], (err, data) =>
        err ? reject(err) : resolve(data as Readable),
      );
    }));
  }

  async removeImage(tag: string): Promise<void> {
    await this.call('image', `a removal of image ${tag}`, (abortSignal) => this.docker.getImage(tag).remove({ force: true, abortSignal })).catch(ignoreStatus(404));
  }

  /** Removes untagged images left behind by rebuilds of images carrying the given label. */
  async pruneDanglingImages(label: string): Promise<void> {
    await this.call('image', 'an image prune', (abortSignal) => this.docker.pruneImages({ filters: { dangling: ['true'], label: [label] }, abortSignal }));
  }

  /** A bridge network; `bridge` names its interface on the host (the node fence matches on it). */
  async createNetwork(name: string, labels: Record<string, string>, subnet?: string, bridge?: string): Promise<string> {
    const network = await this.call('write', `the creation of network ${name}`, (abortSignal) =>
      this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        Labels: labels,
        CheckDuplicate: true,
        ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
        ...(bridge ? { Options: { 'com.docker.network.bridge.name': bridge } } : {}),
        abortSignal,
      }),
    );
    return network.id;
  }

  /** Every subnet any network on the engine uses (ours and everybody else's). */
  async usedSubnets(): Promise<string[]> {
    const networks = await this.call('read', 'a network list', (abortSignal) => this.docker.listNetworks({ abortSignal }));
    return networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s)));
  }

  /** The host interface every network on the engine names for its bridge (ours and everybody else's). */
  async bridgeNames(): Promise<Set<string>> {
    const networks = await this.call('read', 'a network list', (abortSignal) => this.docker.listNetworks({ abortSignal }));
    return new Set(networks.map((n) => n.Options?.['com.docker.network.bridge.name']).filter((name): name is string => Boolean(name)));
  }

  async removeNetwork(idOrName: string): Promise<void> {
    await this.call('write', `the removal of network ${idOrName}`, (abortSignal) => this.docker.getNetwork(idOrName).remove({ abortSignal })).catch(ignoreStatus(404));
  }

  async createNodeContainer(spec: NodeContainerSpec): Promise<string> {
    // Without --privileged: exactly NODE_CAPABILITIES, a seccomp profile of our own, Docker's default masked and
    // read-only /proc paths (core_pattern, sysrq-trigger) and its default device list (null, zero, full, random,
    // urandom, tty, console, ptmx, pts, tun), which is all dockerd in a node uses.
    const security = spec.privileged
      ? { Privileged: true }
      : { CapDrop: ['ALL'], CapAdd: NODE_CAPABILITIES, SecurityOpt: [`seccomp=${nodeSeccompProfile()}`, 'apparmor=unconfined'] };
    const log = spec.log ?? DEFAULT_NODE_LOG;
    const container = await this.call('write', `the creation of container ${spec.name}`, (abortSignal) => this.docker.createContainer({
      abortSignal,
      name: spec.name,
      Hostname: spec.hostname,
      Image: spec.image,
      Labels: spec.labels,
      Env: spec.env,
      Tty: false,
      HostConfig: {
        ...security,
        NetworkMode: spec.network,
        Memory: spec.memoryBytes,
        MemorySwap: spec.memoryBytes,
        PidsLimit: spec.pidsLimit,
        NanoCpus: spec.nanoCpus,
        Tmpfs: spec.tmpfs,
        ReadonlyRootfs: spec.readonlyRootfs ?? true,
        Init: false,
        // Its own cgroup namespace: the cgroup hierarchies a node remounts show its own subtree, not the host's.
        CgroupnsMode: 'private',
        ...(spec.cgroupParent ? { CgroupParent: spec.cgroupParent } : {}),
        LogConfig: { Type: 'json-file', Config: { 'max-size': `${log.maxSizeMb}m`, 'max-file': String(log.maxFiles) } },
        ...(spec.openFiles ? { Ulimits: [{ Name: 'nofile', Soft: spec.openFiles, Hard: spec.openFiles }] } : {}),
      } as Docker.HostConfig & { CgroupnsMode: 'private' }, // API 1.41 (Docker 20.10); dockerode's types predate it
    }));
    return container.id;
  }

  /** Creates, starts and removes a short-lived container; reports whether it ran and exited cleanly. */
  async runOnce(spec: { name: string; image: string; entrypoint: string[]; privileged: boolean; labels: Record<string, string> }): Promise<{ ok: boolean; error?: string }> {
    const container = await this.call('write', `the creation of container ${spec.name}`, (abortSignal) =>
      this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        Entrypoint: spec.entrypoint,
        Labels: spec.labels,
        HostConfig: { Privileged: spec.privileged, NetworkMode: 'none' },
        abortSignal,
      }),
    );
    try {
      await this.call('write', `the start of container ${spec.name}`, (abortSignal) => container.start({ abortSignal }));
      const exit = (await this.call('write', `the end of container ${spec.name}`, (abortSignal) => container.wait({ abortSignal }))) as { StatusCode: number };
      return { ok: exit.StatusCode === 0 };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    } finally {
      await this.call('write', `the removal of container ${spec.name}`, (abortSignal) => container.remove({ force: true, abortSignal })).catch(() => undefined);
    }
  }

  async stopContainer(id: string, seconds = 10): Promise<void> {
    // The engine waits `seconds` for the container to stop before it answers.
    const deadline = this.deadlines.write + seconds * 1000;
    await withDeadline(`the stop of container ${id}`, deadline, (abortSignal) => this.docker.getContainer(id).stop({ t: seconds, abortSignal })).catch(ignoreStatus(304));
  }

  /** Saves a stopped container's filesystem as an image (like `docker commit`). */
  async commitContainer(id: string, repo: string, tag: string, labels: Record<string, string>): Promise<void> {
    const changes = Object.entries(labels).map(([key, value]) => `LABEL ${key}=${value}`);
    await this.call('image', `the commit of container ${id}`, (abortSignal) => this.docker.getContainer(id).commit({ repo, tag, changes, pause: false, abortSignal }));
  }

  async startContainer(id: string): Promise<void> {
    await this.call('write', `the start of container ${id}`, (abortSignal) => this.docker.getContainer(id).start({ abortSignal }));
  }

  async removeContainer(id: string): Promise<void> {
    await this.call('write', `the removal of container ${id}`, (abortSignal) => this.docker.getContainer(id).remove({ force: true, v: true, abortSignal })).catch(ignoreStatus(404));
  }

  async containerAddress(id: string, network: string): Promise<string | null> {
    const info = await this.inspectContainer(id);
    return info.NetworkSettings.Networks[network]?.IPAddress || null;
  }

  async containerState(id: string): Promise<{ running: boolean; exitCode: number } | null> {
    try {
      const info = await this.inspectContainer(id);
      return { running: info.State.Running, exitCode: info.State.ExitCode };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async containerLogs(id: string, tail = 20): Promise<string> {
    const buffer = (await this.call('read', `the logs of container ${id}`, (abortSignal) => this.docker.getContainer(id).logs({ stdout: true, stderr: true, tail, abortSignal } as { stdout: true; stderr: true; tail: number; follow?: false }))) as unknown as Buffer;
    return buffer.toString('utf8');
  }

  /**
   * Follows a container's log (from its start) until a line equal to `marker` appears: one streaming request,
   * nothing run inside the container. False when the container stops or `timeoutMs` passes first.
   */
  async waitForLogLine(id: string, marker: string, timeoutMs: number): Promise<boolean> {
    const stream = (await this.docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true })) as unknown as Readable;
    const lines = new PassThrough();
    this.docker.modem.demuxStream(stream, lines, lines);
    return new Promise<boolean>((resolve) => {
      let partial = '';
      const finish = (found: boolean) => {
        clearTimeout(timer);
        stream.destroy();
        resolve(found);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      lines.on('data', (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const complete = text.split('\n');
        partial = complete.pop()!;
        if (complete.some((line) => line.trim() === marker)) finish(true);
      });
      stream.on('end', () => finish(false));
      stream.on('close', () => finish(false));
      stream.on('error', () => finish(false));
    });
  }

  /** Memory in use by a container, as the cgroup reports it (bytes). */
  async memoryUsage(id: string): Promise<number> {
    const stats = await this.stats(id);
    const cache = (stats.memory_stats.stats as Record<string, number> | undefined)?.total_inactive_file ?? 0;
    return stats.memory_stats.usage - cache;
  }

  /** CPU time a container has used since it started, as its cgroup counts it (seconds). */
  async cpuSeconds(id: string): Promise<number> {
    const stats = await this.stats(id);
    return stats.cpu_stats.cpu_usage.total_usage / 1e9;
  }

  async listContainers(instance: string): Promise<ContainerSummary[]> {
    const list = await this.call('read', 'a container list', (abortSignal) => this.docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${instance}`] }, abortSignal }));
    return list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, ''), labels: c.Labels, state: c.State }));
  }

  async listNetworks(instance: string): Promise<NetworkSummary[]> {
    const list = await this.call('read', 'a network list', (abortSignal) => this.docker.listNetworks({ filters: { label: [`${LABEL.instance}=${instance}`] }, abortSignal }));
    return list.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  /** Runs a command in a container without a TTY; bounded in time and output. */
  async exec(containerId: string, cmd: string[], options: ExecOptions): Promise<ExecResult> {
    const exec = await this.call('attach', `an exec in container ${containerId}`, (abortSignal) =>
      this.docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: options.stdin !== undefined, Env: options.env, Tty: false, abortSignal }),
    ).catch(notRunningAs(containerId));
    const stream = (await this.call('attach', `an exec in container ${containerId}`, (abortSignal) => exec.start({ hijack: true, stdin: options.stdin !== undefined, abortSignal }))) as Duplex;
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => {
      if (size >= options.maxOutputBytes) {
        truncated = true;
        return;
      }
      const room = options.maxOutputBytes - size;
      if (chunk.length > room) truncated = true;
      const kept = chunk.subarray(0, room);
      chunks.push(kept);
      size += kept.length;
    });
    this.docker.modem.demuxStream(stream, sink, sink);
    if (options.stdin !== undefined) stream.end(options.stdin);
    let timedOut = false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        stream.destroy();
        resolve();
      }, options.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
    });
    const info = timedOut ? null : await this.call('read', `an exec's exit code in container ${containerId}`, (abortSignal) => exec.inspect({ abortSignal }));
    return {
      exitCode: timedOut ? 124 : (info?.ExitCode ?? -1),
      output: Buffer.concat(chunks).toString('utf8'),
      truncated,
      timedOut,
    };
  }

  /**
   * A raw byte stream to a command in a container, without a TTY (which would rewrite the bytes): what is
   * written goes to its stdin, its stdout comes back. Ending the writable side closes its stdin; the stream
   * ends when the command does. The caller owns the stream.
   */
  async execStream(containerId: string, cmd: string[]): Promise<Duplex> {
    const exec = await this.docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false });
    const hijacked = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const stdout = new PassThrough();
    this.docker.modem.demuxStream(hijacked, stdout, new PassThrough().resume());
    hijacked.on('end', () => stdout.end());
    hijacked.on('close', () => stdout.end());
    const stream = Duplex.from({ readable: stdout, writable: hijacked });
    stream.on('close', () => hijacked.destroy());
    return stream;
  }

  /** Starts an interactive command with a TTY (a terminal); the caller owns the returned stream. */
  async execTty(containerId: string, cmd: string[], env: string[], size: { cols: number; rows: number }): Promise<TtyExec> {
    // The deadline covers opening the terminal; once attached, it lives as long as its learner keeps it.
    const exec = await this.call('attach', `a terminal in container ${containerId}`, (abortSignal) =>
      this.docker.getContainer(containerId).exec({
        Cmd: cmd,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        Env: env,
        ConsoleSize: [size.rows, size.cols],
        abortSignal,
      } as Docker.ExecCreateOptions),
    ).catch(notRunningAs(containerId));
    const stream = (await this.call('attach', `a terminal in container ${containerId}`, (abortSignal) => exec.start({ hijack: true, stdin: true, Tty: true, abortSignal }))) as Duplex;
    return {
      stream,
      resize: async (cols, rows) => {
        await this.call('read', 'a terminal resize', (abortSignal) => exec.resize({ w: cols, h: rows, abortSignal })).catch(() => undefined);
      },
      exitCode: async () => {
        const info = await this.call('read', "a terminal's exit code", (abortSignal) => exec.inspect({ abortSignal })).catch(() => null);
        return info && !info.Running ? info.ExitCode : null;
      },
    };
  }

  private stats(id: string): Promise<Docker.ContainerStats> {
    return this.call('read', `the stats of container ${id}`, (abortSignal) => this.docker.getContainer(id).stats({ stream: false, abortSignal } as { stream: false }));
  }

  private inspectContainer(id: string): Promise<Docker.ContainerInspectInfo> {
    return this.call('read', `an inspect of container ${id}`, (abortSignal) => this.docker.getContainer(id).inspect({ abortSignal }));
  }

  /** The progress of an image import or build: not under a deadline, a build legitimately takes minutes. */
  private followProgress(stream: NodeJS.ReadableStream, onEvent: (event: { stream?: string; error?: string }) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: Array<{ error?: string }>) => {
          const failed = output?.find((event) => event.error);
          if (err) reject(err);
          else if (failed) reject(new Error(failed.error));
          else resolve();
        },
        onEvent,
      );
    });
  }

  // ── Moving a started node between networks and names (the generic warm pool, server/sessions/generic-pool.ts). ──

  /** Attaches a container to a network, with extra DNS names on it. */
  async connectNetwork(network: string, containerId: string, aliases: string[] = []): Promise<void> {
    await this.docker.getNetwork(network).connect({ Container: containerId, EndpointConfig: { Aliases: aliases } });
  }

  /** Detaches a container from a network; a container already off it is fine. */
  async disconnectNetwork(network: string, containerId: string): Promise<void> {
    await this.docker.getNetwork(network).disconnect({ Container: containerId, Force: true }).catch(ignoreStatus(404));
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await this.docker.getContainer(id).rename({ name });
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

/** The engine answers 409 to an exec in a container that is not running. */
function notRunningAs(containerId: string) {
  return (error: unknown): never => {
    throw statusOf(error) === 409 ? new ContainerNotRunningError(containerId) : error;
  };
}

function ignoreStatus(status: number) {
  return (error: unknown) => {
    if (statusOf(error) !== status) throw error;
  };
}
