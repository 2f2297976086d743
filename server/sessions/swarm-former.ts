import type { SessionNode } from './session.js';

export type RunOnNode = (node: SessionNode, command: string) => Promise<{ exitCode: number; output: string }>;

export class SwarmFormationError extends Error {}

async function must(run: RunOnNode, node: SessionNode, command: string): Promise<string> {
  const result = await run(node, command);
  if (result.exitCode !== 0) throw new SwarmFormationError(`${node.name}: \`${command}\` failed: ${result.output.trim().slice(-300)}`);
  return result.output.trim();
}

/**
 * Forms a swarm the way a learner would: init on the first manager, then the
 * other managers join one at a time (raft membership changes are serial) and
 * the workers join together.
 */
export async function formSwarm(nodes: SessionNode[], run: RunOnNode): Promise<void> {
  const [leader, ...others] = nodes;
  if (!leader || leader.role !== 'manager') throw new SwarmFormationError('a swarm needs a manager as its first node');
  await must(run, leader, `docker swarm init --advertise-addr ${leader.address}`);
  const tokens = await joinTokens(leader, run);
  for (const node of others.filter((n) => n.role === 'manager')) {
    await must(run, node, `docker swarm join --token ${tokens.manager} ${leader.address}:2377`);
  }
  await Promise.all(others.filter((n) => n.role === 'worker').map((node) => must(run, node, `docker swarm join --token ${tokens.worker} ${leader.address}:2377`)));
}

/** Joins one more node to a swarm that a manager in `manager` already runs. */
export async function joinSwarm(manager: SessionNode, node: SessionNode, run: RunOnNode): Promise<void> {
  const tokens = await joinTokens(manager, run);
  const token = node.role === 'manager' ? tokens.manager : tokens.worker;
  await must(run, node, `docker swarm join --token ${token} ${manager.address}:2377`);
}

async function joinTokens(manager: SessionNode, run: RunOnNode): Promise<{ worker: string; manager: string }> {
  const output = await must(run, manager, 'docker swarm join-token -q worker && docker swarm join-token -q manager');
  const [worker, managerToken] = output.split(/\s+/);
  if (!worker?.startsWith('SWMTKN-') || !managerToken?.startsWith('SWMTKN-')) throw new SwarmFormationError(`${manager.name}: could not read join tokens`);
  return { worker, manager: managerToken };
}
