import { existsSync } from 'node:fs';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A parent cgroup for nodes whose device rules are already narrow (cgroup v1). A node holds SYS_ADMIN and a
 * writable view of its own cgroup (its daemon creates cgroups for its containers), so it could write
 * `b 8:0 rwm` into its own devices.allow and read the host's disk: the kernel only refuses what the parent
 * cgroup does not allow, and Docker's default parent allows everything. Under this parent it cannot.
 *
 * On cgroup v2 device rules are eBPF programs that runc attaches per container; there is no parent list to
 * narrow, and this does nothing (docs/security.md says so).
 */
export const NODE_CGROUP_PARENT = 'swarm-workshop-nodes';

/** Docker's default device list for a container: all a node's daemon and its containers use. */
export const NODE_DEVICE_RULES = [
  'c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm',
  'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 10:200 rwm', 'c 136:* rwm',
];

/**
 * Creates the parent (idempotent) and returns its name for CgroupParent, or undefined where the host has no
 * cgroup v1 devices hierarchy. Its rules can only be narrowed while no node runs under it; a parent found
 * with other rules and running nodes is refused rather than used.
 */
export async function ensureNodeCgroupParent(root = '/sys/fs/cgroup/devices'): Promise<string | undefined> {
  if (!existsSync(join(root, 'devices.list'))) return undefined;
  const dir = join(root, NODE_CGROUP_PARENT);
  await mkdir(dir, { recursive: true });
  // Absolute: a relative parent would be placed under the engine daemon's own cgroup.
  const parent = `/${NODE_CGROUP_PARENT}`;
  if (sameRules(await readFile(join(dir, 'devices.list'), 'utf8'))) return parent;
  const children = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  if (children.length) throw new Error(`${dir} allows more devices than nodes need and has running containers; stop them and start again`);
  await writeFile(join(dir, 'devices.deny'), 'a');
  for (const rule of NODE_DEVICE_RULES) await writeFile(join(dir, 'devices.allow'), rule);
  if (!sameRules(await readFile(join(dir, 'devices.list'), 'utf8'))) throw new Error(`could not narrow the device rules of ${dir}`);
  return parent;
}

function sameRules(list: string): boolean {
  const rules = list.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  return rules.join('\n') === [...NODE_DEVICE_RULES].sort().join('\n');
}
