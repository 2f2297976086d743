import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';

/**
 * The host firewall around session networks. Every session network's bridge is named with this instance's
 * prefix (`bridgeName`), so one interface match catches all traffic from this server's nodes, whatever source
 * address a node puts on its packets, and nothing from another server's nodes on the same host (their fences
 * are theirs: a fence left by a stopped server cannot refuse this server's nodes their host ports). Two chains
 * of this server instance decide it:
 *
 * - `SW-<instance>-FWD`, jumped to from DOCKER-USER (traffic routed or bridged through the host): a node may
 *   talk to nodes on its own bridge (its session), to nothing else in the pool (other sessions), never to
 *   the link-local metadata range, and beyond that only where `egress` allows.
 * - `SW-<instance>-IN`, jumped to from INPUT (traffic to the host itself: the bridge gateway, anything
 *   listening on 0.0.0.0): only answers to connections the host opened (the server reaching a node) and the
 *   TCP ports the operator lists.
 *
 * Replies to connections the host opened pass both. Everything refused is rejected, not dropped, so a
 * learner's command fails at once instead of hanging. Installing is idempotent (the chains are rewritten in
 * one iptables-restore transaction, the jumps added only when missing), so a restarted server takes the fence
 * over; removing it takes out the jumps and the chains. Commands run with argument arrays, never a shell.
 */
export interface FencePolicy {
  /** The subnet pool session networks are taken from. */
  pool: string;
  /** false: nowhere beyond the session; true: anywhere except the host, other sessions and metadata; or these CIDRs. */
  egress: boolean | readonly string[];
  /** TCP ports on the host itself that nodes may connect to. */
  hostPorts: readonly number[];
  /** The host's DNS resolvers (IPv4), which nodes may query on port 53. */
  resolvers?: readonly string[];
}

/**
 * The resolvers Docker's embedded DNS forwards to: the host's, or systemd-resolved's upstreams when the host
 * points at its local stub (Docker never forwards to a loopback address).
 */
export function hostResolvers(files = ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf']): string[] {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const servers = [...text.matchAll(/^\s*nameserver\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$/gm)].map((match) => match[1]).filter((ip) => !ip.startsWith('127.'));
    if (servers.length) return servers;
  }
  return [];
}

export const METADATA_RANGE = '169.254.0.0/16';
const REJECT = ['-j', 'REJECT', '--reject-with', 'icmp-admin-prohibited'];
const ANSWERS = ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'RETURN'];

/** The bridges of one instance share a prefix: 'sw' and a hash of the instance name (interface names hold 15 characters). */
export function bridgePrefix(instance: string): string {
  return `sw${createHash('sha256').update(instance).digest('hex').slice(0, 7)}`;
}

/**
 * A session network's bridge: the instance's prefix and six random hex digits. Never derived from anything that
 * repeats (such as the subnet): Docker adopts an interface that already exists under the name it is given and
 * then leaves it behind when the network goes, and a bridge left behind keeps its subnet's route.
 */
export function bridgeName(instance: string): string {
  return bridgePrefix(instance) + randomBytes(3).toString('hex');
}

/** iptables chain names hold at most 28 characters; a long instance name is shortened with a hash to stay unique. */
export function fenceChains(instance: string): { forward: string; input: string } {
  const tag = instance.length <= 20 ? instance : `${instance.slice(0, 11)}-${createHash('sha256').update(instance).digest('hex').slice(0, 8)}`;
  return { forward: `SW-${tag}-FWD`, input: `SW-${tag}-IN` };
}

/** The rules of both chains, in order, as iptables arguments after `-A <chain>`. */
export function fenceRules(policy: FencePolicy): { forward: string[][]; input: string[][] } {
  const forward: string[][] = [
    ANSWERS,
    // Nodes of one session share a bridge: their packets are bridged, not routed. Routed pool-to-pool traffic crosses sessions.
    ['-d', policy.pool, '-m', 'physdev', '--physdev-is-bridged', '-j', 'RETURN'],
    ['-d', policy.pool, ...REJECT],
    // Docker's embedded DNS in a node forwards to the host's resolvers and waits out its whole timeout when they are
    // refused; a node's daemon then takes 20 s and more to give up on a registry before it uses its local image.
    ...(policy.resolvers ?? []).flatMap((resolver) => ['udp', 'tcp'].map((protocol) => ['-d', resolver, '-p', protocol, '--dport', '53', '-j', 'RETURN'])),
    ['-d', METADATA_RANGE, ...REJECT],
  ];
  if (policy.egress === true) forward.push(['-j', 'RETURN']);
  else if (Array.isArray(policy.egress)) for (const cidr of policy.egress) forward.push(['-d', cidr, '-j', 'RETURN']);
  forward.push(REJECT);
  const input: string[][] = [ANSWERS, ...policy.hostPorts.map((port) => ['-p', 'tcp', '--dport', String(port), '-j', 'RETURN']), REJECT];
  return { forward, input };
}

/** Runs iptables (or, with stdin, iptables-restore) with arguments, never a shell; resolves with the exit code. */
export type IptablesRunner = (args: string[], stdin?: string) => Promise<{ code: number; stdout: string; stderr: string }>;

export const runIptables: IptablesRunner = (args, stdin) =>
  new Promise((resolve, reject) => {
    const command = stdin === undefined ? 'iptables' : 'iptables-restore';
    // -w: wait for the xtables lock that Docker holds while it changes its own rules.
    const child = execFile(command, ['-w', '5', ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string') reject(new Error(`${command} could not run (${code}): the node fence needs iptables and root`));
      else resolve({ code: typeof code === 'number' ? code : error ? 1 : 0, stdout: String(stdout), stderr: String(stderr).trim() });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });

export class NodeFence {
  readonly chains: { forward: string; input: string };
  private readonly jumps: Array<{ from: string; to: string }>;
  private readonly bridges: string;

  constructor(
    private readonly instance: string,
    private readonly policy: FencePolicy,
    private readonly run: IptablesRunner = runIptables,
    private readonly pid = process.pid,
  ) {
    this.chains = fenceChains(instance);
    this.bridges = `${bridgePrefix(instance)}+`;
    this.jumps = [
      { from: 'DOCKER-USER', to: this.chains.forward },
      { from: 'INPUT', to: this.chains.input },
    ];
  }

  /** Writes both chains in one transaction and makes sure each is jumped to, first in its parent chain. */
  async install(): Promise<void> {
    const rules = fenceRules(this.policy);
    const lines = ['*filter', `:${this.chains.forward} - [0:0]`, `:${this.chains.input} - [0:0]`];
    // The owner's mark lets another server tell a fence whose server is gone from one still in use.
    lines.push(['-A', this.chains.input, '-m', 'comment', '--comment', ownerMark(this.instance, this.pid)].join(' '));
    for (const rule of rules.forward) lines.push(['-A', this.chains.forward, ...rule].join(' '));
    for (const rule of rules.input) lines.push(['-A', this.chains.input, ...rule].join(' '));
    lines.push('COMMIT', '');
    await this.must(['--noflush'], lines.join('\n'));
    for (const jump of this.jumps) {
      if ((await this.run(['-C', jump.from, '-i', this.bridges, '-j', jump.to])).code !== 0) await this.must(['-I', jump.from, '1', '-i', this.bridges, '-j', jump.to]);
    }
    // A server of an earlier version jumped on the whole pool, which caught other servers' nodes too.
    await this.removeJumps(['-s', this.policy.pool]);
  }

  /** Takes the jumps and both chains out; a fence that is not there is fine. */
  async remove(): Promise<void> {
    await this.removeJumps(['-i', this.bridges]);
    await this.removeJumps(['-s', this.policy.pool]);
    for (const chain of [this.chains.forward, this.chains.input]) {
      if ((await this.run(['-S', chain])).code !== 0) continue;
      await this.must(['-F', chain]);
      await this.must(['-X', chain]);
    }
  }

  /** Deletes the jumps to both chains that carry this match. */
  private async removeJumps(match: string[]): Promise<void> {
    for (const jump of this.jumps) {
      const args = [jump.from, ...match, '-j', jump.to];
      // A jump added twice (by hand, or by two servers of one instance) is removed until none is left.
      for (let i = 0; i < 10 && (await this.run(['-C', ...args])).code === 0; i++) await this.must(['-D', ...args]);
    }
  }

  /** The chains as iptables lists them (`-S`); empty when the fence is not installed. */
  async listRules(): Promise<string> {
    const parts = await Promise.all([this.chains.forward, this.chains.input].map((chain) => this.run(['-S', chain])));
    return parts.filter((part) => part.code === 0).map((part) => part.stdout.trim()).join('\n');
  }

  private async must(args: string[], stdin?: string): Promise<void> {
    const result = await this.run(args, stdin);
    if (result.code !== 0) throw new Error(`node fence: iptables ${args.join(' ')} failed: ${result.stderr || `exit ${result.code}`}`);
  }
}

const OWNER_PREFIX = 'swarm-workshop-owner';

/** The comment a fence's input chain carries: whose fence it is, and which process installed it. */
export function ownerMark(instance: string, pid: number): string {
  return `${OWNER_PREFIX}:${instance}:${pid}`;
}

export interface FenceOwner {
  instance: string;
  pid: number;
}

/**
 * Removes the fences of other instances whose server is gone (a killed server's fence stays in the host's
 * tables, and one of an earlier version, which jumped on the whole shared pool, refuses host ports to every
 * server's nodes). Whether an owner is gone is the caller's judgement (its process has ended and it has no nodes
 * left, whose fence this would be); a fence without an owner's mark is never touched, only reported.
 */
export async function sweepStaleFences(
  pool: string,
  ownInstance: string,
  isGone: (owner: FenceOwner) => Promise<boolean>,
  run: IptablesRunner = runIptables,
): Promise<{ removed: string[]; unmarked: string[] }> {
  const removed: string[] = [];
  const unmarked: string[] = [];
  const own = fenceChains(ownInstance).input;
  const listing = await run(['-S', 'INPUT']);
  if (listing.code !== 0) return { removed, unmarked };
  const jump = /^-A INPUT (?:-s \S+ )?(?:-i sw[0-9a-f]{7}\+ )?-j (SW-\S+-IN)$/;
  const chains = new Set(listing.stdout.split('\n').map((line) => jump.exec(line.trim())?.[1]).filter((chain): chain is string => !!chain && chain !== own));
  for (const chain of chains) {
    const rules = await run(['-S', chain]);
    if (rules.code !== 0) continue;
    const mark = new RegExp(`--comment "?${OWNER_PREFIX}:([^:\\s"]+):(\\d+)`).exec(rules.stdout);
    if (!mark || fenceChains(mark[1]).input !== chain) {
      unmarked.push(chain);
      continue;
    }
    const owner = { instance: mark[1], pid: Number(mark[2]) };
    if (!(await isGone(owner))) continue;
    await new NodeFence(owner.instance, { pool, egress: false, hostPorts: [] }, run).remove();
    removed.push(owner.instance);
  }
  return { removed, unmarked };
}

/** True when no process with this id runs here (a process of another user still counts as running). */
export function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The fence a server of this config puts around its nodes, or undefined when the operator turned it off. */
export function nodeFenceFor(config: Pick<Config, 'instance' | 'subnetPool' | 'nodes'>, run?: IptablesRunner): NodeFence | undefined {
  if (!config.nodes.fence) return undefined;
  const policy = { pool: config.subnetPool, egress: config.nodes.egress, hostPorts: config.nodes.hostPorts, resolvers: hostResolvers() };
  return new NodeFence(config.instance, policy, run);
}
