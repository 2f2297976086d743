import type { NodeStatusView, PublishedPortView } from '../../shared/protocol.js';

/**
 * What one exec on a node prints to describe it: its swarm state, whether it
 * leads, its containers' published ports and (on a manager) the services'.
 * Sections are separated by marker lines; every command may fail quietly.
 */
export const NODE_STATUS_COMMAND = [
  `echo '@@swarm'; docker info --format '{{json .Swarm}}' 2>/dev/null`,
  `echo '@@leader'; docker node inspect self --format '{{if .ManagerStatus}}{{.ManagerStatus.Leader}}{{end}}' 2>/dev/null`,
  `echo '@@containers'; docker ps --format '{{.Names}}\t{{.Ports}}' 2>/dev/null`,
  `echo '@@services'; docker service ls --format '{{.Name}}\t{{.Ports}}' 2>/dev/null`,
  'true',
].join('; ');

const MAX_RANGE = 16;
const PORT_MAPPING = /:(\d+)(?:-(\d+))?->(\d+)(?:-(\d+))?\/(tcp|udp)/g;

/** Parses a PORTS column (`0.0.0.0:8080->80/tcp, :::8080->80/tcp`, `*:8080->80/tcp`) into published ports. */
export function parsePortsColumn(column: string, owner: string, source: PublishedPortView['source']): PublishedPortView[] {
  const ports: PublishedPortView[] = [];
  for (const match of column.matchAll(PORT_MAPPING)) {
    const [, from, to, targetFrom] = match;
    const protocol = match[5] as 'tcp' | 'udp';
    const first = Number(from);
    const last = Math.min(to ? Number(to) : first, first + MAX_RANGE - 1);
    for (let port = first; port <= last; port++) {
      if (port < 1 || port > 65535) continue;
      ports.push({ port, target: Number(targetFrom) + (port - first), protocol, owner, source });
    }
  }
  return ports;
}

function sections(output: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const marker = /^@@(\w+)$/.exec(line.trim());
    if (marker) {
      current = [];
      result.set(marker[1], current);
    } else if (current && line.trim()) current.push(line.trimEnd());
  }
  return result;
}

/** Turns the output of NODE_STATUS_COMMAND into a node status. */
export function parseNodeStatus(name: string, output: string): NodeStatusView {
  const parts = sections(output);
  let state = 'unknown';
  let control = false;
  const swarmLine = parts.get('swarm')?.[0];
  if (swarmLine) {
    try {
      const swarm = JSON.parse(swarmLine) as { LocalNodeState?: unknown; ControlAvailable?: unknown };
      if (typeof swarm.LocalNodeState === 'string') state = swarm.LocalNodeState;
      control = swarm.ControlAvailable === true;
    } catch {
      // not JSON: leave unknown
    }
  }
  const leader = parts.get('leader')?.[0]?.trim() === 'true';
  const role = state !== 'active' ? null : leader ? 'leader' : control ? 'manager' : 'worker';
  const ports: PublishedPortView[] = [];
  const seen = new Set<string>();
  const add = (list: PublishedPortView[]) => {
    for (const port of list) {
      const key = `${port.port}/${port.protocol}`;
      if (!seen.has(key)) {
        seen.add(key);
        ports.push(port);
      }
    }
  };
  for (const line of parts.get('containers') ?? []) {
    const [owner = '', column = ''] = line.split('\t');
    add(parsePortsColumn(column, owner, 'container'));
  }
  for (const line of parts.get('services') ?? []) {
    const [owner = '', column = ''] = line.split('\t');
    add(parsePortsColumn(column, owner, 'service'));
  }
  ports.sort((a, b) => a.port - b.port);
  return { name, reachable: true, swarm: { state, role }, ports };
}
