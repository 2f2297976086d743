import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { code, compareCount, finding, listOrNone, type Finding } from '../finding.js';
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

function compareReplacedFailures(subject: string, tasks: SwarmTask[], range: { min?: number; max?: number }): Finding[] {
  const replaced = replacedFailures(tasks);
  const shown = replaced.map(({ slot, failed }) => `${slot}: ${failed.Status?.State}${failed.Status?.Err ? ` (${failed.Status.Err})` : ''}`);
  const failedAnywhere = tasks.filter((t) => FAILED.has(t.Status?.State ?? '')).length;
  const describe = (n: number) => `${subject} ${n} slot${n === 1 ? '' : 's'} where a failed task was replaced by a running one${n ? ` (${shown.join('; ')})` : failedAnywhere ? ` (${failedAnywhere} failed task${failedAnywhere === 1 ? '' : 's'}, none replaced by a running one)` : ' (no failed task in the history)'}`;
  return compareCount(replaced.length, range, describe);
}

/** `tasks: web` — how many of a service's tasks are in a state, and on which nodes. */
export function evaluateTasks(expected: Expectation, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const service = ctx.service(expected.tasks);
  const subject = `service ${code(expected.tasks)}:`;
  if (!service) return [finding(false, 'exists', 'absent', `service ${code(expected.tasks)} does not exist`)];
  const all = ctx.swarm.tasks.filter((t) => t.ServiceID === service.ID);
  const states = expected.state === undefined ? ['running'] : [expected.state].flat();
  const stateWords = states.join(' or ');
  const inState = all.filter((t) => states.includes(t.Status?.State ?? 'unknown'));
  const matching = expected.node === undefined ? inState : inState.filter((t) => ctx.nodeName(t.NodeID) === expected.node);
  const where = expected.node === undefined ? '' : ` on ${code(expected.node)}`;
  const findings: Finding[] = compareCount(matching.length, expected, (n) => `${subject} ${n} ${stateWords} task${n === 1 ? '' : 's'}${where}`);
  const nodes = [...new Set(matching.map((t) => ctx.nodeName(t.NodeID)))].sort();
  if (expected.on_nodes) {
    const want = [...expected.on_nodes].sort();
    const ok = sameSet(nodes, want);
    findings.push(finding(ok, want.join(', '), nodes.join(', ') || 'none',
      ok ? `${subject} ${stateWords} tasks on ${listOrNone(nodes)}` : `${subject} ${stateWords} tasks on ${listOrNone(nodes)}, expected on ${listOrNone(want)}`));
  }
  for (const avoided of expected.not_on ?? []) {
    const there = matching.filter((t) => ctx.nodeName(t.NodeID) === avoided).length;
    findings.push(finding(there === 0, `none on ${avoided}`, String(there),
      there === 0 ? `${subject} no ${stateWords} tasks on ${code(avoided)}` : `${subject} ${there} ${stateWords} task${there === 1 ? '' : 's'} on ${code(avoided)}, expected none there`));
  }
  if (expected.min_nodes !== undefined) {
    const ok = nodes.length >= expected.min_nodes;
    findings.push(finding(ok, `>= ${expected.min_nodes} nodes`, String(nodes.length),
      `${subject} ${stateWords} tasks on ${nodes.length} node${nodes.length === 1 ? '' : 's'} (${listOrNone(nodes)})${ok ? '' : `, expected at least ${expected.min_nodes}`}`));
  }
  if (expected.replaced_failures) findings.push(...compareReplacedFailures(subject, all, expected.replaced_failures));
  if (expected.per_slot) {
    const counts = perSlotCounts(all);
    const most = counts.length ? Math.max(...counts) : 0;
    const { min, max } = expected.per_slot;
    if (min !== undefined) findings.push(finding(most >= min, `>= ${min} per slot`, String(most),
      `${subject} at most ${most} task${most === 1 ? '' : 's'} kept in any slot${most >= min ? '' : `, expected a slot with at least ${min}`}`));
    if (max !== undefined) findings.push(finding(most <= max, `<= ${max} per slot`, String(most),
      `${subject} up to ${most} task${most === 1 ? '' : 's'} kept per slot${most <= max ? '' : `, expected at most ${max}`}`));
  }
  return findings;
}
