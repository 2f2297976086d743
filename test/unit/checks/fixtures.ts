import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAssertion } from '../../../server/checks/check-schema.js';
import { clusterContext } from '../../../server/checks/cluster-context.js';
import { evaluateAssertion } from '../../../server/checks/evaluate.js';
import type { AssertionResult } from '../../../server/checks/finding.js';
import { snapshotFromRaw, type ClusterSnapshot, type RawSnapshot } from '../../../server/checks/snapshot.js';

/** Loads a recorded cluster state from test/fixtures (raw Engine API answers, as the collector gathers them). */
export function loadRaw(name: string): RawSnapshot {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/${name}.json`, import.meta.url)), 'utf8')) as RawSnapshot;
}

export function loadSnapshot(name: string): ClusterSnapshot {
  return snapshotFromRaw(loadRaw(name));
}

/** Validates an assertion written as in a lesson and evaluates it against a snapshot. */
export function check(snapshot: ClusterSnapshot, raw: Record<string, unknown>): AssertionResult {
  const { assertion, issues } = parseAssertion(raw);
  if (!assertion) throw new Error(issues.map((i) => i.message).join('; '));
  return evaluateAssertion(assertion, clusterContext(snapshot));
}
