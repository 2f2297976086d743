import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { SwarmNode } from '../docker-types.js';
import { compareCount, compareValue, finding, say, subject, type Finding } from '../finding.js';
import { compareLabels } from './objects.js';
import { swarmUnreadable } from './unreadable.js';

/** A node rejoined after `node rm` is listed twice; the live entry is the one that speaks for it. */
function liveEntry(entries: SwarmNode[]): SwarmNode | undefined {
  return entries.find((n) => n.Status?.State === 'ready') ?? entries[0];
}

/** `nodes: {role: worker, state: ready}` with `count: 2` — how many swarm nodes match a filter. */
export function evaluateNodes(assertion: AssertionOf<'nodes'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const { role, availability, state, reachability } = assertion.nodes;
  const matching = ctx.swarm.nodes.filter((n) =>
    (role === undefined || n.Spec?.Role === role)
    && (availability === undefined || n.Spec?.Availability === availability)
    && (state === undefined || n.Status?.State === state)
    && (reachability === undefined || n.ManagerStatus?.Reachability === reachability));
  const words = [reachability, state, availability, role].filter(Boolean).join(' ');
  const names = matching.map((n) => n.Description?.Hostname ?? n.ID);
  const describe = (count: number) => (words ? say('nodes.matchingFiltered', { count, filter: words, names }) : say('nodes.matching', { count, names }));
  return compareCount(matching.length, assertion, describe);
}

/** `node: node2` — one swarm node's role, availability, state and labels, or its absence. */
export function evaluateNode(assertion: AssertionOf<'node'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const of = subject('node', assertion.node);
  const node = liveEntry(ctx.swarmNodes(assertion.node));
  if (assertion.absent) {
    return [node
      ? finding(false, 'absent', 'present', 'node.stillInSwarm', { ...of.params, state: String(node.Status?.State) })
      : finding(true, 'absent', 'absent', 'node.notInSwarm', of.params)];
  }
  if (!node) return [finding(false, 'in the swarm', 'absent', 'node.notInSwarm', of.params)];
  const findings: Finding[] = [];
  if (assertion.role !== undefined) findings.push(compareValue(of, 'role', node.Spec?.Role, assertion.role));
  if (assertion.availability !== undefined) findings.push(compareValue(of, 'availability', node.Spec?.Availability, assertion.availability));
  if (assertion.state !== undefined) findings.push(compareValue(of, 'state', node.Status?.State, assertion.state));
  if (assertion.reachability !== undefined) {
    // Only a manager that really joined the Raft group has a reachability; a desired role alone does not.
    const reachability = node.ManagerStatus?.Reachability;
    findings.push(reachability === undefined
      ? finding(false, assertion.reachability, 'not a manager', 'node.notInRaft', { ...of.params, role: String(node.Spec?.Role), expected: assertion.reachability })
      : compareValue(of, 'reachability', reachability, assertion.reachability));
  }
  findings.push(...compareLabels(of, node.Spec?.Labels, assertion.labels));
  if (findings.length === 0) findings.push(finding(true, 'in the swarm', 'present', 'node.inSwarm', of.params));
  return findings;
}
