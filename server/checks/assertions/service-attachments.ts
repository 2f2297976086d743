import type { FileExpectation } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { FileReference, SwarmService } from '../docker-types.js';
import { code, compareValue, finding, listOrNone, type Finding } from '../finding.js';
import { formatFileMode, parseFileMode } from '../units.js';
import { constraintKey } from './constraints.js';
import { describeEnginePort, describeExpectedPort, parsePort, portMatches, type PortWritten } from './ports.js';

/**
 * Every expected port must be configured, in whatever syntax the check writes it. The spec's ports and the
 * ports the swarm assigned (Endpoint) are both read, so an ingress port swarm picked itself is found too.
 * The routing mesh itself is not exercised (no IPVS here).
 */
export function comparePorts(subject: string, service: SwarmService, expected: PortWritten[]): Finding[] {
  const configured = service.Spec.EndpointSpec?.Ports ?? [];
  const candidates = [...configured, ...(service.Endpoint?.Ports ?? [])];
  const actual = [...new Set((configured.length ? configured : candidates).map(describeEnginePort))];
  return expected.map((written) => {
    const want = parsePort(written);
    if (!want) return finding(false, JSON.stringify(written), 'unreadable', `${subject} the check's port ${code(JSON.stringify(written))} cannot be read`);
    const label = describeExpectedPort(want);
    const found = candidates.some((p) => portMatches(p, want));
    return finding(found, label, actual.join(', ') || 'none',
      found ? `${subject} publishes ${code(label)}` : `${subject} does not publish ${code(label)} (ports: ${listOrNone(actual)})`);
  });
}

/**
 * Constraints compared by meaning (see constraints.ts): spacing, quoting, case and `!=` for the other value
 * of a two-valued field do not matter, nor does order. Every expected constraint must be present; the
 * service may have more.
 */
export function compareConstraints(subject: string, service: SwarmService, expected: string[]): Finding[] {
  const actual = service.Spec.TaskTemplate?.Placement?.Constraints ?? [];
  const present = new Set(actual.map(constraintKey));
  return expected.map((want) => {
    const ok = present.has(constraintKey(want));
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

/** Owner and mode of the mounted file; the CLI and compose write uid 0, gid 0, mode 0444 when none is given. */
function compareFileOwnership(subject: string, ref: FileReference, want: FileExpectation): Finding[] {
  const findings: Finding[] = [];
  const file = ref.File ?? {};
  if (want.uid !== undefined) findings.push(compareValue(`${subject} uid`, file.UID || '0', want.uid));
  if (want.gid !== undefined) findings.push(compareValue(`${subject} gid`, file.GID || '0', want.gid));
  if (want.mode !== undefined) findings.push(compareValue(`${subject} mode`, formatFileMode(file.Mode ?? 0o444), formatFileMode(parseFileMode(want.mode))));
  return findings;
}

export function compareFiles(subject: string, kind: 'secret' | 'config', refs: FileReference[], expected: FileExpectation[]): Finding[] {
  const sourceOf = (ref: FileReference) => (kind === 'secret' ? ref.SecretName : ref.ConfigName) ?? '';
  const attached = refs.map(sourceOf);
  return expected.flatMap((want) => {
    const ref = refs.find((r) => sourceOf(r) === want.source);
    if (!ref) {
      return [finding(false, want.source, attached.join(', ') || 'none',
        `${subject} has no ${kind} ${code(want.source)} attached (${kind}s: ${listOrNone(attached)})`)];
    }
    const actualTarget = targetPath(kind, ref.File?.Name);
    const ownership = compareFileOwnership(`${subject} ${kind} ${code(want.source)}`, ref, want);
    if (want.target === undefined) return [finding(true, want.source, want.source, `${subject} has ${kind} ${code(want.source)} at ${code(actualTarget)}`), ...ownership];
    const wantTarget = targetPath(kind, want.target);
    const ok = actualTarget === wantTarget;
    return [finding(ok, `${want.source} at ${wantTarget}`, `${want.source} at ${actualTarget}`,
      ok ? `${subject} has ${kind} ${code(want.source)} at ${code(actualTarget)}`
        : `${subject} ${kind} ${code(want.source)} is at ${code(actualTarget)}, expected ${code(wantTarget)}`), ...ownership];
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
