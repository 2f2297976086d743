import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type ConfigInput } from './config.js';
import { DockerEngine, EngineUnavailableError } from './engine/docker-engine.js';
import { engineDeadlines } from './engine/engine-deadline.js';
import { ensureNodeImage } from './images/node-image-builder.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { chooseProgress } from './startup/progress.js';

async function main(overrides: ConfigInput): Promise<void> {
  const config = loadConfig({ env: process.env, overrides });
  const log = createLogger(config.logLevel, config.logFormat);
  mkdirSync(config.dataDir, { recursive: true });
  const engine = new DockerEngine(undefined, engineDeadlines(config.limits.engineTimeoutSeconds));
  if (config.localProvider) {
    log.warn('local provider: nodes are plain shells on this host, without any isolation (development only)');
  } else {
    const { version } = await engine.ping();
    log.info({ version }, 'Docker engine answers');
    await ensureNodeImage(engine, {
      nodeImage: config.images.node,
      workDir: join(config.dataDir, 'build'),
      debianMirror: config.images.debianMirror,
      progress: chooseProgress(config.logFormat, (record, level) => log[level](record)),
    });
  }
  const server = await startServer(config, { engine, log });
  console.log(`\n  Swarm workshop is ready: ${server.url}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping; running sessions are kept for the next start');
    await server.close({ keepSessions: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Prepares the engine and the node image, then serves until stopped; `overrides` come from `workshop serve`'s options. */
export function serve(overrides: ConfigInput = {}): Promise<void> {
  return main(overrides).catch((error) => {
    if (error instanceof ConfigError || error instanceof EngineUnavailableError) {
      console.error(`error: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  });
}

// `npm start` runs this file directly; `workshop serve` imports it and calls serve() with its options.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await serve();
