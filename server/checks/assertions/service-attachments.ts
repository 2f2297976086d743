import type { FileExpectation } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { FileReference, SwarmService } from '../docker-types.js';
import { compareValue, finding, type Finding, type Subject } from '../finding.js';
import { formatFileMode, parseFileMode } from '../units.js';
import { constraintKey } from './constraints.js';
import { describeEnginePort, describeExpectedPort, parsePort, portMatches, type PortWritten } from './ports.js';

/**
 * Every expected port must be configured, in whatever syntax the check writes it. The spec's ports and the
 * ports the swarm assigned (Endpoint) are both read, so an ingress port swarm picked itself is found too.
 * The routing mesh itself is not exercised (no IPVS here).
 */
export function comparePorts(of: Subject, service: SwarmService, expected: PortWritten[]): Finding[] {
  const configured = service.Spec.EndpointSpec?.Ports ?? [];
  const candidates = [...configured, ...(service.Endpoint?.Ports ?? [])];
  const actual = [...new Set((configured.length ? configured : candidates).map(describeEnginePort))];
  return expected.map((written) => {
    const want = parsePort(written);
    if (!want) return finding(false, JSON.stringify(written), 'unreadable', 'service.portUnreadable', { ...of.params, port: JSON.stringify(written) });
    const label = describeExpectedPort(want);
    const found = candidates.some((p) => portMatches(p, want));
    return found ? finding(true, label, actual.join(', ') || 'none', 'service.publishes', { ...of.params, port: label })
      : finding(false, label, actual.join(', ') || 'none', 'service.notPublished', { ...of.params, port: label, ports: actual });
  });
}

/**
 * Constraints compared by meaning (see constraints.ts): spacing, quoting, case and `!=` for the other value
 * of a two-valued field do not matter, nor does order. Every expected constraint must be present; the
 * service may have more.
 */
export function compareConstraints(of: Subject, service: SwarmService, expected: string[]): Finding[] {
  const actual = service.Spec.TaskTemplate?.Placement?.Constraints ?? [];
  const present = new Set(actual.map(constraintKey));
  return expected.map((want) => {
    const ok = present.has(constraintKey(want));
    return ok ? finding(true, want, actual.join(', ') || 'none', 'service.hasConstraint', { ...of.params, constraint: want })
      : finding(false, want, actual.join(', ') || 'none', 'service.lacksConstraint', { ...of.params, constraint: want, constraints: actual });
  });
}

/** Where a secret or config lands: relative secret targets live under /run/secrets, configs under /. */
function targetPath(kind: 'secret' | 'config', name: string | undefined): string {
  if (!name) return 'unknown';
  if (name.startsWith('/')) return name;
  return kind === 'secret' ? `/run/secrets/${name}` : `/${name}`;
}

/** Owner and mode of the mounted file; the CLI and compose write uid 0, gid 0, mode 0444 when none is given. */
function compareFileOwnership(of: Subject, kind: 'secret' | 'config', ref: FileReference, want: FileExpectation): Finding[] {
  const findings: Finding[] = [];
  const file = ref.File ?? {};
  const source = { source: want.source };
  if (want.uid !== undefined) findings.push(compareValue(of, `${kind}.uid`, file.UID || '0', want.uid, source));
  if (want.gid !== undefined) findings.push(compareValue(of, `${kind}.gid`, file.GID || '0', want.gid, source));
  if (want.mode !== undefined) findings.push(compareValue(of, `${kind}.mode`, formatFileMode(file.Mode ?? 0o444), formatFileMode(parseFileMode(want.mode)), source));
  return findings;
}

export function compareFiles(of: Subject, kind: 'secret' | 'config', refs: FileReference[], expected: FileExpectation[]): Finding[] {
  const sourceOf = (ref: FileReference) => (kind === 'secret' ? ref.SecretName : ref.ConfigName) ?? '';
  const attached = refs.map(sourceOf);
  return expected.flatMap((want) => {
    const ref = refs.find((r) => sourceOf(r) === want.source);
    if (!ref) {
      return [finding(false, want.source, attached.join(', ') || 'none', `service.${kind}.notAttached`, { ...of.params, source: want.source, attached })];
    }
    const actualTarget = targetPath(kind, ref.File?.Name);
    const ownership = compareFileOwnership(of, kind, ref, want);
    const at = finding(true, want.source, want.source, `service.${kind}.at`, { ...of.params, source: want.source, target: actualTarget });
    if (want.target === undefined) return [at, ...ownership];
    const wantTarget = targetPath(kind, want.target);
    const ok = actualTarget === wantTarget;
    return [ok ? { ...at, expected: `${want.source} at ${wantTarget}`, actual: `${want.source} at ${actualTarget}` }
      : finding(false, `${want.source} at ${wantTarget}`, `${want.source} at ${actualTarget}`, `service.${kind}.wrongTarget`,
        { ...of.params, source: want.source, actual: actualTarget, expected: wantTarget }), ...ownership];
  });
}

/** Networks by name; the spec holds IDs (or names, for some clients), so both are resolved. */
export function compareNetworks(of: Subject, service: SwarmService, expected: string[], ctx: ClusterContext): Finding[] {
  const networks = ctx.swarm?.networks ?? [];
  const attached = (service.Spec.TaskTemplate?.Networks ?? []).map((n) =>
    networks.find((net) => net.Id === n.Target || net.Name === n.Target)?.Name ?? n.Target);
  return expected.map((name) => {
    const ok = attached.includes(name);
    return ok ? finding(true, name, attached.join(', ') || 'none', 'service.onNetwork', { ...of.params, network: name })
      : finding(false, name, attached.join(', ') || 'none', 'service.notOnNetwork', { ...of.params, network: name, networks: attached });
  });
}
