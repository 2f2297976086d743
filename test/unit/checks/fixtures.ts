import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAssertion } from '../../../server/checks/check-schema.js';
import { clusterContext } from '../../../server/checks/cluster-context.js';
import { evaluateAssertion } from '../../../server/checks/evaluate.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../../../server/checks/docker-types.js';
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

/**
 * A hand-made variant of a recorded state: a deep copy whose manager answers are edited, e.g. to give a
 * service the spec another learner path produces. Only fields the engine really sets should be edited.
 */
export function variant(name: string, edit: (manager: { services: SwarmService[]; tasks: SwarmTask[]; nodes: SwarmNode[] }) => void): ClusterSnapshot {
  const raw = loadRaw(name);
  for (const answer of Object.values(raw.nodes)) {
    if ('unreachable' in answer || !Array.isArray(answer.services)) continue;
    edit(answer as unknown as { services: SwarmService[]; tasks: SwarmTask[]; nodes: SwarmNode[] });
  }
  return snapshotFromRaw(raw);
}

/** The recorded service of that name in a manager's answer, to edit in `variant`. */
export function serviceNamed(manager: { services: SwarmService[] }, name: string): SwarmService {
  const service = manager.services.find((s) => s.Spec.Name === name);
  if (!service) throw new Error(`no service ${name} in the fixture`);
  return service;
}

/** The front matter of the small two-service lesson the runner and classroom tests write their steps under. */
export function demoFrontMatter(grading?: 'earned' | 'final-state'): string {
  return ['---', 'id: demo', 'title: Demo', 'summary: A lesson for tests.', 'template: swarm-1m2w', 'swarm: true', 'minutes: 5', ...(grading ? [`grading: ${grading}`] : []), '---'].join('\n');
}
