import type { ClusterView } from '../../shared/lesson-protocol.js';
import type { ClusterSnapshot } from './snapshot.js';

const shortImage = (image = '') => image.replace(/@sha256:[0-9a-f]+$/, '');

/**
 * The live cluster for the page: each node with its role and availability and the tasks on it, as the
 * first manager that answers sees them. Nodes of no swarm show their swarm state only.
 */
export function clusterView(snapshot: ClusterSnapshot, now: Date = new Date()): ClusterView {
  const manager = snapshot.nodes.find((n) => n.manager)?.manager;
  const serviceName = new Map(manager?.services.map((s) => [s.ID, s.Spec.Name ?? s.ID]) ?? []);
  const nodes = snapshot.nodes.map((node) => {
    if (node.error) return { name: node.name, error: node.error, swarm: 'error', tasks: [] };
    const swarmNode = manager?.nodes.find((n) => n.Description?.Hostname === node.name || n.ID === node.info?.Swarm?.NodeID);
    const tasks = (manager?.tasks ?? [])
      .filter((t) => swarmNode && t.NodeID === swarmNode.ID && t.DesiredState !== 'shutdown')
      .map((t) => ({
        service: serviceName.get(t.ServiceID) ?? t.ServiceID,
        ...(t.Slot ? { slot: t.Slot } : {}),
        state: t.Status?.State ?? 'unknown',
        desired: t.DesiredState ?? 'unknown',
        image: shortImage(t.Spec?.ContainerSpec?.Image),
        ...(t.Status?.Err ? { error: t.Status.Err } : {}),
      }))
      .sort((a, b) => a.service.localeCompare(b.service) || (a.slot ?? 0) - (b.slot ?? 0));
    return {
      name: node.name,
      swarm: node.info?.Swarm?.LocalNodeState ?? 'inactive',
      ...(swarmNode
        ? {
            role: swarmNode.Spec?.Role as 'manager' | 'worker',
            leader: swarmNode.ManagerStatus?.Leader === true,
            availability: swarmNode.Spec?.Availability,
            state: swarmNode.Status?.State,
          }
        : {}),
      tasks,
    };
  });
  const services = (manager?.services ?? []).map((s) => {
    const running = manager!.tasks.filter((t) => t.ServiceID === s.ID && t.Status?.State === 'running' && t.DesiredState === 'running').length;
    const replicated = s.Spec.Mode?.Replicated;
    return {
      name: s.Spec.Name ?? s.ID,
      mode: replicated ? 'replicated' : 'global',
      ...(replicated ? { replicas: replicated.Replicas ?? 0 } : {}),
      running,
      image: shortImage(s.Spec.TaskTemplate?.ContainerSpec?.Image),
    };
  });
  return { nodes, services, takenAt: now.toISOString() };
}
