import type { DockerEngine } from '../engine/docker-engine.js';
import { sessionLabels } from '../engine/labels.js';

/**
 * Starts a throwaway privileged container and reports whether the engine
 * allowed it. Some kernels (CAP_SYS_RESOURCE missing from the bounding set)
 * fail with "unable to apply caps"; nodes then run with an explicit set.
 */
export async function detectPrivileged(engine: DockerEngine, image: string, instance: string): Promise<boolean> {
  const result = await engine.runOnce({
    name: `sw-${instance}-probe-${process.pid}-${Date.now()}`,
    image,
    entrypoint: ['true'],
    privileged: true,
    labels: sessionLabels(instance, 'probe', 'probe'),
  });
  return result.ok;
}
