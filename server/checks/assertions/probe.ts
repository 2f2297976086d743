import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { code, finding, type Finding } from '../finding.js';
import { probeKey } from '../probe-plan.js';

function describeProbe(probe: AssertionOf<'probe'>['probe']): string {
  const what = probe.command !== undefined ? `command ${code(probe.command)}` : probe.file !== undefined ? `file ${code(probe.file)}` : `${code(probe.url)}`;
  const where = [probe.service !== undefined ? `in service ${code(probe.service)}` : '', probe.node !== undefined ? `on ${code(probe.node)}` : ''].filter(Boolean).join(' ');
  return `${what} ${where}`;
}

function excerpt(output: string): string {
  const flat = output.trim().replace(/\s+/g, ' ');
  return code(flat.length > 160 ? `${flat.slice(0, 160)}…` : flat);
}

/** `probe: {...}` with contains/equals/matches/exit_code — what a container or node really answers. */
export function evaluateProbe(expected: AssertionOf<'probe'>, ctx: ClusterContext): Finding[] {
  const subject = describeProbe(expected.probe);
  const result = ctx.snapshot.probes[probeKey(expected.probe)];
  if (!result) return [finding(false, 'a probe result', 'none', `${subject}: the probe was not collected`)];
  if (!result.ran) return [finding(false, 'the probe to run', 'not run', `${subject}: ${result.output}`)];
  const output = result.output;
  const shown = `exit ${result.exitCode}, output: ${excerpt(output)}`;
  const findings: Finding[] = [];
  if (expected.contains !== undefined) {
    const ok = output.includes(expected.contains);
    findings.push(finding(ok, `contains ${expected.contains}`, output, ok ? `${subject} shows ${code(expected.contains)}` : `${subject}: output does not contain ${code(expected.contains)} (${shown})`));
  }
  if (expected.not_contains !== undefined) {
    const ok = !output.includes(expected.not_contains);
    findings.push(finding(ok, `not ${expected.not_contains}`, output, ok ? `${subject} does not show ${code(expected.not_contains)}` : `${subject}: output contains ${code(expected.not_contains)}, expected it not to`));
  }
  if (expected.equals !== undefined) {
    const ok = output.trim() === expected.equals.trim();
    findings.push(finding(ok, expected.equals, output, ok ? `${subject} is ${code(expected.equals)}` : `${subject}: output is ${excerpt(output)}, expected ${code(expected.equals)}`));
  }
  if (expected.matches !== undefined) {
    const ok = new RegExp(expected.matches, 'm').test(output);
    findings.push(finding(ok, `matches ${expected.matches}`, output, ok ? `${subject} matches ${code(expected.matches)}` : `${subject}: output does not match ${code(expected.matches)} (${shown})`));
  }
  const wantExit = expected.exit_code ?? (findings.length === 0 ? 0 : undefined);
  if (wantExit !== undefined) {
    const ok = result.exitCode === wantExit;
    findings.push(finding(ok, `exit ${wantExit}`, `exit ${result.exitCode}`, ok ? `${subject} exits with ${wantExit}` : `${subject}: exits with ${result.exitCode}, expected ${wantExit} (output: ${excerpt(output)})`));
  }
  return findings;
}
