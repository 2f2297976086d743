import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { finding, say, type Finding } from '../finding.js';
import type { FindingMessage } from '../../../shared/i18n/render-finding.js';
import { isSecretProbe, probeKey } from '../probe-plan.js';

/** What the probe reads and where (a probe runs on a node, in a service, or both). */
function describeProbe(probe: AssertionOf<'probe'>['probe']): FindingMessage {
  const target = probe.command !== undefined ? say('probe.target.command', { command: probe.command })
    : probe.file !== undefined ? say('probe.target.file', { file: probe.file }) : say('probe.target.url', { url: String(probe.url) });
  if (probe.service !== undefined && probe.node !== undefined) return say('probe.place.serviceOnNode', { target, service: probe.service, node: probe.node });
  return probe.service !== undefined ? say('probe.place.service', { target, service: probe.service }) : say('probe.place.node', { target, node: String(probe.node) });
}

/** The output on one line, shortened: what a finding quotes. */
function excerpt(output: string): string {
  const flat = output.trim().replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

/**
 * `probe: {...}` with contains/equals/matches/exit_code — what a container or node really answers. A probe of a
 * secret keeps its values out of the findings: they say whether the value matched, never what it is.
 */
export function evaluateProbe(expected: AssertionOf<'probe'>, ctx: ClusterContext): Finding[] {
  const probe = describeProbe(expected.probe);
  const result = ctx.snapshot.probes[probeKey(expected.probe)];
  if (!result) return [finding(false, 'a probe result', 'none', 'probe.notCollected', { probe })];
  if (!result.ran) return [finding(false, 'the probe to run', 'not run', 'probe.notRun', { probe, reason: result.output })];
  const output = result.output;
  const shown = say('probe.shown', { exitCode: result.exitCode, output: excerpt(output) });
  const findings: Finding[] = [];
  if (isSecretProbe(expected.probe)) return findings.concat(secretFindings(expected, probe, output, result.exitCode));
  if (expected.contains !== undefined) {
    const ok = output.includes(expected.contains);
    findings.push(finding(ok, `contains ${expected.contains}`, output, ok ? 'probe.shows' : 'probe.lacks', { probe, text: expected.contains, ...(ok ? {} : { shown }) }));
  }
  if (expected.not_contains !== undefined) {
    const ok = !output.includes(expected.not_contains);
    findings.push(finding(ok, `not ${expected.not_contains}`, output, ok ? 'probe.hides' : 'probe.showsUnwanted', { probe, text: expected.not_contains }));
  }
  if (expected.equals !== undefined) {
    const ok = output.trim() === expected.equals.trim();
    findings.push(finding(ok, expected.equals, output, ok ? 'probe.equals' : 'probe.differs', { probe, text: expected.equals, ...(ok ? {} : { output: excerpt(output) }) }));
  }
  if (expected.matches !== undefined) {
    const ok = new RegExp(expected.matches, 'm').test(output);
    findings.push(finding(ok, `matches ${expected.matches}`, output, ok ? 'probe.matches' : 'probe.noMatch', { probe, pattern: expected.matches, ...(ok ? {} : { shown }) }));
  }
  const wantExit = expected.exit_code ?? (findings.length === 0 ? 0 : undefined);
  if (wantExit !== undefined) {
    const ok = result.exitCode === wantExit;
    findings.push(finding(ok, `exit ${wantExit}`, `exit ${result.exitCode}`, ok ? 'probe.exits' : 'probe.exitsOther',
      { probe, exitCode: result.exitCode, ...(ok ? {} : { wanted: wantExit, output: excerpt(output) }) }));
  }
  return findings;
}

/**
 * A probe of a secret: its findings say whether the value matched, never what it is or what the node printed,
 * so neither the page, the store nor a report can carry a secret's value.
 */
function secretFindings(expected: AssertionOf<'probe'>, probe: FindingMessage, output: string, exitCode: number): Finding[] {
  const findings: Finding[] = [];
  const verdict = (ok: boolean) => (ok ? 'matches' : 'does not match');
  const wanted: Array<[boolean | undefined, string]> = [
    [expected.contains === undefined ? undefined : output.includes(expected.contains), 'contains the expected value'],
    [expected.equals === undefined ? undefined : output.trim() === expected.equals.trim(), 'the expected value'],
    [expected.matches === undefined ? undefined : new RegExp(expected.matches, 'm').test(output), 'matches the expected pattern'],
  ];
  for (const [ok, what] of wanted) {
    if (ok === undefined) continue;
    findings.push(finding(ok, what, verdict(ok), ok ? 'probe.secret.matches' : 'probe.secret.differs', { probe }));
  }
  if (expected.not_contains !== undefined) {
    const ok = !output.includes(expected.not_contains);
    findings.push(finding(ok, 'not the given value', verdict(ok), ok ? 'probe.secret.hides' : 'probe.secret.showsUnwanted', { probe }));
  }
  const wantExit = expected.exit_code ?? (findings.length === 0 ? 0 : undefined);
  if (wantExit !== undefined) {
    const ok = exitCode === wantExit;
    findings.push(finding(ok, `exit ${wantExit}`, `exit ${exitCode}`, ok ? 'probe.exits' : 'probe.secret.exitsOther', { probe, exitCode, ...(ok ? {} : { wanted: wantExit }) }));
  }
  return findings;
}
