import { Router, type NextFunction, type Request, type Response } from 'express';
import type { InstructorAuth } from '../classroom/instructor-auth.js';
import { z } from 'zod';
import { HttpError, notFound } from '../errors.js';
import { lessonById } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { planNodes } from '../nodes/templates.js';
import type { FleetSetup } from '../fleet/setup-fleet.js';
import { INSTRUCTOR_COOKIE, credential } from './credentials.js';
import { parseBody } from './validate.js';

const FitQuerySchema = z.object({ lesson: z.string().min(1).max(100), learners: z.coerce.number().int().min(1).max(10_000) });

/**
 * The engines of the fleet, for the instructor or operator: each one's state and load, and drain/undrain
 * (a drained engine keeps its sessions until they end and takes no new ones). Mounted at /api/instructor/engines.
 */
export function fleetRouter(fleet: Pick<FleetSetup, 'registry' | 'backend'>, auth: Pick<InstructorAuth, 'verify'>, lessons: ReadonlyMap<string, Lesson>): Router {
  const router = Router();
  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (!auth.verify(credential(req, INSTRUCTOR_COOKIE))) return next(new HttpError(401, 'unauthorized', 'instructor login needed'));
    next();
  });

  router.get('/', async (_req, res) => {
    res.json({ engines: await fleet.backend.views() });
  });

  // Whether a class of `learners` for `lesson` fits in the room the engines have now (the event form asks before creating).
  router.get('/fit', async (req, res) => {
    const { lesson: lessonId, learners } = parseBody(FitQuerySchema, req.query);
    const lesson = lessonById(lessons, lessonId);
    const perLearner = planNodes({ template: lesson.meta.template, swarm: lesson.meta.swarm }, Number.MAX_SAFE_INTEGER).length;
    const engines = (await fleet.backend.views()).filter((engine) => engine.state === 'up');
    const fit = engines.reduce((sum, engine) => sum + Math.floor(engine.freeNodes / perLearner), 0);
    res.json({
      lesson: lessonId,
      learners,
      fit,
      fits: fit >= learners,
      ...(fit < learners ? { warning: `${learners} learners of ${lessonId} need ${learners * perLearner} nodes; the engines taking sessions have room for ${fit} learners now` } : {}),
    });
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
