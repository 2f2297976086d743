import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { DockerEngine } from '../engine/docker-engine.js';
import { LABEL } from '../engine/labels.js';
import { nodeRecipe } from '../images/recipe.js';
import type { Logger } from '../logger.js';
import type { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type { Db } from '../store/database.js';
import { sessionToken } from './credentials.js';

/** One part the server needs to start sessions, as `/api/health` reports it. */
export interface PartHealth {
  ok: boolean;
  detail: string;
}

export interface HealthDeps {
  /** Absent when nodes are local shells (no engine, no node image needed). */
  engine?: DockerEngine;
  /** The node image's name without tag (config `images.node`). */
  nodeImage: string;
  db: Db;
  /** The recipe digest the node image must carry; read from images/ by default. */
  recipeDigest?: () => string;
}

const PING_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function engineHealth(engine: DockerEngine): Promise<PartHealth> {
  try {
    await withTimeout(engine.ping(), PING_TIMEOUT_MS, 'the Docker engine');
    return { ok: true, detail: 'the Docker engine answers' };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/** Present is what sessions need; a digest other than the recipe's means images/ changed since it was built (a restart rebuilds it). */
async function nodeImageHealth(engine: DockerEngine, nodeImage: string, recipeDigest: () => string): Promise<PartHealth> {
  const tag = `${nodeImage}:latest`;
  try {
    const labels = await withTimeout(engine.imageLabels(tag), PING_TIMEOUT_MS, 'the Docker engine');
    if (!labels) return { ok: false, detail: `node image ${tag} is missing (npm start builds it)` };
    const built = labels[LABEL.recipe];
    const wanted = recipeDigest();
    if (built !== wanted) return { ok: true, detail: `node image ${tag} is present but built from recipe ${built ?? 'unknown'}, not the current ${wanted}: restart the server to rebuild it` };
    return { ok: true, detail: `node image ${tag} is present and matches its recipe (${wanted})` };
  } catch (error) {
    return { ok: false, detail: `node image ${tag} could not be read: ${(error as Error).message}` };
  }
}

function storeHealth(db: Db): PartHealth {
  try {
    db.prepare('SELECT count(*) AS sessions FROM sessions').get();
    return { ok: true, detail: 'the store answers' };
  } catch (error) {
    return { ok: false, detail: `the store does not answer: ${(error as Error).message}` };
  }
}

/**
 * `GET /api/health`: the engine, the node image and the store, each with a sentence. 200 when sessions can
 * start, 503 naming the failing parts when they cannot (a load balancer or monitor needs only the status).
 */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  const recipeDigest = deps.recipeDigest ?? (() => nodeRecipe().fullDigest);
  router.get('/', async (_req, res) => {
    const notNeeded: PartHealth = { ok: true, detail: 'not used: nodes are local shells' };
    const [engine, nodeImage] = deps.engine
      ? await Promise.all([engineHealth(deps.engine), nodeImageHealth(deps.engine, deps.nodeImage, recipeDigest)])
      : [notNeeded, notNeeded];
    const parts = { engine, nodeImage, store: storeHealth(deps.db) };
    const failing = Object.entries(parts).filter(([, part]) => !part.ok);
    if (failing.length === 0) {
      res.json({ ok: true, parts });
      return;
    }
    const message = `the server cannot start sessions: ${failing.map(([name, part]) => `${name}: ${part.detail}`).join('; ')}`;
    res.status(503).json({ ok: false, failing: failing.map(([name]) => name), parts, error: { status: 503, code: 'unhealthy', message } });
  });
  return router;
}

/**
 * `GET /metrics` in Prometheus's text format. Served beside express (like the port proxy), since it is not
 * part of the API; with `metricsToken` set it needs `Authorization: Bearer <token>`.
 */
export function metricsEndpoint(metrics: PrometheusMetrics, token: string | undefined, log: Logger) {
  return {
    handles: (req: IncomingMessage) => req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics',
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (token !== undefined && !sameSecret(sessionToken(req), token)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).end('metrics need the metrics token\n');
        return;
      }
      try {
        const { contentType, body } = await metrics.scrape();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
      } catch (error) {
        log.error({ err: error }, 'could not collect the metrics');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('could not collect the metrics\n');
      }
    },
  };
}

function sameSecret(given: string | undefined, wanted: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
}
