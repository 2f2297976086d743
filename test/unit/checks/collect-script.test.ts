import { execFileSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { collectScript, parseProbeOutput, probeScript } from '../../../server/checks/collect-script.js';
import { collectSnapshot } from '../../../server/checks/collect-snapshot.js';
import { planProbes, shellQuote } from '../../../server/checks/probe-plan.js';
import { loadRaw, loadSnapshot } from './fixtures.js';

describe('collector script', () => {
  it('is valid POSIX sh', () => {
    execFileSync('sh', ['-n', '-c', collectScript()]);
    execFileSync('sh', ['-n', '-c', probeScript(['sh -c ' + shellQuote("echo 'it''s'"), 'cat /x'])]);
  });

  it('runs probes and reads their output back', () => {
    const output = execFileSync('sh', ['-c', probeScript(['printf "a b\\nc"', 'exit 4'])]).toString();
    expect(parseProbeOutput(output)).toEqual([{ index: 0, exitCode: 0, output: 'a b\nc' }, { index: 1, exitCode: 4, output: '' }]);
  });

  it('reads one exec per node, all of them at once, and reports an unreachable node', async () => {
    const raw = loadRaw('swarm-1m2w-services');
    // Each exec waits until the test answers it, so the test sees how many are running at the same time.
    const running = new Map<string, () => void>();
    const collecting = collectSnapshot(
      (node) =>
        new Promise((resolve, reject) => {
          running.set(node, () => (node === 'node3' ? reject(new Error('container is not running')) : resolve({ exitCode: 0, output: JSON.stringify(raw.nodes[node]) })));
        }),
      ['node1', 'node2', 'node3'],
    );
    await vi.waitFor(() => expect([...running.keys()]).toEqual(['node1', 'node2', 'node3']));
    for (const answer of [...running.values()].reverse()) answer();
    const snapshot = await collecting;
    expect(snapshot.nodes.map((n) => [n.name, n.error ?? 'ok', n.manager ? 'manager' : '-'])).toEqual([
      ['node1', 'ok', 'manager'], ['node2', 'ok', '-'], ['node3', 'node `node3` is unreachable: container is not running', '-'],
    ]);
  });

  it('plans probes in a running container of the service', () => {
    const { planned, settled } = planProbes([{ service: 'db', file: '/data/x' }, { service: 'db', node: 'node1', file: '/data/x' }, { node: 'node9', command: 'true' }], loadSnapshot('swarm-1m2w-services'));
    expect(planned).toHaveLength(1);
    expect(planned[0].node).toBe('node2');
    expect(planned[0].command).toMatch(/^timeout 8 docker exec [0-9a-f]{64} cat '\/data\/x'$/);
    expect(Object.values(settled).map((r) => r.output)).toEqual(['no running container of service `db` on `node1`', 'node `node9` is not part of this session']);
  });
});
