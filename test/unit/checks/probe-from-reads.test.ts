import { describe, expect, it } from 'vitest';
import { collectRawSnapshot, type NodeExec } from '../../../server/checks/collect-snapshot.js';
import { probeFromReads } from '../../../server/checks/probe-from-reads.js';
import { probeKey } from '../../../server/checks/probe-plan.js';
import type { RawNodeDocument, RawSnapshot } from '../../../server/checks/snapshot.js';
import { loadRaw } from './fixtures.js';

const NO_LEADER = "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

/** The recorded swarm, with node1's manager refusing its lists as a manager without quorum does. */
function withoutQuorum(): RawSnapshot {
  const raw = loadRaw('swarm-1m2w-services');
  const node1 = raw.nodes.node1 as RawNodeDocument;
  raw.nodes.node1 = { ...node1, nodes: { message: `${NO_LEADER}\n` }, services: { message: NO_LEADER }, tasks: { message: NO_LEADER } };
  return raw;
}

describe('probeFromReads', () => {
  it('answers `docker node ls` on a manager that refused the node list, as the CLI prints the refusal', () => {
    expect(probeFromReads({ node: 'node1', command: ' docker node ls ' }, withoutQuorum())).toEqual({ ran: true, exitCode: 1, output: `Error response from daemon: ${NO_LEADER}`, node: 'node1' });
  });

  it('leaves every other probe to its command: a listed swarm, a worker, another command, a service', () => {
    const raw = withoutQuorum();
    expect(probeFromReads({ node: 'node1', command: 'docker node ls' }, loadRaw('swarm-1m2w-services'))).toBeUndefined();
    expect(probeFromReads({ node: 'node2', command: 'docker node ls' }, raw)).toBeUndefined();
    expect(probeFromReads({ node: 'node1', command: 'docker node ls -q' }, raw)).toBeUndefined();
    expect(probeFromReads({ node: 'node1', service: 'web', command: 'docker node ls' }, raw)).toBeUndefined();
    expect(probeFromReads({ node: 'node9', command: 'docker node ls' }, raw)).toBeUndefined();
  });

  it('is how a run answers such a probe, without waiting for its command', async () => {
    const raw = withoutQuorum();
    const spec = { node: 'node1', command: 'docker node ls' };
    const never: NodeExec = () => new Promise(() => undefined); // the early command never answers
    const { probes } = await collectRawSnapshot(never, ['node1', 'node2', 'node3'], [spec], async (node) => raw.nodes[node]);
    expect(probes![probeKey(spec)]).toMatchObject({ ran: true, exitCode: 1, output: expect.stringContaining('does not have a leader') });
  });
});
