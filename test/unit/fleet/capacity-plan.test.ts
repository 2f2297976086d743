import { describe, expect, it } from 'vitest';
import { BENCHMARK_NODE, planCapacity } from '../../../server/fleet/capacity-plan.js';

describe('planCapacity', () => {
  const threeNodes = { nodes: 3, memoryMb: 3 * BENCHMARK_NODE.memoryMb, cpuCores: 3 * BENCHMARK_NODE.cpuCores };

  it('fits learners by memory (less a reserve for the host), CPU and node limits, whichever binds', () => {
    const plan = planCapacity(
      [
        { name: 'small', memoryMb: 4096, cpus: 2, limits: {} },
        { name: 'big', memoryMb: 65536, cpus: 2, limits: {} },
        { name: 'capped', memoryMb: 65536, cpus: 16, limits: { nodes: 30 } },
      ],
      threeNodes,
    );
    expect(plan.engines.map((e) => [e.name, e.learners, e.boundBy])).toEqual([
      ['small', 8, 'memory'],
      ['big', 23, 'cpu'],
      ['capped', 10, 'nodes'],
    ]);
    expect(plan.total).toBe(41);
  });

  it('agrees with the measured class: a 2-core host of 24 GiB holds about 30 learners of swarm-1m2w', () => {
    const [host] = planCapacity([{ name: 'here', memoryMb: 24105, cpus: 2, limits: {} }], threeNodes).engines;
    expect(host.learners).toBeGreaterThanOrEqual(20);
    expect(host.learners).toBeLessThanOrEqual(30);
  });
});
