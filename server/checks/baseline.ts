import type { Check } from './check-schema.js';
import { clusterContext } from './cluster-context.js';
import type { JoinTokenFingerprints } from './join-tokens.js';
import type { ClusterSnapshot } from './snapshot.js';

/**
 * What the server records about a step when the learner first reaches it, so a check can ask what happened
 * since ("the worker token was rotated"), not only what holds now. Fingerprints only, never a join token.
 */
export interface StepBaseline {
  takenAt: number;
  /** Absent when no manager could be read at the time. */
  joinTokens?: JoinTokenFingerprints;
}

/** Whether a check compares against its step's baseline. */
export function needsBaseline(check: Check): boolean {
  return check.assertions.some((a) => a.kind === 'cluster' && a.join_tokens !== undefined);
}

/** The baseline a snapshot gives: the join tokens' fingerprints as the swarm's manager reports them. */
export function baselineOf(snapshot: ClusterSnapshot, takenAt: number): StepBaseline {
  const joinTokens = clusterContext(snapshot).swarm?.joinTokens;
  return { takenAt, ...(joinTokens ? { joinTokens } : {}) };
}
