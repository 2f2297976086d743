import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Config } from './config.js';
import { DockerEngine } from './engine/docker-engine.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { DockerNodeBackend } from './nodes/docker-node-backend.js';
import type { NodeBackend } from './nodes/node-backend.js';
import { SessionManager } from './sessions/session-manager.js';

/** A websocket route: returns true when it took the upgrade. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface RunningServer {
  url: string;
  config: Config;
  sessions: SessionManager;
  http: Server;
  log: Logger;
  close(): Promise<void>;
}

export interface ServerOptions {
  engine?: DockerEngine;
  backend?: NodeBackend;
  log?: Logger;
}

/** Wires the parts together; the one place that knows all of them. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const engine = options.engine ?? new DockerEngine();
  const backend = options.backend ?? new DockerNodeBackend(engine, config, log);
  const sessions = new SessionManager(backend, config, log);
  await sessions.start();

  const upgradeRoutes: UpgradeRoute[] = [];
  const app = createApp({ sessions, log, staticDir: new URL('../client/dist/', import.meta.url).pathname });
  const http = createServer(app);
  http.on('upgrade', (req, socket, head) => {
    if (!upgradeRoutes.some((route) => route(req, socket, head))) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl ?? `http://${host}:${port}`;
  log.info({ url, backend: backend.kind }, 'server listening');

  return {
    url,
    config,
    sessions,
    http,
    log,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await sessions.stop();
    },
  };
}
