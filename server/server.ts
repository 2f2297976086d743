import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Config } from './config.js';
import { DockerEngine } from './engine/docker-engine.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { DockerNodeBackend } from './nodes/docker-node-backend.js';
import { LocalNodeBackend } from './nodes/local-node-backend.js';
import { nodeFenceFor } from './nodes/node-fence.js';
import { createPortProxy } from './ports/port-proxy.js';
import { statusRouter } from './ports/status-routes.js';
import { setupTerminals, type Terminals, type WatchAuthorizer } from './terminals/setup-terminals.js';
import type { NodeBackend } from './nodes/node-backend.js';
import { SessionManager } from './sessions/session-manager.js';
import { openDatabase } from './store/database.js';
import { SessionStore } from './store/session-store.js';
import { setupClassroom, type ClassroomSetup } from './classroom/setup-classroom.js';
import { lessonIndex, loadLessons } from './lessons/load-lessons.js';

/** A websocket route: returns true when it took the upgrade. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface RunningServer {
  url: string;
  config: Config;
  sessions: SessionManager;
  terminals: Terminals;
  classroom: ClassroomSetup;
  http: Server;
  log: Logger;
  /** Stops serving. Sessions end unless `keepSessions` (a restart then takes them back). */
  close(options?: { keepSessions?: boolean }): Promise<void>;
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
  const backend = options.backend ?? (config.localProvider ? new LocalNodeBackend(config) : new DockerNodeBackend(engine, config, log));
  // The host firewall around session networks goes up before any node can start (or be taken back).
  const fence = backend.kind === 'docker' ? nodeFenceFor(config) : undefined;
  if (fence) await fence.install();
  else if (backend.kind === 'docker') log.warn('nodes.fence is false: nodes can reach the host, the metadata range and the internet');
  const db = openDatabase(join(config.dataDir, 'workshop.db'));
  const sessions = new SessionManager(backend, config, log, Date.now, new SessionStore(db));
  await sessions.start();
  const lessons = lessonIndex(await loadLessons(config.lessonsDir));
  let url = config.publicUrl ?? '';
  let watchAuthorizer: WatchAuthorizer | undefined;
  const terminals = setupTerminals(sessions, log, undefined, () => watchAuthorizer);
  const classroom = await setupClassroom({ config, db, sessions, lessons, log, baseUrl: () => url, typeIntoTerminal: (id, node, text) => terminals.hub.type(id, node, text) });
  watchAuthorizer = classroom.watchAuthorizer;

  const ports = createPortProxy(sessions, log);
  const upgradeRoutes: UpgradeRoute[] = [terminals.route, (req, socket, head) => ports.upgrade(req, socket, head)];
  const app = createApp({ sessions, log, staticDir: new URL('../client/dist/', import.meta.url).pathname, apiRouters: [['/sessions', statusRouter(sessions)], ...classroom.routers] });
  // The port proxy sees requests before express, so their bodies reach the node unparsed.
  const http = createServer((req, res) => (ports.handles(req) ? ports.handle(req, res) : app(req, res)));
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
  url = config.publicUrl ?? `http://${host}:${port}`;
  log.info({ url, backend: backend.kind }, 'server listening');

  return {
    url,
    config,
    sessions,
    terminals,
    classroom,
    http,
    log,
    async close(closeOptions = {}) {
      terminals.close();
      classroom.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await sessions.stop({ endSessions: !closeOptions.keepSessions });
      // Nodes kept for the next start stay fenced; the fence goes only with them.
      if (!closeOptions.keepSessions) await fence?.remove();
      db.close();
    },
  };
}
