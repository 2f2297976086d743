import { isIP } from 'node:net';
import { MANAGER_ENDPOINTS } from '../checks/collect-script.js';
import type { NodeReader } from '../checks/collect-snapshot.js';
import { joinTokenFingerprints } from '../checks/join-tokens.js';
import type { DockerContainer, DockerInfo, SwarmNode } from '../checks/docker-types.js';
import type { RawNodeAnswer, RawNodeDocument } from '../checks/snapshot.js';
import { engineAtNodeAddress, engineGet, parseEngineAddress, type EngineAddress } from './docker-host-exec.js';

/** One node of the cluster being graded, and where (if anywhere) its engine can be read. */
export interface GradedNode {
  name: string;
  /** The node's address as the swarm reports it, for `{{<node>.ip}}` in probes. */
  address: string;
  role?: 'manager' | 'worker';
  engine?: EngineAddress;
  /** How the engine address was found, for the summary the grade command prints. */
  source: 'docker-host' | 'swarm' | '--node';
  /** Why the node has no engine address. */
  missing?: string;
}

/** Host names become node names in messages and checks; anything odd is replaced by the node id. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** Container ids go into the probe scripts' `docker exec <id>`: only plain hex ids are let through. */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

function nameOf(node: SwarmNode): string {
  const hostname = node.Description?.Hostname;
  return hostname && NODE_NAME.test(hostname) ? hostname : `node-${node.ID.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
}

/**
 * Finds the nodes to read from the engine given with --docker-host: when it manages a swarm, every node in
 * its `/nodes` list, each read at the address the swarm reports for it on port 2375 unless `overrides`
 * (--node name=address) says otherwise; otherwise that engine alone. Nodes named only in `overrides` (a node
 * that left the swarm, say) are read too.
 */
export async function discoverNodes(dockerHost: string, overrides: ReadonlyMap<string, string>): Promise<GradedNode[]> {
  const manager = parseEngineAddress(dockerHost);
  const info = (await engineGet(manager, 'info').catch((error: Error) => {
    throw new Error(`no Docker engine answers at ${dockerHost}: ${error.message}`);
  })) as DockerInfo | null;
  if (!info || typeof info.Name !== 'string') throw new Error(`${dockerHost} did not answer like a Docker engine`);
  const engineFor = (name: string) => (overrides.has(name) ? parseEngineAddress(overrides.get(name)!) : undefined);
  const nodes: GradedNode[] = [];
  const listed = info.Swarm?.ControlAvailable ? await engineGet(manager, 'nodes') : undefined;
  if (Array.isArray(listed)) {
    for (const node of listed as SwarmNode[]) {
      const name = nameOf(node);
      if (nodes.some((n) => n.name === name)) continue; // a stale entry with a reused host name: the first one wins
      // The address may end up in a probe's shell command as {{<node>.ip}}: only a plain IP is taken.
      const address = isIP(node.Status?.Addr ?? '') ? node.Status!.Addr! : '';
      const role = node.Spec?.Role === 'manager' ? 'manager' : 'worker';
      const self = node.ID === info.Swarm?.NodeID;
      const override = engineFor(name);
      const engine = override ?? (self ? manager : engineAtNodeAddress(address));
      const source = override ? '--node' : self ? 'docker-host' : 'swarm';
      nodes.push({ name, address, role, engine, source, ...(engine ? {} : { missing: `the swarm reports no usable address for it (${address || 'none'})` }) });
    }
  } else {
    const name = NODE_NAME.test(info.Name) ? info.Name : 'node1';
    const nodeAddr = info.Swarm?.NodeAddr ?? '';
    nodes.push({ name, address: isIP(nodeAddr) ? nodeAddr : manager.host ?? '127.0.0.1', engine: engineFor(name) ?? manager, source: overrides.has(name) ? '--node' : 'docker-host' });
  }
  for (const [name, address] of overrides) {
    if (!nodes.some((n) => n.name === name)) nodes.push({ name, address: parseEngineAddress(address).host ?? '', engine: parseEngineAddress(address), source: '--node' });
  }
  return nodes;
}

const HINT = (name: string) => `give its engine address with --node ${name}=tcp://host:2375`;

/**
 * Reads each node's engine over HTTP from this process, in the shape the collect script prints, so the same
 * evaluator grades it. Containers whose id is not plain hex are dropped: that id would otherwise reach a shell.
 */
export function dockerHostReader(nodes: readonly GradedNode[]): NodeReader {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return async (name) => {
    const node = byName.get(name);
    if (!node?.engine) return { unreachable: `node \`${name}\` cannot be read: ${node?.missing ?? 'it is not in the swarm'}; ${HINT(name)}` };
    const engine = node.engine;
    let info: unknown;
    try {
      info = await engineGet(engine, 'info');
    } catch (error) {
      return { unreachable: `node \`${name}\` cannot be read at ${engine.dockerHost}: ${(error as Error).message}; ${HINT(name)}` };
    }
    const settle = (path: string) => engineGet(engine, path).catch(() => null);
    const [containers, volumes] = await Promise.all([settle('containers/json'), settle('volumes')]);
    const document: RawNodeDocument = {
      info: info as RawNodeDocument['info'],
      containers: Array.isArray(containers) ? (containers as DockerContainer[]).filter((c) => CONTAINER_ID.test(c.Id)) : (containers as RawNodeDocument['containers']),
      volumes: volumes as RawNodeDocument['volumes'],
    };
    if ((info as DockerInfo | null)?.Swarm?.ControlAvailable) {
      const answers = await Promise.all(MANAGER_ENDPOINTS.map(settle));
      MANAGER_ENDPOINTS.forEach((endpoint, index) => {
        (document as unknown as Record<string, unknown>)[endpoint] = answers[index];
      });
      // Fingerprinted as soon as it arrives: the join tokens go no further.
      document.joinTokens = joinTokenFingerprints(await settle('swarm'));
    }
    return document satisfies RawNodeAnswer;
  };
}
