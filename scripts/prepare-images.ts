// Builds (or confirms) the node image and the lesson images, printing progress. Used by start.sh and the tests.
import { join } from 'node:path';
import { loadConfig } from '../server/config.js';
import { DockerEngine } from '../server/engine/docker-engine.js';
import { ensureNodeImage } from '../server/images/node-image-builder.js';
import { chooseProgress } from '../server/startup/progress.js';

const config = loadConfig({ env: process.env });
const engine = new DockerEngine();
const started = Date.now();
try {
  await engine.ping();
  await ensureNodeImage(engine, {
    nodeImage: config.images.node,
    workDir: join(config.dataDir, 'build'),
    debianMirror: config.images.debianMirror,
    progress: chooseProgress(config.logFormat, (record, level) => console.log(JSON.stringify({ images: true, level, ...record }))),
  });
  console.log(`[images] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[images] failed: ${(error as Error).message}`);
  process.exit(1);
}
