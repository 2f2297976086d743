import { Router } from 'express';
import type { SessionStatusView } from '../../shared/protocol.js';
import { sessionStatus } from '../ports/session-status.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { sessionToken } from './credentials.js';

const CACHE_MS = 3000;

/**
 * `GET /api/sessions/:id/node-status`: each node's swarm role and published
 * ports, one exec per node, cached for a few seconds so polling stays cheap.
 */
export function statusRouter(sessions: SessionManager): Router {
  const router = Router();
  const cache = new Map<string, { at: number; view: Promise<SessionStatusView> }>();
  sessions.onEnded(({ sessionId }) => cache.delete(sessionId));

  router.get('/:id/node-status', async (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const cached = cache.get(session.id);
    if (cached && Date.now() - cached.at < CACHE_MS) return void res.json(await cached.view);
    const view = sessionStatus(session, sessions.nodeExec(session, 'status'));
    cache.set(session.id, { at: Date.now(), view });
    view.catch(() => cache.delete(session.id));
    res.json(await view);
  });

  return router;
}
