import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Router } from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { setupChecks, type ChecksSetup } from './checks/setup-checks.js';
import { setupClassroom, type ClassroomSetup } from './classroom/setup-classroom.js';
import { accessMode, appListenPort, sessionAccess, type Config } from './config.js';
import { DockerEngine } from './engine/docker-engine.js';
import { engineDeadlines } from './engine/engine-deadline.js';
import { CapacityError } from './errors.js';
import { Grading } from './grading/grading.js';
import { createApp } from './http/app.js';
import { AppLinks } from './http/app-links.js';
import { classroomRouter, lessonRequester } from './http/classroom-routes.js';
import { instructorRouter } from './http/instructor-routes.js';
import { healthRouter, metricsEndpoint } from './http/health-routes.js';
import { lessonChangesRouter, LESSON_CHANGES_CHANNEL } from './http/lesson-changes-routes.js';
import { createPortProxy } from './http/port-proxy.js';
import { statusRouter } from './http/status-routes.js';
import { LessonLibrary, lessonFolders } from './lessons/lesson-library.js';
import { setupLessons } from './lessons/setup-lessons.js';
import { createLogger, type Logger } from './logger.js';
import { countFailures } from './metrics/count-failures.js';
import { PrometheusMetrics } from './metrics/prometheus-metrics.js';
import { routeClass } from './metrics/route-class.js';
import { DockerNodeBackend } from './nodes/docker-node-backend.js';
import { setupFleet, type FleetSetup } from './fleet/setup-fleet.js';
import { fleetOffers, singleEngineOffer, thisHostOffer } from './fleet/engine-offers.js';
import { singleEngineView } from './fleet/single-engine-view.js';
import { capacityRouter, fleetRouter, singleEngineRouter } from './http/fleet-routes.js';
import { LocalNodeBackend } from './nodes/local-node-backend.js';
import { sweepLeftoverBridges } from './nodes/host-bridges.js';
import { bridgePrefix, nodeFenceFor, processEnded, sweepStaleFences } from './nodes/node-fence.js';
import type { NodeBackend } from './nodes/node-backend.js';
import { SessionManager } from './sessions/session-manager.js';
import { openDatabase } from './store/database.js';
import { SessionStore } from './store/session-store.js';
import { setupTerminals, type Terminals } from './terminals/setup-terminals.js';

/** A websocket route: returns true when it took the upgrade. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface RunningServer {
  url: string;
  config: Config;
  sessions: SessionManager;
  terminals: Terminals;
  checks: ChecksSetup;
  classroom: ClassroomSetup;
  grading: Grading;
  http: Server;
  /** The learners' apps' own listener (docs/terminals.md, "Port proxy"), and its URL. */
  apps: Server;
  appsUrl: string;
  log: Logger;
  metrics: PrometheusMetrics;
  /** The served lessons, live: edits to a watched lesson file show up here. */
  lessons: LessonLibrary;
  /** The engines sessions are placed on, when the config names several (config `engines`). */
  fleet?: FleetSetup;
  /** Stops serving. Sessions end unless `keepSessions` (a restart then takes them back). */
  close(options?: { keepSessions?: boolean }): Promise<void>;
}

export interface ServerOptions {
  engine?: DockerEngine;
  backend?: NodeBackend;
  log?: Logger;
}

/**
 * Wires the parts together; the one place that knows all of them. Each part is built after what it needs,
 * so nothing is bound late: sessions, then checks, the classroom (which reads checks' results), terminals
 * (which let the classroom's instructor watch), lessons (which type into terminals), grading, and the routes.
 */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const engine = options.engine ?? new DockerEngine(undefined, engineDeadlines(config.limits.engineTimeoutSeconds));
  const metrics = new PrometheusMetrics();
  const db = openDatabase(join(config.dataDir, 'workshop.db'));
  // Configured engines: sessions are placed over them (server/fleet); otherwise the one engine, as always.
  const fleet = !options.backend && !config.localProvider && config.engines.length ? await setupFleet(config, db, log) : undefined;
  const bareBackend = options.backend ?? fleet?.backend ?? (config.localProvider ? new LocalNodeBackend(config) : new DockerNodeBackend(engine, config, log));
  // Every engine call of a session goes through the backend: failures are counted there (a full server is not one).
  const backend = countFailures(bareBackend, (operation, error) => {
    if (!(error instanceof CapacityError)) metrics.engineCallFailed(operation);
  });
  // The host firewall around session networks goes up before any node can start (or be taken back).
  // With several engines, only one on this host has session networks here to fence.
  const fence = backend.kind === 'docker' && (!fleet || fleet.registry.list().some((e) => e.local)) ? nodeFenceFor(config) : undefined;
  if (fence) {
    const stale = await sweepStaleFences(config.subnetPool, config.instance, async (owner) => processEnded(owner.pid) && (await engine.listContainers(owner.instance)).length === 0);
    if (stale.removed.length) log.info({ instances: stale.removed }, 'removed the node fences of servers that are gone');
    if (stale.unmarked.length) log.warn({ chains: stale.unmarked }, 'node fences of an unknown owner refuse host ports to nodes on this subnet pool; remove them with iptables if no server uses them');
    // Only an engine on this host owns this host's bridges: a remote engine's networks say nothing about them.
    const bridges = engine.onThisHost ? await sweepLeftoverBridges(bridgePrefix(config.instance), await engine.bridgeNames()) : { removed: [], failed: [] };
    if (bridges.removed.length) log.info({ bridges: bridges.removed }, 'removed session bridges that no Docker network owns');
    if (bridges.failed.length) log.warn({ bridges: bridges.failed }, 'session bridges that no Docker network owns could not be removed; their subnets stay routed to them until `ip link delete` removes them');
    await fence.install();
  }
  else if (fleet && !fleet.registry.list().some((e) => e.local)) log.warn('no engine is on this host: install the node fence on each Docker host yourself (docs/scaling.md)');
  else if (backend.kind === 'docker') log.warn('nodes.fence is false: nodes can reach the host, the metadata range and the internet');
  const sessions = new SessionManager(backend, config, log, Date.now, new SessionStore(db), metrics);
  await sessions.start();
  metrics.observeCensus(() => sessions.census());
  if (fleet) metrics.observeEngines(() => fleet.backend.census());
  const library = await LessonLibrary.open(lessonFolders(config), { watch: config.watchLessons, log });
  const lessons = library.lessons;
  let url = config.publicUrl ?? '';

  const checks = setupChecks({ config, db, sessions, lessons, log });
  const grading = new Grading({ checks: checks.runner, results: checks.results, lessons, log });
  const classroom = await setupClassroom({ config, db, sessions, lessons, progress: checks.runner, grading, checkRuns: checks.runner, log, baseUrl: () => url });
  // During an exam its lessons' hints and solutions are withheld, from the lesson view and from check results.
  checks.runner.hideHelpWhen((lessonId, owner) => classroom.classroom.helpHiddenForOwner(lessonId, owner));
  checks.schedule(classroom.classroom);
  checks.runner.onRun(({ run }) => metrics.checksRan(run.durationMs / 1000, run.passed));
  fleet?.failOver(sessions, (learnerId, reason) => classroom.classroom.moveLearner(learnerId, reason));
  // Browsers' websockets are accepted from the workshop's own origin only (and its public URL behind a proxy).
  const terminals = setupTerminals(sessions, log, { watch: classroom.watch, allowedOrigins: config.publicUrl ? [config.publicUrl] : [], metrics });
  metrics.observeTerminals(() => terminals.hub.size);
  const lessonRoutes = setupLessons({
    sessions,
    lessons,
    checks: checks.runner,
    terminals: terminals.hub,
    // Scoped to the exam's learners: a self-paced learner on the same lesson keeps hints, solutions and Run.
    helpHidden: (lessonId, req) => classroom.classroom.helpHiddenFor(lessonId, lessonRequester(req)),
    runHidden: (lessonId, owner) => classroom.classroom.helpHiddenForOwner(lessonId, owner),
  });
  let appsPort = 0;
  const links = new AppLinks({
    domain: config.ports.domain,
    publicUrl: config.ports.publicUrl,
    scheme: config.publicUrl?.startsWith('https:') ? 'https:' : 'http:',
    listenPort: () => appsPort,
    linkSeconds: config.ports.linkSeconds,
    cookieMinutes: config.ports.cookieMinutes,
  });
  const ports = createPortProxy(sessions, links, log, { appOrigins: config.ports.publicUrl ? [config.ports.publicUrl] : [] });

  const { auth, hub } = classroom;
  library.onChange(({ ids }) => hub.publish(LESSON_CHANGES_CHANNEL, { type: 'lesson-changed', ids }));
  const metricsRoute = metricsEndpoint(metrics, config.metricsToken, log);
  const app = createApp({
    sessions,
    log,
    access: sessionAccess(config),
    staticDir: new URL('../client/dist/', import.meta.url).pathname,
    apiRouters: [
      ['/health', healthRouter({ engine: backend.kind === 'docker' ? (fleet?.registry.list()[0].engine ?? engine) : undefined, nodeImage: config.images.node, db })],
      ['/lesson-changes', lessonChangesRouter(hub)],
      ['/sessions', statusRouter(sessions)],
      ...checks.routers,
      ...lessonRoutes.routers,
      ['', classroomRouter(classroom.classroom, sessions, hub)],
      ...(fleet
        ? [['/instructor/engines', fleetRouter(fleet, classroom.auth)] as [string, Router]]
        : backend.kind === 'docker'
          ? [['/instructor/engines', singleEngineRouter(() => singleEngineView(engine, sessions.census(), config), classroom.auth)] as [string, Router]]
          : []),
      ['/instructor/capacity', capacityRouter(fleet ? fleetOffers(fleet.registry) : backend.kind === 'docker' ? singleEngineOffer(engine) : thisHostOffer(), classroom.auth, lessons, config.limits)],
      ['/instructor', instructorRouter({ sessions, checks: checks.runner, auth, classroom: classroom.classroom, grading, hub })],
    ],
  });
  const upgradeRoutes: UpgradeRoute[] = [terminals.route, (req, socket, head) => ports.upgrade(req, socket, head)];
  // The port proxy sees requests before express, so their bodies reach the node unparsed; /metrics is not API.
  const http = createServer((req, res) => {
    // Classified now: express rewrites req.url while a mounted router handles it.
    const route = routeClass(req.url ?? '/');
    res.once('finish', () => metrics.httpResponse(route, res.statusCode));
    if (ports.handles(req)) ports.handle(req, res);
    else if (metricsRoute.handles(req)) void metricsRoute.handle(req, res);
    else app(req, res);
  });
  http.on('upgrade', (req, socket, head) => {
    if (!upgradeRoutes.some((route) => route(req, socket, head))) {
      metrics.websocketError(routeClass(req.url ?? '/'), '404');
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  // Learners' apps get a listener of their own: another origin, so an app never runs beside the workshop's pages.
  const apps = createServer((req, res) => ports.handleApp(req, res));
  apps.on('upgrade', (req, socket, head) => ports.upgradeApp(req, socket, head));
  await listen(http, config.port, config.host);
  await listen(apps, appListenPort(config), config.host).catch((error) => {
    http.close();
    throw error;
  });
  const { port } = http.address() as AddressInfo;
  appsPort = (apps.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  url = config.publicUrl ?? `http://${host}:${port}`;
  const appsUrl = config.ports.publicUrl ?? `http://${host}:${appsPort}`;
  log.info({ url, apps: appsUrl, access: accessMode(config), backend: backend.kind }, 'server listening');

  return {
    url,
    config,
    sessions,
    terminals,
    checks,
    classroom,
    grading,
    http,
    apps,
    appsUrl,
    log,
    metrics,
    lessons: library,
    ...(fleet ? { fleet } : {}),
    async close(closeOptions = {}) {
      library.close();
      fleet?.close();
      terminals.close();
      checks.close();
      classroom.close();
      for (const server of [http, apps]) server.closeAllConnections();
      await Promise.all([http, apps].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      const nodesKept = closeOptions.keepSessions ? sessions.census().nodes.active : 0;
      await sessions.stop({ endSessions: !closeOptions.keepSessions });
      // Nodes kept for the next start stay fenced; the fence goes only with them.
      if (nodesKept === 0) await fence?.remove();
      db.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
