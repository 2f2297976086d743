import type { AssertionOf } from '../assertion-schema.js';
import type { ClusterContext } from '../cluster-context.js';
import { compareValue, finding, subject, type Finding } from '../finding.js';
import { readableNode, swarmUnreadable } from './unreadable.js';

/** `swarm: node1` — the swarm membership of one node, as its own engine reports it. */
export function evaluateSwarm(assertion: AssertionOf<'swarm'>, ctx: ClusterContext): Finding[] {
  const { node, problem } = readableNode(ctx, assertion.swarm);
  if (!node) return problem ?? [];
  const of = subject('node', assertion.swarm);
  const swarm = node.info?.Swarm;
  const findings: Finding[] = [];
  if (assertion.state !== undefined) findings.push(compareValue(of, 'swarmState', swarm?.LocalNodeState ?? 'inactive', assertion.state));
  if (assertion.manager !== undefined) {
    const isManager = swarm?.ControlAvailable === true;
    const role = (m: boolean) => (m ? 'a manager' : 'not a manager');
    findings.push(finding(isManager === assertion.manager, role(assertion.manager), role(isManager),
      isManager === assertion.manager ? (isManager ? 'node.isManager' : 'node.isNotManager') : isManager ? 'node.isManagerUnwanted' : 'node.isNotManagerWanted', of.params));
  }
  if (assertion.leader !== undefined) {
    if (!ctx.swarm) return [...findings, ...swarmUnreadable(ctx)];
    const leader = ctx.swarm.nodes.find((n) => n.ManagerStatus?.Leader);
    const leaderName = leader ? ctx.nodeName(leader.ID) : 'none';
    const isLeader = leader !== undefined && leader.ID === swarm?.NodeID;
    const ok = isLeader === assertion.leader;
    const said = isLeader ? (ok ? 'node.isLeader' : 'node.isLeaderUnwanted') : ok ? 'node.isNotLeader' : 'node.isNotLeaderWanted';
    findings.push(finding(ok, assertion.leader ? 'leader' : 'not leader', isLeader ? 'leader' : 'not leader', said, { ...of.params, leader: leaderName }));
  }
  return findings;
}

/** `cluster: true` — swarm-wide settings read from a manager. */
export function evaluateCluster(assertion: AssertionOf<'cluster'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const info = ctx.node(ctx.swarm.node)?.info;
  const findings: Finding[] = [];
  if (assertion.task_history_limit !== undefined) {
    const limit = info?.Swarm?.Cluster?.Spec?.Orchestration?.TaskHistoryRetentionLimit ?? 5;
    findings.push(compareValue({ of: 'swarm', params: {} }, 'taskHistoryLimit', limit, assertion.task_history_limit));
  }
  if (assertion.join_tokens !== undefined) findings.push(...joinTokensSinceStepOpened(assertion.join_tokens, ctx));
  return findings;
}

/**
 * `join_tokens: {worker: rotated}` — compares the join tokens' fingerprints with those the server recorded
 * when the learner first reached the step. Without that record nothing can be said, and the check fails.
 */
function joinTokensSinceStepOpened(expected: NonNullable<AssertionOf<'cluster'>['join_tokens']>, ctx: ClusterContext): Finding[] {
  const now = ctx.swarm?.joinTokens;
  const then = ctx.baseline?.joinTokens;
  return (['worker', 'manager'] as const).flatMap((role): Finding[] => {
    const wanted = expected[role];
    if (wanted === undefined) return [];
    const params = { role, wanted };
    if (!now?.[role]) return [finding(false, wanted, 'unknown', 'joinToken.unreadable', params)];
    if (!then?.[role]) return [finding(false, wanted, 'no baseline', wanted === 'rotated' ? 'joinToken.noBaselineRotate' : 'joinToken.noBaselineCheck', params)];
    const actual = now[role] === then[role] ? 'unchanged' : 'rotated';
    const ok = actual === wanted;
    return [finding(ok, wanted, actual, ok ? 'joinToken.since' : 'joinToken.sinceExpected', { ...params, actual })];
  });
}

/** `leader: node2` or `leader: {not: node1}` — which manager leads the Raft group. */
export function evaluateLeader(assertion: AssertionOf<'leader'>, ctx: ClusterContext): Finding[] {
  if (!ctx.swarm) return swarmUnreadable(ctx);
  const leader = ctx.swarm.nodes.find((n) => n.ManagerStatus?.Leader);
  const name = leader ? ctx.nodeName(leader.ID) : 'none';
  if (typeof assertion.leader === 'string') return [compareValue({ of: 'leader', params: {} }, undefined, name, assertion.leader)];
  const avoided = assertion.leader.not;
  const ok = leader !== undefined && name !== avoided;
  return [finding(ok, `not ${avoided}`, name, ok ? 'leader.fieldOk' : leader ? 'leader.stillAvoided' : 'leader.none', { leader: name, actual: name })];
}
