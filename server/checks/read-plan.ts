import type { Assertion } from './assertion-schema.js';
import { needsBaseline } from './baseline.js';
import type { Check } from './check-schema.js';
import { CUSTOM_CHECK_READS } from './custom/index.js';

/**
 * Engine reads a check run may leave out. Every run reads each node's `info` and, from managers, the swarm's
 * nodes, services and tasks: they say whether a node can be read at all and make the swarm view every swarm
 * assertion starts from. The rest is read only when an assertion looks at it.
 */
export type OptionalRead = 'containers' | 'volumes' | 'networks' | 'secrets' | 'configs' | 'joinTokens';

export type ReadPlan = ReadonlySet<OptionalRead>;

export const FULL_READ: ReadPlan = new Set<OptionalRead>(['containers', 'volumes', 'networks', 'secrets', 'configs', 'joinTokens']);

/** What one assertion looks at beyond the base reads (the evaluators in assertions/ are the reference). */
function readsOf(assertion: Assertion): OptionalRead[] {
  switch (assertion.kind) {
    case 'swarm':
    case 'leader':
    case 'nodes':
    case 'node':
    case 'tasks':
      return [];
    case 'cluster':
      return assertion.join_tokens !== undefined ? ['joinTokens'] : [];
    // A service's networks are named through the network list (service-attachments.ts).
    case 'service':
      return assertion.networks ? ['networks'] : [];
    case 'stack':
      return ['networks', 'secrets', 'configs'];
    case 'network':
      return ['networks'];
    case 'volume':
      return ['volumes'];
    case 'secret':
    case 'config':
      return ['secrets', 'configs'];
    // A probe in a service's container needs the containers to find one (probe-plan.ts).
    case 'probe':
      return assertion.probe.service !== undefined ? ['containers'] : [];
    // A custom check reads what it declares; one that declares nothing may read anything.
    case 'custom':
      return Object.hasOwn(CUSTOM_CHECK_READS, assertion.custom) ? [...CUSTOM_CHECK_READS[assertion.custom]] : [...FULL_READ];
  }
}

/**
 * The reads a run of `checks` needs. `recordsBaselines`: the run may record step baselines (the lesson has
 * checks that compare with one), which are the join tokens' fingerprints.
 */
export function readPlan(checks: readonly Check[], recordsBaselines = false): ReadPlan {
  const plan = new Set<OptionalRead>(recordsBaselines ? ['joinTokens'] : []);
  for (const check of checks) {
    for (const assertion of check.assertions) for (const read of readsOf(assertion)) plan.add(read);
  }
  return plan;
}

/** Whether any of these checks compares with a step baseline (then a run may record one). */
export function recordsBaselines(checks: readonly Check[]): boolean {
  return checks.some(needsBaseline);
}
