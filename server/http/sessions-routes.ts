import { Router, type Request } from 'express';
import { AddNodeSchema, CreateSessionSchema, ExecSchema, NODE_NAME } from '../../shared/protocol.js';
import { badRequest } from '../errors.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { sessionToken } from './credentials.js';
import { parseBody } from './validate.js';

/** REST routes for sessions and their nodes. Thin: parse, authorize, call the manager. */
export function sessionsRouter(sessions: SessionManager): Router {
  const router = Router();
  const authorized = (req: Request) => sessions.authorize(String(req.params.id), sessionToken(req));
  const nodeName = (req: Request) => {
    const name = String(req.params.node);
    if (!NODE_NAME.test(name)) throw badRequest(`invalid node name ${JSON.stringify(name.slice(0, 40))}`);
    return name;
  };

  router.post('/', async (req, res) => {
    const body = parseBody(CreateSessionSchema, req.body);
    res.status(201).json(await sessions.create(body));
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
