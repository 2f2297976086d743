import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AddNodeSchema, CreateSessionSchema, ExecSchema, NODE_NAME } from '../../shared/protocol.js';
import { HttpError, badRequest } from '../errors.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { sessionToken } from './credentials.js';
import { parseBody } from './validate.js';

/** Who may start a session here (config `access`, with the mode resolved). */
export interface SessionAccess {
  mode: 'open' | 'code';
  code?: string;
  sessionsPerClient: number;
  createPerMinute: number;
}

export const ACCESS_CODE_HEADER = 'x-access-code';

const UNBOUNDED: SessionAccess = { mode: 'open', sessionsPerClient: Number.MAX_SAFE_INTEGER, createPerMinute: Number.MAX_SAFE_INTEGER };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** REST routes for sessions and their nodes. Thin: parse, authorize, call the manager. */
export function sessionsRouter(sessions: SessionManager, access: SessionAccess = UNBOUNDED): Router {
  const router = Router();
  /** Sessions started through this route, by client address: the per-client cap counts the live ones. */
  const byClient = new Map<string, Set<string>>();
  /** Creations still starting, by client address: they count against the cap too, so a burst cannot pass it. */
  const starting = new Map<string, number>();
  sessions.onEnded(({ sessionId }) => {
    for (const [client, ids] of byClient) if (ids.delete(sessionId) && ids.size === 0) byClient.delete(client);
  });
  const createLimit = rateLimit({
    windowMs: 60_000,
    limit: access.createPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'too_many_sessions', 'too many sessions asked for from this address; wait a minute', { 'Retry-After': '60' })),
  });
  const mayCreate = (req: Request) => {
    if (access.mode === 'code') {
      const given = req.get(ACCESS_CODE_HEADER);
      if (!access.code) throw new HttpError(403, 'access_code_required', 'sessions on this server start through an event\'s join link');
      if (!given) throw new HttpError(401, 'access_code_required', `starting a session here needs the access code (header ${ACCESS_CODE_HEADER}) or an event's join link`);
      if (!sameSecret(given, access.code)) throw new HttpError(403, 'access_code_wrong', 'this access code is not the one of this server');
    }
    const client = req.ip ?? 'unknown';
    const live = (byClient.get(client)?.size ?? 0) + (starting.get(client) ?? 0);
    if (live >= access.sessionsPerClient) {
      throw new HttpError(429, 'too_many_sessions', `this address already has ${live} running sessions (at most ${access.sessionsPerClient}); end one first`);
    }
    return client;
  };
  const authorized = (req: Request) => sessions.authorize(String(req.params.id), sessionToken(req));
  const nodeName = (req: Request) => {
    const name = String(req.params.node);
    if (!NODE_NAME.test(name)) throw badRequest(`invalid node name ${JSON.stringify(name.slice(0, 40))}`);
    return name;
  };

  router.post('/', createLimit, async (req, res) => {
    const client = mayCreate(req);
    const body = parseBody(CreateSessionSchema, req.body);
    starting.set(client, (starting.get(client) ?? 0) + 1);
    let created;
    try {
      created = await sessions.create(body);
    } finally {
      const left = (starting.get(client) ?? 1) - 1;
      if (left > 0) starting.set(client, left);
      else starting.delete(client);
    }
    if (sessions.find(created.id)) byClient.set(client, (byClient.get(client) ?? new Set<string>()).add(created.id));
    res.status(201).json(created);
  });

  router.get('/:id', async (req, res) => {
    res.json(await sessions.view(authorized(req)));
  });

  router.delete('/:id', async (req, res) => {
    const session = authorized(req);
    await sessions.end(session.id, 'deleted by its owner');
    res.status(204).end();
  });

  router.post('/:id/extend', async (req, res) => {
    const session = authorized(req);
    sessions.extend(session);
    res.json(await sessions.view(session));
  });

  router.post('/:id/nodes', async (req, res) => {
    const session = authorized(req);
    const body = parseBody(AddNodeSchema, req.body ?? {});
    res.status(201).json(await sessions.addNode(session, body));
  });

  router.delete('/:id/nodes/:node', async (req, res) => {
    const session = authorized(req);
    await sessions.removeNode(session, nodeName(req));
    res.status(204).end();
  });

  router.post('/:id/nodes/:node/exec', async (req, res) => {
    const session = authorized(req);
    const name = nodeName(req);
    const body = parseBody(ExecSchema, req.body);
    res.json(await sessions.exec(session, name, body.command, body.timeoutSeconds));
  });

  return router;
}
