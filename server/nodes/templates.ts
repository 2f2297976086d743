import type { NodeRole, TemplateName } from '../../shared/protocol.js';

export interface PlannedNode {
  name: string;
  role?: NodeRole;
}

/** The node layouts a learner can ask for by name. */
export const TEMPLATES: Record<TemplateName, PlannedNode[]> = {
  single: [{ name: 'node1', role: 'manager' }],
  'swarm-1m2w': [
    { name: 'node1', role: 'manager' },
    { name: 'node2', role: 'worker' },
    { name: 'node3', role: 'worker' },
  ],
  'swarm-3m2w': [
    { name: 'node1', role: 'manager' },
    { name: 'node2', role: 'manager' },
    { name: 'node3', role: 'manager' },
    { name: 'node4', role: 'worker' },
    { name: 'node5', role: 'worker' },
  ],
};

export class PlanError extends Error {}

/** Turns a create request into the nodes to start, checking the rules that a schema alone cannot. */
export function planNodes(request: { template?: TemplateName; nodes?: PlannedNode[]; swarm: boolean }, maxNodes: number): PlannedNode[] {
  const planned = request.nodes ?? TEMPLATES[request.template ?? 'single'];
  if (planned.length > maxNodes) throw new PlanError(`a session has at most ${maxNodes} nodes; asked for ${planned.length}`);
  const seen = new Set<string>();
  for (const node of planned) {
    if (seen.has(node.name)) throw new PlanError(`node name ${node.name} appears twice`);
    seen.add(node.name);
  }
  if (request.swarm) {
    const first = planned[0];
    if (first.role === 'worker') throw new PlanError('the first node of a pre-formed swarm must be a manager');
    return planned.map((node, index) => ({ name: node.name, role: node.role ?? (index === 0 ? 'manager' : 'worker') }));
  }
  return planned.map((node) => ({ ...node }));
}

/** The first free name of the form nodeN. */
export function nextNodeName(existing: Iterable<string>): string {
  const taken = new Set(existing);
  for (let n = 1; ; n++) if (!taken.has(`node${n}`)) return `node${n}`;
}
