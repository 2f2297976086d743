import { describe, expect, it } from 'vitest';
import { countFailures } from '../../../server/metrics/count-failures.js';

class Backend {
  readonly kind = 'docker' as const;
  #calls = 0;
  async createNode(name: string): Promise<string> {
    this.#calls += 1;
    if (name === 'bad') throw new Error('no such image');
    return `id-${name}`;
  }
  removeNode(name: string): void {
    if (name === 'bad') throw new Error('refused');
  }
  calls(): number {
    return this.#calls;
  }
}

describe('countFailures', () => {
  it('reports rejected and thrown calls by method name and passes the error on unchanged', async () => {
    const failures: string[] = [];
    const backend = countFailures(new Backend(), (operation) => failures.push(operation));
    await expect(backend.createNode('bad')).rejects.toThrow('no such image');
    expect(() => backend.removeNode('bad')).toThrow('refused');
    expect(failures).toEqual(['createNode', 'removeNode']);
  });

  it('leaves successful calls, properties and private state as they were', async () => {
    const failures: string[] = [];
    const backend = countFailures(new Backend(), (operation) => failures.push(operation));
    expect(await backend.createNode('node1')).toBe('id-node1');
    backend.removeNode('node1');
    expect(backend.kind).toBe('docker');
    expect(backend.calls()).toBe(1);
    expect(failures).toEqual([]);
  });
});
