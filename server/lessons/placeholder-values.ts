import type { NodeExec } from '../checks/collect-snapshot.js';
import { FIXED_PLACEHOLDERS } from './placeholders.js';

export interface SessionNode {
  name: string;
  address: string;
  role?: string;
}

const TOKEN_SEPARATOR = '@@manager-token';

/**
 * Computes the live values for a session's placeholders: `<node>.ip` from the session's node list, and the
 * join tokens and `manager.ip` from the first node that can answer `docker swarm join-token` (so they are
 * right even after a token rotation or a leader change). Values that cannot be known yet are left out;
 * filling a block that needs them then names what is missing.
 */
export async function computePlaceholderValues(nodes: SessionNode[], exec: NodeExec, needed: readonly string[] = FIXED_PLACEHOLDERS): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const node of nodes) values[`${node.name}.ip`] = node.address;
  if (nodes[0]) values['manager.ip'] = nodes[0].address;
  if (!needed.some((name) => name.startsWith('swarm.') || name === 'manager.ip')) return values;
  const managersFirst = [...nodes].sort((a, b) => Number(b.role === 'manager') - Number(a.role === 'manager'));
  for (const node of managersFirst) {
    const answer = await exec(node.name, `docker swarm join-token -q worker && echo ${TOKEN_SEPARATOR} && docker swarm join-token -q manager`).catch(() => undefined);
    if (!answer || answer.exitCode !== 0) continue;
    const [worker, manager] = answer.output.split(TOKEN_SEPARATOR).map((part) => part.trim());
    if (!worker?.startsWith('SWMTKN-') || !manager?.startsWith('SWMTKN-')) continue;
    values['swarm.worker_token'] = worker;
    values['swarm.manager_token'] = manager;
    values['manager.ip'] = node.address;
    break;
  }
  return values;
}
