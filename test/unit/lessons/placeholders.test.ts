import { describe, expect, it } from 'vitest';
import { computePlaceholderValues } from '../../../server/lessons/placeholder-values.js';
import { fillPlaceholders, isKnownPlaceholder, listPlaceholders, MissingPlaceholderError } from '../../../server/lessons/placeholders.js';

describe('placeholders', () => {
  it('lists placeholders and ignores Go templates', () => {
    expect(listPlaceholders("{{node1.ip}} {{ swarm.worker_token }} {{.Status}} {{json .Spec}} {{node1.ip}}")).toEqual(['node1.ip', 'swarm.worker_token']);
  });

  it('fills from a values map', () => {
    expect(fillPlaceholders('join {{manager.ip}}:2377 -f {{.ID}}', { 'manager.ip': '10.1.2.3' })).toBe('join 10.1.2.3:2377 -f {{.ID}}');
  });

  it('names every missing value', () => {
    expect(() => fillPlaceholders('{{swarm.worker_token}} {{node2.ip}}', {})).toThrow(MissingPlaceholderError);
    expect(() => fillPlaceholders('{{swarm.worker_token}} {{node2.ip}}', {})).toThrow('no value yet for {{swarm.worker_token}}, {{node2.ip}}');
  });

  it('knows which names are valid for a template', () => {
    expect(isKnownPlaceholder('node3.ip', ['node1', 'node2', 'node3'])).toBe(true);
    expect(isKnownPlaceholder('node4.ip', ['node1', 'node2', 'node3'])).toBe(false);
    expect(isKnownPlaceholder('swarm.secret', ['node1'])).toBe(false);
  });
});

describe('computePlaceholderValues', () => {
  const nodes = [{ name: 'node1', address: '10.0.0.2', role: 'worker' }, { name: 'node2', address: '10.0.0.3', role: 'manager' }];

  it('reads tokens from the first manager that answers', async () => {
    const asked: string[] = [];
    const values = await computePlaceholderValues(nodes, async (node) => {
      asked.push(node);
      return { exitCode: 0, output: 'SWMTKN-1-w\n@@manager-token\nSWMTKN-1-m\n' };
    });
    expect(asked).toEqual(['node2']);
    expect(values).toEqual({ 'node1.ip': '10.0.0.2', 'node2.ip': '10.0.0.3', 'manager.ip': '10.0.0.3', 'swarm.worker_token': 'SWMTKN-1-w', 'swarm.manager_token': 'SWMTKN-1-m' });
  });

  it('leaves tokens out before the swarm exists', async () => {
    const values = await computePlaceholderValues(nodes, async () => ({ exitCode: 1, output: 'This node is not a swarm manager.' }));
    expect(values).toEqual({ 'node1.ip': '10.0.0.2', 'node2.ip': '10.0.0.3', 'manager.ip': '10.0.0.2' });
  });
});
