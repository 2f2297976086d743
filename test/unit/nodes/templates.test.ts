import { describe, expect, it } from 'vitest';
import { nextNodeName, planNodes, PlanError, TEMPLATES } from '../../../server/nodes/templates.js';

describe('planNodes', () => {
  it('expands the named templates', () => {
    expect(planNodes({ template: 'single', swarm: false }, 5).map((n) => n.name)).toEqual(['node1']);
    expect(planNodes({ template: 'swarm-3m2w', swarm: true }, 5).map((n) => `${n.name}:${n.role}`)).toEqual([
      'node1:manager', 'node2:manager', 'node3:manager', 'node4:worker', 'node5:worker',
    ]);
  });

  it('defaults to one node when neither template nor nodes is given', () => {
    expect(planNodes({ swarm: false }, 5)).toEqual([TEMPLATES.single[0]]);
  });

  it('gives roles to an explicit list when the swarm is pre-formed: first node manager, others workers', () => {
    const planned = planNodes({ nodes: [{ name: 'alpha' }, { name: 'beta' }], swarm: true }, 5);
    expect(planned).toEqual([{ name: 'alpha', role: 'manager' }, { name: 'beta', role: 'worker' }]);
  });

  it('refuses more nodes than the per-session limit, duplicates, and a worker first in a swarm', () => {
    expect(() => planNodes({ template: 'swarm-3m2w', swarm: false }, 3)).toThrow(new PlanError('a session has at most 3 nodes; asked for 5'));
    expect(() => planNodes({ nodes: [{ name: 'a' }, { name: 'a' }], swarm: false }, 5)).toThrow('node name a appears twice');
    expect(() => planNodes({ nodes: [{ name: 'a', role: 'worker' }], swarm: true }, 5)).toThrow('must be a manager');
  });

  it('never hands out the template objects themselves', () => {
    const planned = planNodes({ template: 'single', swarm: false }, 5);
    planned[0].name = 'changed';
    expect(TEMPLATES.single[0].name).toBe('node1');
  });
});

describe('nextNodeName', () => {
  it('takes the first free nodeN', () => {
    expect(nextNodeName(['node1', 'node3'])).toBe('node2');
    expect(nextNodeName([])).toBe('node1');
  });
});
