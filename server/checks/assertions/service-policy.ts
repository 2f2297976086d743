import type { ResourceExpectation, RestartExpectation, UpdatePolicyExpectation } from '../assertion-schema.js';
import type { ResourceAmounts, RestartPolicy, UpdatePolicy } from '../docker-types.js';
import { compareValue, finding, type Finding, type Subject } from '../finding.js';
import { formatCpus, formatDuration, formatMemory, parseCpus, parseDuration, parseMemory } from '../units.js';

/**
 * The engine omits zero values and a spec without a policy at all; swarmkit then applies these
 * defaults, so an absent field is compared as the value the swarm really uses.
 */
const POLICY_DEFAULTS = { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' };

/** Compares a service's `update:` or `rollback:` expectations. */
export function comparePolicy(of: Subject, which: 'update' | 'rollback', actual: UpdatePolicy | undefined, expected: UpdatePolicyExpectation): Finding[] {
  const policy = {
    Parallelism: actual ? actual.Parallelism ?? 0 : POLICY_DEFAULTS.Parallelism,
    Delay: actual?.Delay ?? POLICY_DEFAULTS.Delay,
    FailureAction: actual?.FailureAction || POLICY_DEFAULTS.FailureAction,
    Monitor: actual?.Monitor || POLICY_DEFAULTS.Monitor,
    MaxFailureRatio: actual?.MaxFailureRatio ?? POLICY_DEFAULTS.MaxFailureRatio,
    Order: actual?.Order || POLICY_DEFAULTS.Order,
  };
  const findings: Finding[] = [];
  if (expected.parallelism !== undefined) findings.push(compareValue(of, `${which}.parallelism`, policy.Parallelism, expected.parallelism));
  if (expected.delay !== undefined) findings.push(compareValue(of, `${which}.delay`, formatDuration(policy.Delay), formatDuration(parseDuration(expected.delay))));
  if (expected.monitor !== undefined) findings.push(compareValue(of, `${which}.monitor`, formatDuration(policy.Monitor), formatDuration(parseDuration(expected.monitor))));
  if (expected.failure_action !== undefined) findings.push(compareValue(of, `${which}.failureAction`, policy.FailureAction, expected.failure_action));
  if (expected.max_failure_ratio !== undefined) {
    // The engine stores the ratio as a float32; compare at the precision a learner types.
    const ratio = Math.round(policy.MaxFailureRatio * 1000) / 1000;
    findings.push(compareValue(of, `${which}.maxFailureRatio`, ratio, expected.max_failure_ratio));
  }
  if (expected.order !== undefined) findings.push(compareValue(of, `${which}.order`, policy.Order, expected.order));
  return findings;
}

/** Compares a service's `limits:` or `reservations:`. */
export function compareResources(of: Subject, which: 'limit' | 'reservation', actual: ResourceAmounts | undefined, expected: ResourceExpectation): Finding[] {
  const findings: Finding[] = [];
  if (expected.cpus !== undefined) {
    const want = formatCpus(parseCpus(expected.cpus));
    findings.push(actual?.NanoCPUs
      ? compareValue(of, `${which}.cpus`, formatCpus(actual.NanoCPUs), want)
      : finding(false, want, 'unset', 'service.cpusUnset', { ...of.params, field: `${which}.cpus`, expected: want }));
  }
  if (expected.memory !== undefined) {
    const want = formatMemory(parseMemory(expected.memory));
    findings.push(actual?.MemoryBytes
      ? compareValue(of, `${which}.memory`, formatMemory(actual.MemoryBytes), want)
      : finding(false, want, 'unset', 'service.memoryUnset', { ...of.params, field: `${which}.memory`, expected: want }));
  }
  return findings;
}

/** Swarmkit's restart defaults, used when the spec has no restart policy or leaves a field out. */
const RESTART_DEFAULTS = { Condition: 'any', Delay: 5e9, MaxAttempts: 0, Window: 0 };

/** Compares `restart:` (the CLI's `--restart-*`, compose's `deploy.restart_policy`); a field left out is the default. */
export function compareRestart(of: Subject, actual: RestartPolicy | undefined, expected: RestartExpectation): Finding[] {
  const policy = {
    Condition: actual?.Condition || RESTART_DEFAULTS.Condition,
    Delay: actual?.Delay ?? RESTART_DEFAULTS.Delay,
    MaxAttempts: actual?.MaxAttempts ?? RESTART_DEFAULTS.MaxAttempts,
    Window: actual?.Window ?? RESTART_DEFAULTS.Window,
  };
  const findings: Finding[] = [];
  if (expected.condition !== undefined) findings.push(compareValue(of, 'restart.condition', policy.Condition, expected.condition));
  if (expected.delay !== undefined) findings.push(compareValue(of, 'restart.delay', formatDuration(policy.Delay), formatDuration(parseDuration(expected.delay))));
  if (expected.max_attempts !== undefined) findings.push(compareValue(of, 'restart.maxAttempts', policy.MaxAttempts, expected.max_attempts));
  if (expected.window !== undefined) findings.push(compareValue(of, 'restart.window', formatDuration(policy.Window), formatDuration(parseDuration(expected.window))));
  return findings;
}
