import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The bridges on this host whose names start with `prefix` (a bridge has a `bridge` folder in sysfs). */
export function hostBridges(prefix: string, sysNet = '/sys/class/net'): string[] {
  let names: string[];
  try {
    names = readdirSync(sysNet);
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith(prefix) && existsSync(join(sysNet, name, 'bridge'))).sort();
}

export type LinkRemover = (name: string) => Promise<void>;

/** `ip link delete <name>`, with an argument array, never a shell. */
export const deleteLink: LinkRemover = (name) =>
  new Promise((resolve, reject) => {
    execFile('ip', ['link', 'delete', name], { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`ip link delete ${name}: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });

/**
 * Removes this instance's session bridges that no Docker network owns. dockerd stopped in the middle of a
 * network's removal can leave the bridge behind, and a bridge left behind keeps its subnet's route: a later
 * session given that subnet cannot be reached from the host (the port proxy answers 502). Session bridges
 * carry the instance's prefix (node-fence.ts `bridgeName`), so nothing of another server or of Docker's own
 * is touched. Runs at start, before this server makes networks.
 */
export async function sweepLeftoverBridges(
  prefix: string,
  owned: ReadonlySet<string>,
  remove: LinkRemover = deleteLink,
  sysNet = '/sys/class/net',
): Promise<{ removed: string[]; failed: string[] }> {
  const removed: string[] = [];
  const failed: string[] = [];
  for (const name of hostBridges(prefix, sysNet)) {
    if (owned.has(name)) continue;
    try {
      await remove(name);
      removed.push(name);
    } catch {
      failed.push(name);
    }
  }
  return { removed, failed };
}
