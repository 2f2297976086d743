import { describe, expect, it, vi } from 'vitest';
import { collectRawSnapshot, earlyProbes, type NodeExec } from '../../../server/checks/collect-snapshot.js';
import { probeKey } from '../../../server/checks/probe-plan.js';
import type { RawNodeAnswer } from '../../../server/checks/snapshot.js';
import { loadRaw } from './fixtures.js';

const raw = loadRaw('swarm-1m2w-services');
const ON_NODE2 = { node: 'node2', command: 'docker node ls' };
const IN_SERVICE = { service: 'db', command: 'cat /data/x' };

/** Answers each probe script with exit code 0 and the node's name, and notes when it ran. */
function probeExec(log: string[]): NodeExec {
  return async (node, script) => {
    log.push(`probe on ${node}`);
    const count = script.split('\n').length;
    const lines = Array.from({ length: count }, (_, i) => `@@probe ${i} 0 ${Buffer.from(`ran on ${node}`).toString('base64')}`);
    return { exitCode: 0, output: lines.join('\n') };
  };
}

describe('collectRawSnapshot with probes', () => {
  it('runs a probe on a named node while the nodes are read, and one in a service container after', async () => {
    const log: string[] = [];
    const pending = new Map<string, (answer: RawNodeAnswer) => void>();
    const collecting = collectRawSnapshot(probeExec(log), ['node1', 'node2', 'node3'], [ON_NODE2, IN_SERVICE], (node) =>
      new Promise((resolve) => pending.set(node, resolve)));
    await vi.waitFor(() => expect(log).toEqual(['probe on node2']));
    expect(pending.size).toBe(3); // no read has been answered yet
    for (const [node, answer] of pending) answer(raw.nodes[node]);
    const { probes } = await collecting;
    expect(log).toEqual(['probe on node2', 'probe on node2']); // db's container is on node2
    expect(probes![probeKey(ON_NODE2)]).toEqual({ ran: true, exitCode: 0, output: 'ran on node2', node: 'node2' });
    expect(probes![probeKey(IN_SERVICE)]).toMatchObject({ ran: true, node: 'node2' });
  });

  it('drops an early result when its node turns out unreadable, as if it had waited', async () => {
    const log: string[] = [];
    const nodes: Record<string, RawNodeAnswer> = { ...raw.nodes, node2: { unreachable: 'node `node2` is unreachable: stopped' } };
    const { probes } = await collectRawSnapshot(probeExec(log), ['node1', 'node2', 'node3'], [ON_NODE2], async (node) => nodes[node]);
    expect(log).toEqual(['probe on node2']);
    expect(probes![probeKey(ON_NODE2)]).toEqual({ ran: false, exitCode: -1, output: 'node `node2` cannot be read: node `node2` is unreachable: stopped' });
  });

  it('plans early only probes outside service containers', () => {
    expect(earlyProbes([ON_NODE2, IN_SERVICE, { node: 'node1', service: 'web', command: 'true' }], ['node1', 'node2']).map((p) => p.node)).toEqual(['node2']);
  });
});
