import type { DockerEngine } from '../engine/docker-engine.js';
import { detectPrivileged } from '../nodes/privilege-probe.js';

// The daemon is idle once the images are loaded (no containers, no pulls), so its store can be copied as it is.
const SEED_STEPS = [
  'mkdir -p /opt/workshop/docker-seed',
  'cp -a /var/lib/docker/image /var/lib/docker/overlay2 /opt/workshop/docker-seed/',
  'rm -f /opt/workshop/lesson-images.tar',
].join(' && ');

/**
 * Starts the staged node image once as a node, lets it load the lesson images, and commits the result with
 * a copy of its image store in /opt/workshop/docker-seed. A node's entrypoint copies that into its empty
 * /var/lib/docker before its daemon starts, which is much cheaper than `docker load` on every start.
 */
export async function seedImageStore(engine: DockerEngine, stage: string, target: string, labels: Record<string, string>): Promise<void> {
  const privileged = await detectPrivileged(engine, stage, 'image-build');
  const id = await engine.createNodeContainer({
    name: `swarm-workshop-seed-${process.pid}-${Date.now()}`,
    hostname: 'seed',
    image: stage,
    network: 'none',
    labels,
    env: [],
    memoryBytes: 1024 * 1024 * 1024,
    pidsLimit: 1024,
    nanoCpus: 1e9,
    tmpfs: { '/var/lib/docker': 'rw,exec,size=512m', '/run': 'rw,exec,size=64m', '/var/log': 'rw,size=32m', '/etc/docker': 'rw,size=1m' },
    privileged,
    readonlyRootfs: false,
  });
  try {
    await engine.startContainer(id);
    const ready = await engine.exec(id, ['node-wait-ready', '1200'], { timeoutMs: 90_000, maxOutputBytes: 8192 });
    if (ready.exitCode !== 0) throw new Error(`the seeding node did not start: ${ready.output}`);
    const seeded = await engine.exec(id, ['bash', '-c', SEED_STEPS], { timeoutMs: 60_000, maxOutputBytes: 8192 });
    if (seeded.exitCode !== 0) throw new Error(`could not copy the image store: ${seeded.output}`);
    await engine.stopContainer(id);
    const index = target.lastIndexOf(':');
    await engine.commitContainer(id, target.slice(0, index), target.slice(index + 1), labels);
  } finally {
    await engine.removeContainer(id);
  }
}
