import type { StepBaseline } from './baseline.js';
import type { Check } from './check-schema.js';
import { clusterContext } from './cluster-context.js';
import { evaluateAssertion } from './evaluate.js';
import { probeKey } from './probe-plan.js';
import type { ClusterSnapshot } from './snapshot.js';

/** What a probe's result says when the run did not wait for it (evaluateProbe shows it as the reason). */
export const NOT_NEEDED = 'not needed: this check already fails on its other assertions';

/**
 * The probes whose result can still change a verdict, given the engine reads: those of checks whose other
 * assertions all pass. A check with a failing assertion fails whatever its probe says (a check passes only when
 * every assertion does), so a run need not wait for that probe. Only probe assertions read probe results
 * (assertions/probe.ts), so judging the others without them judges them as the full evaluation will.
 */
export function neededProbes<C extends Check>(checks: readonly C[], snapshot: ClusterSnapshot, baselineOf?: (check: C) => StepBaseline | undefined): Set<string> {
  const shared = clusterContext(snapshot);
  const needed = new Set<string>();
  for (const check of checks) {
    const probes = check.assertions.flatMap((a) => (a.kind === 'probe' ? [a.probe] : []));
    if (probes.length === 0) continue;
    const baseline = baselineOf?.(check);
    const ctx = baseline ? { ...shared, baseline } : shared;
    const decided = check.assertions.some((a) => a.kind !== 'probe' && !evaluateAssertion(a, ctx).passed);
    if (!decided) for (const probe of probes) needed.add(probeKey(probe));
  }
  return needed;
}

/**
 * What a session's runs found about its probes: one its last run did not need waits for the reads next time
 * instead of starting with them (probe-need's guess of the usual case: a learner's state changes step by step).
 * A wrong guess costs time only: a probe found needed after the reads runs then.
 */
export class ProbeHistory {
  private readonly leftOut = new Set<string>();

  startEarly(key: string): boolean {
    return !this.leftOut.has(key);
  }

  record(asked: readonly string[], needed: ReadonlySet<string>): void {
    for (const key of asked) {
      if (needed.has(key)) this.leftOut.delete(key);
      else this.leftOut.add(key);
    }
  }
}
