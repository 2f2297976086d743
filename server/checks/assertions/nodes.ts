import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import type { SwarmNode } from '../docker-types.js';
import { code, compareCount, compareValue, finding, listOrNone, type Finding } from '../finding.js';
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
  const describe = (count: number) => `${count} ${words ? `${words} ` : ''}node${count === 1 ? '' : 's'} (${listOrNone(names)})`;
  return compareCount(matching.length, assertion, describe);
}

/** `node: node2` — one swarm node's role, availability, state and labels, or its absence. */
export function evaluateNode(assertion: AssertionOf<'node'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const subject = `node ${code(assertion.node)}`;
  const node = liveEntry(ctx.swarmNodes(assertion.node));
  if (assertion.absent) {
    return [finding(!node, 'absent', node ? 'present' : 'absent',
      node ? `${subject} is still in the swarm (state ${code(node.Status?.State)}), expected it removed` : `${subject} is not in the swarm`)];
  }
  if (!node) return [finding(false, 'in the swarm', 'absent', `${subject} is not in the swarm`)];
  const findings: Finding[] = [];
  if (assertion.role !== undefined) findings.push(compareValue(`${subject} role`, node.Spec?.Role, assertion.role));
  if (assertion.availability !== undefined) findings.push(compareValue(`${subject} availability`, node.Spec?.Availability, assertion.availability));
  if (assertion.state !== undefined) findings.push(compareValue(`${subject} state`, node.Status?.State, assertion.state));
  if (assertion.reachability !== undefined) {
    // Only a manager that really joined the Raft group has a reachability; a desired role alone does not.
    const reachability = node.ManagerStatus?.Reachability;
    findings.push(reachability === undefined
      ? finding(false, assertion.reachability, 'not a manager', `${subject} is not in the managers' Raft group (role ${code(node.Spec?.Role)}), expected reachability ${code(assertion.reachability)}`)
      : compareValue(`${subject} manager reachability`, reachability, assertion.reachability));
  }
  for (const [key, value] of Object.entries(assertion.labels ?? {})) {
    const actual = node.Spec?.Labels?.[key];
    findings.push(actual === undefined
      ? finding(false, `${key}=${value}`, 'unset', `${subject} has no label ${code(key)}, expected ${code(value)}`)
      : compareValue(`${subject} label ${code(key)}`, actual, value));
  }
  if (findings.length === 0) findings.push(finding(true, 'in the swarm', 'present', `${subject} is in the swarm`));
  return findings;
}
