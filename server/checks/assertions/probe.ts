import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { code, finding, type Finding } from '../finding.js';
import { isSecretProbe, probeKey } from '../probe-plan.js';

function describeProbe(probe: AssertionOf<'probe'>['probe']): string {
  const what = probe.command !== undefined ? `command ${code(probe.command)}` : probe.file !== undefined ? `file ${code(probe.file)}` : `${code(probe.url)}`;
  const where = [probe.service !== undefined ? `in service ${code(probe.service)}` : '', probe.node !== undefined ? `on ${code(probe.node)}` : ''].filter(Boolean).join(' ');
  return `${what} ${where}`;
}

function excerpt(output: string): string {
  const flat = output.trim().replace(/\s+/g, ' ');
  return code(flat.length > 160 ? `${flat.slice(0, 160)}…` : flat);
}

/**
 * `probe: {...}` with contains/equals/matches/exit_code — what a container or node really answers. A probe of a
 * secret keeps its values out of the findings: they say whether the value matched, never what it is.
 */
export function evaluateProbe(expected: AssertionOf<'probe'>, ctx: ClusterContext): Finding[] {
  const subject = describeProbe(expected.probe);
  const result = ctx.snapshot.probes[probeKey(expected.probe)];
  if (!result) return [finding(false, 'a probe result', 'none', `${subject}: the probe was not collected`)];
  if (!result.ran) return [finding(false, 'the probe to run', 'not run', `${subject}: ${result.output}`)];
  const output = result.output;
  const secret = isSecretProbe(expected.probe);
  /** A value as findings may keep it: a secret probe's values become a placeholder. */
  const value = (text: string, placeholder = 'the expected value') => (secret ? placeholder : text);
  const quoted = (text: string) => (secret ? 'the expected value' : code(text));
  const shown = secret ? `exit ${result.exitCode}` : `exit ${result.exitCode}, output: ${excerpt(output)}`;
  const actual = (ok: boolean) => (secret ? (ok ? 'matches' : 'does not match') : output);
  const findings: Finding[] = [];
  if (expected.contains !== undefined) {
    const ok = output.includes(expected.contains);
    findings.push(finding(ok, `contains ${value(expected.contains)}`, actual(ok), ok ? `${subject} shows ${quoted(expected.contains)}` : `${subject}: output does not contain ${quoted(expected.contains)} (${shown})`));
  }
  if (expected.not_contains !== undefined) {
    const ok = !output.includes(expected.not_contains);
    findings.push(finding(ok, `not ${value(expected.not_contains, 'the given value')}`, actual(ok), ok ? `${subject} does not show ${secret ? 'the given value' : code(expected.not_contains)}` : `${subject}: output contains ${secret ? 'the given value' : code(expected.not_contains)}, expected it not to`));
  }
  if (expected.equals !== undefined) {
    const ok = output.trim() === expected.equals.trim();
    findings.push(finding(ok, value(expected.equals), actual(ok), ok ? `${subject} is ${quoted(expected.equals)}` : `${subject}: output is ${secret ? 'not the expected value' : `${excerpt(output)}, expected ${code(expected.equals)}`}`));
  }
  if (expected.matches !== undefined) {
    const ok = new RegExp(expected.matches, 'm').test(output);
    findings.push(finding(ok, `matches ${value(expected.matches, 'the expected pattern')}`, actual(ok), ok ? `${subject} matches ${secret ? 'the expected pattern' : code(expected.matches)}` : `${subject}: output does not match ${secret ? 'the expected pattern' : code(expected.matches)} (${shown})`));
  }
  const wantExit = expected.exit_code ?? (findings.length === 0 ? 0 : undefined);
  if (wantExit !== undefined) {
    const ok = result.exitCode === wantExit;
    findings.push(finding(ok, `exit ${wantExit}`, `exit ${result.exitCode}`, ok ? `${subject} exits with ${wantExit}` : `${subject}: exits with ${result.exitCode}, expected ${wantExit}${secret ? '' : ` (output: ${excerpt(output)})`}`));
  }
  return findings;
}
