import { describe, expect, it } from 'vitest';
import type { SessionNode } from '../../../server/sessions/session.js';
import { SwarmFormationError, formSwarmAsReady, type RunOnNode } from '../../../server/sessions/swarm-former.js';

/** Nodes that become ready when the test says so, and a node runner that records commands and answers like Docker. */
function nodes(roles: Array<'manager' | 'worker'>) {
  const ready = roles.map((role, i) => {
    let resolve!: (node: SessionNode) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<SessionNode>((res, rej) => ((resolve = res), (reject = rej)));
    const node = { name: `node${i + 1}`, id: `c${i + 1}`, address: `10.0.0.${i + 1}`, role };
    return { promise, start: () => resolve(node), fail: () => reject(new Error(`node${i + 1} did not start`)) };
  });
  const log: string[] = [];
  const run: RunOnNode = async (node, command) => {
    log.push(`${node.name}: ${command.split(' --')[0]}`);
    await new Promise((resolve) => setImmediate(resolve));
    if (command.includes('docker swarm join-token')) return { exitCode: 0, output: 'SWMTKN-1-worker\nSWMTKN-1-manager\n' };
    return { exitCode: 0, output: '' };
  };
  return { ready, log, run, promises: ready.map((r) => r.promise) };
}

const settle = async (turns = 5) => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('formSwarmAsReady', () => {
  it('inits on the manager as soon as it is ready, while the workers are still starting, and joins each as it comes', async () => {
    const { ready, log, run, promises } = nodes(['manager', 'worker', 'worker']);
    const formed = formSwarmAsReady(promises, run);
    ready[0].start();
    await settle();
    expect(log).toEqual(['node1: docker swarm init']); // with the join tokens, in one exec
    ready[2].start();
    await settle();
    expect(log.at(-1)).toBe('node3: docker swarm join');
    ready[1].start();
    await formed;
    expect(log.at(-1)).toBe('node2: docker swarm join');
  });

  it('lets a worker that was ready first wait for the swarm to exist', async () => {
    const { ready, log, run, promises } = nodes(['manager', 'worker']);
    const formed = formSwarmAsReady(promises, run);
    ready[1].start();
    await settle();
    expect(log).toEqual([]);
    ready[0].start();
    await formed;
    expect(log.map((line) => line.split(':')[0])).toEqual(['node1', 'node2']);
  });

  it('joins other managers one at a time, and the init waits its turn in the queue', async () => {
    const { ready, log, run, promises } = nodes(['manager', 'manager', 'manager', 'worker']);
    let queued = 0;
    let managersJoining = 0;
    let mostManagersJoining = 0;
    const formed = formSwarmAsReady(promises, async (node, command) => {
      const managerJoin = command.includes('--token SWMTKN-1-manager');
      if (managerJoin) mostManagersJoining = Math.max(mostManagersJoining, ++managersJoining);
      try {
        return await run(node, command);
      } finally {
        if (managerJoin) managersJoining -= 1;
      }
    }, (task) => ((queued += 1), task()));
    for (const r of ready) r.start();
    await formed;
    expect(mostManagersJoining).toBe(1);
    expect(queued).toBe(1);
    expect(log.filter((line) => line.endsWith('docker swarm join'))).toHaveLength(3);
  });

  it('fails when the manager does not start, or when the first node is not a manager', async () => {
    const failing = nodes(['manager', 'worker']);
    const formed = formSwarmAsReady(failing.promises, failing.run);
    failing.ready[0].fail();
    await expect(formed).rejects.toThrow('node1 did not start');
    const workerFirst = nodes(['worker', 'manager']);
    workerFirst.ready[0].start();
    await expect(formSwarmAsReady(workerFirst.promises, workerFirst.run)).rejects.toBeInstanceOf(SwarmFormationError);
  });
});
