import type { ClusterContext } from '../cluster-context.js';
import { finding, type Finding } from '../finding.js';
import type { NodeState } from '../snapshot.js';

/**
 * The finding for any assertion that needs the swarm view when no manager could give it: what the managers
 * answered, or why none was asked (the same reasons as the context's `swarmError`, as data).
 */
export function swarmUnreadable(ctx: ClusterContext): Finding[] {
  const nodes = ctx.snapshot.nodes;
  const managerErrors = nodes.flatMap((n) => (n.managerError ? [n.managerError] : []));
  const said = managerErrors.length > 0 ? finding(false, 'a manager that answers', 'none', 'swarm.managerErrors', { reason: managerErrors.join('; ') })
    : nodes.length > 0 && nodes.every((n) => n.error) ? finding(false, 'a manager that answers', 'none', 'swarm.noNodeReadable')
      : finding(false, 'a manager that answers', 'none', 'swarm.noManager');
  return [said];
}

/** Resolves a node by name, or the finding that says why it cannot be read. */
export function readableNode(ctx: ClusterContext, name: string): { node?: NodeState; problem?: Finding[] } {
  const node = ctx.node(name);
  if (!node) return { problem: [finding(false, `node ${name}`, 'none', 'node.notInSession', { node: name })] };
  if (node.error || !node.info) {
    return { problem: [node.error
      ? finding(false, `node ${name} readable`, 'unreachable', 'node.unreadable', { node: name, reason: node.error })
      : finding(false, `node ${name} readable`, 'unreachable', 'node.noAnswer', { node: name })] };
  }
  return { node };
}
