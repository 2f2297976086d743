import type { StepBaseline } from './baseline.js';
import type { SwarmNode, SwarmService } from './docker-types.js';
import type { ClusterSnapshot, ManagerView, NodeState } from './snapshot.js';

/**
 * The snapshot plus the lookups every assertion needs, computed once per evaluation.
 * The swarm-wide view comes from one manager: the leader when it answered, else any manager that did.
 */
export interface ClusterContext {
  snapshot: ClusterSnapshot;
  node(name: string): NodeState | undefined;
  swarm?: ManagerView;
  /** Why there is no swarm view, worded for the learner. */
  swarmError: string;
  nodeName(nodeId: string | undefined): string;
  service(name: string): SwarmService | undefined;
  swarmNodes(hostname: string): SwarmNode[];
  /** What the server recorded when the learner first reached the check's step, for history checks. */
  baseline?: StepBaseline;
}

function leaderId(view: ManagerView): string | undefined {
  return view.nodes.find((n) => n.ManagerStatus?.Leader)?.ID;
}

function pickView(nodes: NodeState[]): ManagerView | undefined {
  const views = nodes.flatMap((n) => (n.manager ? [{ view: n.manager, id: n.info?.Swarm?.NodeID }] : []));
  return (views.find(({ view, id }) => id !== undefined && leaderId(view) === id) ?? views[0])?.view;
}

function explainMissingSwarm(nodes: NodeState[]): string {
  const managerErrors = nodes.flatMap((n) => (n.managerError ? [n.managerError] : []));
  if (managerErrors.length > 0) return managerErrors.join('; ');
  if (nodes.length > 0 && nodes.every((n) => n.error)) return 'no node could be read';
  return 'no node is a swarm manager, so the swarm cannot be read';
}

export function clusterContext(snapshot: ClusterSnapshot): ClusterContext {
  const byName = new Map(snapshot.nodes.map((n) => [n.name, n]));
  const swarm = pickView(snapshot.nodes);
  const hostnames = new Map((swarm?.nodes ?? []).map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  return {
    snapshot,
    node: (name) => byName.get(name),
    swarm,
    swarmError: swarm ? '' : explainMissingSwarm(snapshot.nodes),
    nodeName: (nodeId) => (nodeId ? hostnames.get(nodeId) ?? nodeId.slice(0, 12) : 'no node'),
    service: (name) => swarm?.services.find((s) => s.Spec.Name === name),
    swarmNodes: (hostname) => (swarm?.nodes ?? []).filter((n) => n.Description?.Hostname === hostname),
  };
}
