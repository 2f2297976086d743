import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostBridges, sweepLeftoverBridges } from '../../../server/nodes/host-bridges.js';

/** A sysfs-like folder: a bridge has a `bridge` folder, any other link does not. */
function sysNet(links: Record<string, 'bridge' | 'veth'>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sysnet-'));
  for (const [name, kind] of Object.entries(links)) mkdirSync(join(dir, name, ...(kind === 'bridge' ? ['bridge'] : [])), { recursive: true });
  return dir;
}

describe('sweepLeftoverBridges', () => {
  it("removes only this instance's bridges that no Docker network owns", async () => {
    const dir = sysNet({ swabc1234aa0001: 'bridge', swabc1234bb0002: 'bridge', swabc1234cc0003: 'veth', swfff9999dd0004: 'bridge', docker0: 'bridge' });
    expect(hostBridges('swabc1234', dir)).toEqual(['swabc1234aa0001', 'swabc1234bb0002']);
    const deleted: string[] = [];
    const result = await sweepLeftoverBridges('swabc1234', new Set(['swabc1234aa0001']), async (name) => void deleted.push(name), dir);
    expect(deleted).toEqual(['swabc1234bb0002']);
    expect(result).toEqual({ removed: ['swabc1234bb0002'], failed: [] });
  });

  it('reports a bridge it could not remove and goes on with the rest', async () => {
    const dir = sysNet({ swabc1234aa0001: 'bridge', swabc1234bb0002: 'bridge' });
    const result = await sweepLeftoverBridges('swabc1234', new Set(), async (name) => {
      if (name.endsWith('1')) throw new Error('busy');
    }, dir);
    expect(result).toEqual({ removed: ['swabc1234bb0002'], failed: ['swabc1234aa0001'] });
  });

  it('finds nothing where there is no sysfs', async () => {
    expect(await sweepLeftoverBridges('swabc1234', new Set(), async () => undefined, '/no/such/dir')).toEqual({ removed: [], failed: [] });
  });
});
