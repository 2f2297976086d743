import { Router, type NextFunction, type Request, type Response } from 'express';
import type { InstructorAuth } from '../classroom/instructor-auth.js';
import { HttpError, notFound } from '../errors.js';
import type { FleetSetup } from '../fleet/setup-fleet.js';
import { INSTRUCTOR_COOKIE, credential } from './credentials.js';

/**
 * The engines of the fleet, for the instructor or operator: each one's state and load, and drain/undrain
 * (a drained engine keeps its sessions until they end and takes no new ones). Mounted at /api/instructor/engines.
 */
export function fleetRouter(fleet: Pick<FleetSetup, 'registry' | 'backend'>, auth: Pick<InstructorAuth, 'verify'>): Router {
  const router = Router();
  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (!auth.verify(credential(req, INSTRUCTOR_COOKIE))) return next(new HttpError(401, 'unauthorized', 'instructor login needed'));
    next();
  });

  router.get('/', async (_req, res) => {
    res.json({ engines: await fleet.backend.views() });
  });

  router.post('/:name/:action', async (req, res) => {
    const { name, action } = req.params;
    if (!fleet.registry.get(name)) throw notFound(`no engine ${name}`);
    if (action === 'drain') fleet.registry.drain(name);
    else if (action === 'undrain') fleet.registry.undrain(name);
    else throw notFound(`no action ${action} (drain or undrain)`);
    res.json({ engines: await fleet.backend.views() });
  });
  return router;
}
