/** Label keys put on every container and network the server creates; clean-up goes by these. */
export const LABEL = {
  instance: 'io.swarm-workshop.instance',
  session: 'io.swarm-workshop.session',
  node: 'io.swarm-workshop.node',
  kind: 'io.swarm-workshop.kind',
  recipe: 'io.swarm-workshop.recipe',
} as const;

export type ResourceKind = 'node' | 'network' | 'probe';

export function sessionLabels(instance: string, sessionId: string, kind: ResourceKind, node?: string): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.instance]: instance, [LABEL.session]: sessionId, [LABEL.kind]: kind };
  if (node) labels[LABEL.node] = node;
  return labels;
}
