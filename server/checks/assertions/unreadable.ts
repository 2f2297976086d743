import type { ClusterContext } from '../cluster-context.js';
import { code, finding, type Finding } from '../finding.js';
import type { NodeState } from '../snapshot.js';

/** The finding for any assertion that needs the swarm view when no manager could give it. */
export function swarmUnreadable(ctx: ClusterContext): Finding[] {
  return [finding(false, 'a manager that answers', 'none', ctx.swarmError)];
}

/** Resolves a node by name, or the finding that says why it cannot be read. */
export function readableNode(ctx: ClusterContext, name: string): { node?: NodeState; problem?: Finding[] } {
  const node = ctx.node(name);
  if (!node) return { problem: [finding(false, `node ${name}`, 'none', `node ${code(name)} is not part of this session`)] };
  if (node.error || !node.info) {
    return { problem: [finding(false, `node ${name} readable`, 'unreachable', `node ${code(name)} cannot be read: ${node.error ?? 'no answer'}`)] };
  }
  return { node };
}
