import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { FileReference, PortConfig, SwarmService } from '../docker-types.js';
import { code, finding, listOrNone, type Finding } from '../finding.js';

type Expectation = AssertionOf<'service'>;

function describePort(port: PortConfig): string {
  return `${port.PublishedPort ?? '-'}:${port.TargetPort}/${port.Protocol ?? 'tcp'} ${port.PublishMode ?? 'ingress'}`;
}

/** Every expected port must be configured; the routing mesh itself is not exercised (no IPVS here). */
export function comparePorts(subject: string, service: SwarmService, expected: NonNullable<Expectation['ports']>): Finding[] {
  const ports = service.Spec.EndpointSpec?.Ports ?? service.Endpoint?.Ports ?? [];
  return expected.map((want) => {
    const label = `${want.published ?? '-'}:${want.target}/${want.protocol ?? 'tcp'} ${want.mode ?? 'ingress'}`;
    const found = ports.some((p) =>
      p.TargetPort === want.target
      && (want.published === undefined || p.PublishedPort === want.published)
      && (p.Protocol ?? 'tcp') === (want.protocol ?? 'tcp')
      && (p.PublishMode ?? 'ingress') === (want.mode ?? 'ingress'));
    const actual = ports.map(describePort);
    return finding(found, label, actual.join(', ') || 'none',
      found ? `${subject} publishes ${code(label)}` : `${subject} does not publish ${code(label)} (ports: ${listOrNone(actual)})`);
  });
}

/** Constraints compared without spaces: `node.role == worker` equals `node.role==worker`. */
export function compareConstraints(subject: string, service: SwarmService, expected: string[]): Finding[] {
  const squash = (c: string) => c.replace(/\s+/g, '');
  const actual = service.Spec.TaskTemplate?.Placement?.Constraints ?? [];
  const present = new Set(actual.map(squash));
  return expected.map((want) => {
    const ok = present.has(squash(want));
    return finding(ok, want, actual.join(', ') || 'none',
      ok ? `${subject} has constraint ${code(want)}` : `${subject} lacks placement constraint ${code(want)} (constraints: ${listOrNone(actual)})`);
  });
}

/** Where a secret or config lands: relative secret targets live under /run/secrets, configs under /. */
function targetPath(kind: 'secret' | 'config', name: string | undefined): string {
  if (!name) return 'unknown';
  if (name.startsWith('/')) return name;
  return kind === 'secret' ? `/run/secrets/${name}` : `/${name}`;
}

export function compareFiles(
  subject: string,
  kind: 'secret' | 'config',
  refs: FileReference[],
  expected: { source: string; target?: string }[],
): Finding[] {
  const sourceOf = (ref: FileReference) => (kind === 'secret' ? ref.SecretName : ref.ConfigName) ?? '';
  const attached = refs.map(sourceOf);
  return expected.map((want) => {
    const ref = refs.find((r) => sourceOf(r) === want.source);
    if (!ref) {
      return finding(false, want.source, attached.join(', ') || 'none',
        `${subject} has no ${kind} ${code(want.source)} attached (${kind}s: ${listOrNone(attached)})`);
    }
    const actualTarget = targetPath(kind, ref.File?.Name);
    if (want.target === undefined) return finding(true, want.source, want.source, `${subject} has ${kind} ${code(want.source)} at ${code(actualTarget)}`);
    const wantTarget = targetPath(kind, want.target);
    const ok = actualTarget === wantTarget;
    return finding(ok, `${want.source} at ${wantTarget}`, `${want.source} at ${actualTarget}`,
      ok ? `${subject} has ${kind} ${code(want.source)} at ${code(actualTarget)}`
        : `${subject} ${kind} ${code(want.source)} is at ${code(actualTarget)}, expected ${code(wantTarget)}`);
  });
}

/** Networks by name; the spec holds IDs (or names, for some clients), so both are resolved. */
export function compareNetworks(subject: string, service: SwarmService, expected: string[], ctx: ClusterContext): Finding[] {
  const networks = ctx.swarm?.networks ?? [];
  const attached = (service.Spec.TaskTemplate?.Networks ?? []).map((n) =>
    networks.find((net) => net.Id === n.Target || net.Name === n.Target)?.Name ?? n.Target);
  return expected.map((name) => {
    const ok = attached.includes(name);
    return finding(ok, name, attached.join(', ') || 'none',
      ok ? `${subject} is on network ${code(name)}` : `${subject} is not attached to network ${code(name)} (networks: ${listOrNone(attached)})`);
  });
}
