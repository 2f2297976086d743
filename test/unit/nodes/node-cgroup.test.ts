import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNodeCgroupParent, NODE_CGROUP_PARENT, NODE_DEVICE_RULES } from '../../../server/nodes/node-cgroup.js';

/** A directory shaped like a cgroup v1 devices hierarchy (plain files: the kernel's bookkeeping is not there). */
function hierarchy(parentList?: string, child = false): string {
  const root = mkdtempSync(join(tmpdir(), 'devices-'));
  writeFileSync(join(root, 'devices.list'), 'a *:* rwm\n');
  if (parentList !== undefined) {
    mkdirSync(join(root, NODE_CGROUP_PARENT));
    writeFileSync(join(root, NODE_CGROUP_PARENT, 'devices.list'), parentList);
    if (child) mkdirSync(join(root, NODE_CGROUP_PARENT, 'abc123'));
  }
  return root;
}

describe('ensureNodeCgroupParent', () => {
  it('does nothing where there is no cgroup v1 devices hierarchy', async () => {
    expect(await ensureNodeCgroupParent(mkdtempSync(join(tmpdir(), 'none-')))).toBeUndefined();
  });

  it('uses a parent that already has the narrow rules, in any order, without touching it', async () => {
    const root = hierarchy([...NODE_DEVICE_RULES].reverse().join('\n') + '\n', true);
    expect(await ensureNodeCgroupParent(root)).toBe(`/${NODE_CGROUP_PARENT}`);
  });

  it('refuses a wide parent that has nodes under it, since its rules cannot change then', async () => {
    const root = hierarchy('a *:* rwm\n', true);
    await expect(ensureNodeCgroupParent(root)).rejects.toThrow(/allows more devices than nodes need/);
  });

  it('denies everything, then allows the narrow list, on a fresh parent', async () => {
    const root = hierarchy('a *:* rwm\n');
    // Plain files keep only the last write, so the list never matches: the function must say so rather than go on.
    await expect(ensureNodeCgroupParent(root)).rejects.toThrow(/could not narrow/);
    expect(readFileSync(join(root, NODE_CGROUP_PARENT, 'devices.deny'), 'utf8')).toBe('a');
    expect(readFileSync(join(root, NODE_CGROUP_PARENT, 'devices.allow'), 'utf8')).toBe(NODE_DEVICE_RULES.at(-1));
  });
});
