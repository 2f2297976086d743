import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { compareCount, finding, say, subject, type Finding } from '../finding.js';
import type { FindingMessage, FindingParams } from '../../../shared/i18n/render-finding.js';
import type { SwarmTask } from '../docker-types.js';
import { swarmUnreadable } from './unreadable.js';

type Expectation = AssertionOf<'tasks'>;

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** A replica slot, or the node for a global service's tasks (they have no slot). */
function slotOf(task: SwarmTask): string {
  return task.Slot ? `slot ${task.Slot}` : `node ${task.NodeID}`;
}

/** Tasks kept per slot (per node for global services): what `docker service ps` shows as history. */
function perSlotCounts(tasks: SwarmTask[]): number[] {
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(slotOf(task), (counts.get(slotOf(task)) ?? 0) + 1);
  return [...counts.values()];
}

const FAILED = new Set(['failed', 'rejected']);
const createdAt = (task: SwarmTask) => Date.parse(task.CreatedAt ?? '') || 0;

/**
 * The engine's own task history: slots where a task failed or was rejected, was given up (desired state
 * shutdown or beyond) and a task created after it runs now — the swarm replaced a failed task.
 */
export function replacedFailures(tasks: SwarmTask[]): { slot: string; failed: SwarmTask; replacement: SwarmTask }[] {
  const found: { slot: string; failed: SwarmTask; replacement: SwarmTask }[] = [];
  const bySlot = new Map<string, SwarmTask[]>();
  for (const task of tasks) bySlot.set(slotOf(task), [...(bySlot.get(slotOf(task)) ?? []), task]);
  for (const [slot, list] of bySlot) {
    const failed = list.filter((t) => FAILED.has(t.Status?.State ?? '') && t.DesiredState !== 'running' && t.DesiredState !== 'ready');
    const running = list.filter((t) => t.Status?.State === 'running' && t.DesiredState === 'running');
    const pair = failed.flatMap((f) => running.filter((r) => createdAt(r) > createdAt(f)).map((r) => ({ failed: f, replacement: r })))[0];
    if (pair) found.push({ slot, ...pair });
  }
  return found;
}

/** One replaced failure as data: its slot (or node, for a global service's task), state and error. */
function replacedSlot(failed: SwarmTask): FindingMessage {
  const state = String(failed.Status?.State);
  const error = failed.Status?.Err;
  if (failed.Slot) return error ? say('tasks.failedInSlotWithError', { slot: failed.Slot, state, error }) : say('tasks.failedInSlot', { slot: failed.Slot, state });
  const node = String(failed.NodeID);
  return error ? say('tasks.failedOnNodeWithError', { node, state, error }) : say('tasks.failedOnNode', { node, state });
}

function compareReplacedFailures(service: FindingParams, tasks: SwarmTask[], range: { min?: number; max?: number }): Finding[] {
  const replaced = replacedFailures(tasks);
  const replacements = replaced.map(({ failed }) => replacedSlot(failed));
  const failedAnywhere = tasks.filter((t) => FAILED.has(t.Status?.State ?? '')).length;
  const describe = (count: number) => (count ? say('tasks.replaced', { ...service, count, replacements })
    : failedAnywhere ? say('tasks.failedNotReplaced', { ...service, count: failedAnywhere }) : say('tasks.noFailure', service));
  return compareCount(replaced.length, range, describe);
}

/** `tasks: web` — how many of a service's tasks are in a state, and on which nodes. */
export function evaluateTasks(expected: Expectation, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const service = ctx.service(expected.tasks);
  const { params: named } = subject('service', expected.tasks);
  if (!service) return [finding(false, 'exists', 'absent', 'service.missing', named)];
  const all = ctx.swarm.tasks.filter((t) => t.ServiceID === service.ID);
  const states = expected.state === undefined ? ['running'] : [expected.state].flat();
  const inStates = { ...named, states };
  const inState = all.filter((t) => states.includes(t.Status?.State ?? 'unknown'));
  const matching = expected.node === undefined ? inState : inState.filter((t) => ctx.nodeName(t.NodeID) === expected.node);
  const findings: Finding[] = compareCount(matching.length, expected, (count) => (expected.node === undefined
    ? say('tasks.inState', { ...inStates, count }) : say('tasks.inStateOnNode', { ...inStates, count, node: expected.node })));
  const nodes = [...new Set(matching.map((t) => ctx.nodeName(t.NodeID)))].sort();
  if (expected.on_nodes) {
    const want = [...expected.on_nodes].sort();
    const ok = sameSet(nodes, want);
    findings.push(ok ? finding(true, want.join(', '), nodes.join(', ') || 'none', 'tasks.onNodes', { ...inStates, nodes })
      : finding(false, want.join(', '), nodes.join(', ') || 'none', 'tasks.onNodesWanted', { ...inStates, nodes, wanted: want }));
  }
  for (const avoided of expected.not_on ?? []) {
    const there = matching.filter((t) => ctx.nodeName(t.NodeID) === avoided).length;
    findings.push(there === 0 ? finding(true, `none on ${avoided}`, String(there), 'tasks.noneOnNode', { ...inStates, node: avoided })
      : finding(false, `none on ${avoided}`, String(there), 'tasks.someOnNode', { ...inStates, node: avoided, count: there }));
  }
  if (expected.min_nodes !== undefined) {
    const ok = nodes.length >= expected.min_nodes;
    const spread = { ...inStates, count: nodes.length, nodes };
    findings.push(ok ? finding(true, `>= ${expected.min_nodes} nodes`, String(nodes.length), 'tasks.spread', spread)
      : finding(false, `>= ${expected.min_nodes} nodes`, String(nodes.length), 'tasks.spreadTooNarrow', { ...spread, wanted: expected.min_nodes }));
  }
  if (expected.replaced_failures) findings.push(...compareReplacedFailures(named, all, expected.replaced_failures));
  if (expected.per_slot) {
    const counts = perSlotCounts(all);
    const most = counts.length ? Math.max(...counts) : 0;
    const { min, max } = expected.per_slot;
    const kept = { ...named, count: most };
    if (min !== undefined) {
      findings.push(most >= min ? finding(true, `>= ${min} per slot`, String(most), 'tasks.mostPerSlot', kept)
        : finding(false, `>= ${min} per slot`, String(most), 'tasks.mostPerSlotTooFew', { ...kept, wanted: min }));
    }
    if (max !== undefined) {
      findings.push(most <= max ? finding(true, `<= ${max} per slot`, String(most), 'tasks.upToPerSlot', kept)
        : finding(false, `<= ${max} per slot`, String(most), 'tasks.upToPerSlotTooMany', { ...kept, wanted: max }));
    }
  }
  return findings;
}
