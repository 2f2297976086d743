import type { Assertion } from './assertion-schema.js';
import { evaluateCustom } from './assertions/custom.js';
import { evaluateNode, evaluateNodes } from './assertions/nodes.js';
import { evaluateNetwork, evaluateStack, evaluateSwarmObject } from './assertions/objects.js';
import { evaluateProbe } from './assertions/probe.js';
import { evaluateService } from './assertions/service.js';
import { evaluateCluster, evaluateLeader, evaluateSwarm } from './assertions/swarm.js';
import { evaluateTasks } from './assertions/tasks.js';
import { evaluateVolume } from './assertions/volume.js';
import type { StepBaseline } from './baseline.js';
import type { Check } from './check-schema.js';
import { clusterContext, type ClusterContext } from './cluster-context.js';
import { assertionResult, type AssertionResult, type Finding } from './finding.js';
import type { ClusterSnapshot } from './snapshot.js';

export interface CheckResult {
  title: string;
  passed: boolean;
  points: { earned: number; possible: number };
  hint?: string;
  assertions: AssertionResult[];
}

function findingsOf(assertion: Assertion, ctx: ClusterContext): Finding[] {
  switch (assertion.kind) {
    case 'swarm': return evaluateSwarm(assertion, ctx);
    case 'cluster': return evaluateCluster(assertion, ctx);
    case 'leader': return evaluateLeader(assertion, ctx);
    case 'nodes': return evaluateNodes(assertion, ctx);
    case 'node': return evaluateNode(assertion, ctx);
    case 'service': return evaluateService(assertion, ctx);
    case 'tasks': return evaluateTasks(assertion, ctx);
    case 'stack': return evaluateStack(assertion, ctx);
    case 'network': return evaluateNetwork(assertion, ctx);
    case 'volume': return evaluateVolume(assertion, ctx);
    case 'secret':
    case 'config': return evaluateSwarmObject(assertion, ctx);
    case 'probe': return evaluateProbe(assertion, ctx);
    case 'custom': return evaluateCustom(assertion, ctx);
  }
}

/** Evaluates one assertion against a snapshot. */
export function evaluateAssertion(assertion: Assertion, ctx: ClusterContext): AssertionResult {
  return assertionResult(assertion.kind, findingsOf(assertion, ctx));
}

/**
 * Grades checks against one snapshot. Pure: no Docker, no clock, so recorded fixtures test it fully.
 * `baselineOf` gives each check its step's baseline, for checks that compare with the past.
 */
export function evaluate<C extends Check>(checks: C[], snapshot: ClusterSnapshot, baselineOf?: (check: C) => StepBaseline | undefined): CheckResult[] {
  const shared = clusterContext(snapshot);
  return checks.map((check) => {
    const baseline = baselineOf?.(check);
    const ctx = baseline ? { ...shared, baseline } : shared;
    const assertions = check.assertions.map((a) => evaluateAssertion(a, ctx));
    const passed = assertions.every((a) => a.passed);
    return {
      title: check.title,
      passed,
      points: { earned: passed ? check.points : 0, possible: check.points },
      ...(check.hint !== undefined && !passed ? { hint: check.hint } : {}),
      assertions,
    };
  });
}
