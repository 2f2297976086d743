import type { SessionNode } from './session.js';

export type RunOnNode = (node: SessionNode, command: string) => Promise<{ exitCode: number; output: string }>;

export class SwarmFormationError extends Error {}

async function must(run: RunOnNode, node: SessionNode, command: string): Promise<string> {
  const result = await run(node, command);
  if (result.exitCode !== 0) throw new SwarmFormationError(`${node.name}: \`${command}\` failed: ${result.output.trim().slice(-300)}`);
  return result.output.trim();
}

/**
 * Forms a swarm the way a learner would (init on the first manager, the others join; managers one at a time, as
 * raft membership changes are serial), while its nodes are still starting: init on the first manager as soon as
 * it is ready, and each other node joins as soon as it is ready and the swarm exists. A node
 * that waits its turn in the start queue then no longer holds up the others. `initQueue` runs the init (a burst
 * of CPU: keys, certificates, the raft log), so that many sessions forming together take turns.
 */
export async function formSwarmAsReady(nodes: Array<Promise<SessionNode>>, run: RunOnNode, initQueue: <T>(task: () => Promise<T>) => Promise<T> = (task) => task()): Promise<void> {
  const [first, ...rest] = nodes;
  if (!first) throw new SwarmFormationError('a swarm needs a manager as its first node');
  const leader = await first;
  if (leader.role !== 'manager') throw new SwarmFormationError('a swarm needs a manager as its first node');
  // One exec for the init and the tokens: each exec is a few engine round trips and a process in the node.
  const tokens = await initQueue(async () => parseTokens(leader, await must(run, leader, `docker swarm init --advertise-addr ${leader.address} >/dev/null && ${TOKENS}`)));
  let managersJoined = Promise.resolve();
  await Promise.all(
    rest.map(async (pending) => {
      const node = await pending;
      const join = `docker swarm join --token ${node.role === 'manager' ? tokens.manager : tokens.worker} ${leader.address}:2377`;
      if (node.role !== 'manager') return void (await must(run, node, join));
      const turn = managersJoined.then(() => must(run, node, join));
      managersJoined = turn.then(() => undefined, () => undefined); // a failed join fails the formation through `await turn`
      await turn;
    }),
  );
}

/** Joins one more node to a swarm that a manager in `manager` already runs. */
export async function joinSwarm(manager: SessionNode, node: SessionNode, run: RunOnNode): Promise<void> {
  const tokens = await joinTokens(manager, run);
  const token = node.role === 'manager' ? tokens.manager : tokens.worker;
  await must(run, node, `docker swarm join --token ${token} ${manager.address}:2377`);
}

const TOKENS = 'docker swarm join-token -q worker && docker swarm join-token -q manager';

async function joinTokens(manager: SessionNode, run: RunOnNode): Promise<{ worker: string; manager: string }> {
  return parseTokens(manager, await must(run, manager, TOKENS));
}

function parseTokens(manager: SessionNode, output: string): { worker: string; manager: string } {
  const [worker, managerToken] = output.split(/\s+/).slice(-2);
  if (!worker?.startsWith('SWMTKN-') || !managerToken?.startsWith('SWMTKN-')) throw new SwarmFormationError(`${manager.name}: could not read join tokens`);
  return { worker, manager: managerToken };
}
