import type { NodeStatusView, SessionStatusView } from '../../shared/protocol.js';
import type { Session } from '../sessions/session.js';
import type { NodeExec } from '../sessions/session-manager.js';
import { NODE_STATUS_COMMAND, parseNodeStatus } from './node-status.js';

/** Each node's swarm role and published ports, one exec per node; a node that does not answer says so. */
export async function sessionStatus(session: Session, exec: NodeExec, now = new Date()): Promise<SessionStatusView> {
  const nodes = await Promise.all(
    [...session.nodes.keys()].map(async (name): Promise<NodeStatusView> => {
      try {
        return parseNodeStatus(name, (await exec(name, NODE_STATUS_COMMAND)).output);
      } catch {
        return { name, reachable: false, swarm: { state: 'unknown', role: null }, ports: [] };
      }
    }),
  );
  return { nodes, checkedAt: now.toISOString() };
}
