import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { DockerEngine } from '../../server/engine/docker-engine.js';
import { ensureNodeImage } from '../../server/images/node-image-builder.js';
import { jsonProgress } from '../../server/startup/progress.js';

/**
 * Runs once before the Docker-backed tiers: the engine must answer (scripts/prepare-host.sh
 * starts one) and the node image must match its recipe. Builds it if not, with progress.
 */
export default async function setup(): Promise<void> {
  const config = loadConfig({ env: process.env });
  const engine = new DockerEngine();
  await engine.ping();
  await ensureNodeImage(engine, {
    nodeImage: config.images.node,
    workDir: join(config.dataDir, 'build'),
    debianMirror: config.images.debianMirror,
    // Only phases: a test log does not need every package debootstrap unpacks.
    progress: jsonProgress((record) => {
      if (record.phase) process.stdout.write(`[images] ${JSON.stringify(record)}\n`);
    }),
  });
}
