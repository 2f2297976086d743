import { runningTasks } from '../assertions/service.js';
import { swarmUnreadable } from '../assertions/unreadable.js';
import type { ClusterContext } from '../cluster-context.js';
import { finding, type Finding } from '../finding.js';

/**
 * `custom: replicas-balanced` with `args: {service: web, max_difference: 1}`: the running replicas are spread
 * over every ready, active node within the given difference. Swarm does not move tasks back on its own after a
 * drain, so this is how a lesson sees that the learner rebalanced (scale down and up, or `update --force`).
 */
export function replicasBalanced(ctx: ClusterContext, args: Record<string, unknown>): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const name = typeof args.service === 'string' ? args.service : '';
  const allowed = typeof args.max_difference === 'number' ? args.max_difference : 1;
  const service = ctx.service(name);
  if (!service) return [finding(false, 'exists', 'absent', 'service.missing', { service: name })];
  const eligible = ctx.swarm.nodes.filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active');
  const counts = new Map(eligible.map((n) => [n.ID, 0]));
  for (const task of runningTasks(service, ctx)) if (task.NodeID && counts.has(task.NodeID)) counts.set(task.NodeID, (counts.get(task.NodeID) ?? 0) + 1);
  const spread = [...counts.entries()].map(([id, count]) => `${ctx.nodeName(id)}=${count}`).sort().join(', ');
  const values = [...counts.values()];
  const difference = values.length ? Math.max(...values) - Math.min(...values) : 0;
  const ok = difference <= allowed;
  return [ok
    ? finding(true, `difference <= ${allowed}`, spread, 'service.replicasSpread', { service: name, spread })
    : finding(false, `difference <= ${allowed}`, spread, 'service.replicasSpreadUneven', { service: name, spread, allowed })];
}
