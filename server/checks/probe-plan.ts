import type { ProbeSpecification } from './assertion-schema.js';
import { code } from './finding.js';
import type { ClusterSnapshot, ProbeResult } from './snapshot.js';

/** The label swarm puts on every task container; it is how a probe finds a service's container on a node. */
const SERVICE_LABEL = 'com.docker.swarm.service.name';
const PROBE_TIMEOUT_SECONDS = 8;

/** A stable key for a probe, so the collector and the evaluator agree on which result is which. */
export function probeKey(spec: ProbeSpecification): string {
  const { node, service, command, file, url } = spec;
  return JSON.stringify({ node, service, command, file, url });
}

/** Where Docker mounts a service's secrets: a probe reading there reads a secret value. */
const SECRETS_DIR = '/run/secrets/';

/**
 * Whether a probe reads a secret: its value may be compared, but it is never stored or shown (results keep only
 * whether it matched), since check results reach the instructor's dashboard and grade exports.
 */
export function isSecretProbe(spec: ProbeSpecification): boolean {
  return Boolean(spec.file?.startsWith(SECRETS_DIR) || spec.command?.includes(SECRETS_DIR));
}

/** Quotes a string for a POSIX shell: the only safe way to pass lesson text through `sh -c`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface PlannedProbe {
  key: string;
  node: string;
  /** A shell command that runs on the node's host and prints the probe's output. */
  command: string;
}

function readCommand(spec: ProbeSpecification, inContainer: boolean): string {
  if (spec.command !== undefined) return `sh -c ${shellQuote(spec.command)}`;
  if (spec.file !== undefined) return `cat ${shellQuote(spec.file)}`;
  const url = shellQuote(spec.url ?? '');
  // Inside a task container only busybox wget exists (its -T flag crashes this build; the outer timeout bounds it).
  return inContainer ? `wget -q -O - ${url}` : `curl -sS -m 5 ${url}`;
}

/**
 * Decides where each probe runs, using the snapshot already collected: a service probe picks a running
 * container of that service (on the asked node, or the first node that has one). Probes that cannot run
 * get their failing result right away, so the evaluator always has an answer to show.
 */
export function planProbes(specs: ProbeSpecification[], snapshot: ClusterSnapshot): { planned: PlannedProbe[]; settled: Record<string, ProbeResult> } {
  const planned: PlannedProbe[] = [];
  const settled: Record<string, ProbeResult> = {};
  const seen = new Set<string>();
  for (const spec of specs) {
    const key = probeKey(spec);
    if (seen.has(key)) continue;
    seen.add(key);
    const candidates = snapshot.nodes.filter((n) => spec.node === undefined || n.name === spec.node);
    if (spec.node !== undefined && candidates.length === 0) {
      settled[key] = { ran: false, exitCode: -1, output: `node ${code(spec.node)} is not part of this session` };
      continue;
    }
    const readable = candidates.filter((n) => !n.error);
    if (readable.length === 0) {
      settled[key] = { ran: false, exitCode: -1, output: candidates.map((n) => `node ${code(n.name)} cannot be read: ${n.error}`).join('; ') };
      continue;
    }
    if (spec.service === undefined) {
      planned.push({ key, node: readable[0].name, command: `timeout ${PROBE_TIMEOUT_SECONDS} ${readCommand(spec, false)}` });
      continue;
    }
    const host = readable.find((n) => n.containers.some((c) => c.Labels?.[SERVICE_LABEL] === spec.service && c.State === 'running'));
    const container = host?.containers.find((c) => c.Labels?.[SERVICE_LABEL] === spec.service && c.State === 'running');
    if (!host || !container) {
      const where = spec.node === undefined ? 'on any node' : `on ${code(spec.node)}`;
      settled[key] = { ran: false, exitCode: -1, output: `no running container of service ${code(spec.service)} ${where}` };
      continue;
    }
    planned.push({ key, node: host.name, command: `timeout ${PROBE_TIMEOUT_SECONDS} docker exec ${container.Id} ${readCommand(spec, true)}` });
  }
  return { planned, settled };
}
