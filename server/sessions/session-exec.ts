import type { NodeExec } from '../checks/collect-snapshot.js';
import type { ExecLimits } from '../nodes/node-backend.js';
import type { Session } from './session.js';
import type { SessionManager } from './session-manager.js';

/** Runs commands on a session's nodes by name, for the checker and the cluster view; an unknown node rejects. */
export function sessionExec(sessions: SessionManager, session: Session, limits: ExecLimits): NodeExec {
  return (name, command) => {
    const node = session.nodes.get(name);
    if (!node) return Promise.reject(new Error(`no node ${name}`));
    return sessions.backend.exec(node, command, limits);
  };
}
