import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CapacityView, EngineView } from '../../shared/classroom-protocol.js';
import type { InstructorAuth } from '../classroom/instructor-auth.js';
import type { Config } from '../config.js';
import { HttpError, notFound } from '../errors.js';
import { benchmarkFootprint, classFit, planCapacity } from '../fleet/capacity-plan.js';
import type { OfferSource } from '../fleet/engine-offers.js';
import type { FleetSetup } from '../fleet/setup-fleet.js';
import { lessonById } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { planNodes } from '../nodes/templates.js';
import { INSTRUCTOR_COOKIE, credential } from './credentials.js';
import { parseBody } from './validate.js';

const CapacityQuerySchema = z.object({ lesson: z.string().min(1).max(100), learners: z.coerce.number().int().min(1).max(10_000) });

function instructorOnly(auth: Pick<InstructorAuth, 'verify'>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!auth.verify(credential(req, INSTRUCTOR_COOKIE))) return next(new HttpError(401, 'unauthorized', 'instructor login needed'));
    next();
  };
}

/**
 * The engines of the fleet, for the instructor or operator: each one's state and load, and drain/undrain
 * (a drained engine keeps its sessions until they end and takes no new ones). Mounted at /api/instructor/engines.
 */
export function fleetRouter(fleet: Pick<FleetSetup, 'registry' | 'backend'>, auth: Pick<InstructorAuth, 'verify'>): Router {
  const router = Router();
  router.use(instructorOnly(auth));

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

/** The same route on a server without a fleet: its one engine's load; draining it is refused (there is nowhere else). */
export function singleEngineRouter(view: () => Promise<EngineView>, auth: Pick<InstructorAuth, 'verify'>): Router {
  const router = Router();
  router.use(instructorOnly(auth));
  router.get('/', async (_req, res) => {
    res.json({ engines: [await view()] });
  });
  router.post('/:name/:action', () => {
    throw new HttpError(409, 'no_fleet', 'this server drives one Docker engine: draining needs several (`engines` in the config, docs/scaling.md)');
  });
  return router;
}

/**
 * `GET /api/instructor/capacity?lesson=…&learners=…`: how many learners of a lesson fit on the engines taking
 * sessions (every configured engine, or the server's one engine), by the capacity plan `workshop capacity` uses,
 * with the benchmarks' node figures. The event form asks before an event is created.
 */
export function capacityRouter(offers: OfferSource, auth: Pick<InstructorAuth, 'verify'>, lessons: ReadonlyMap<string, Lesson>, limits: Config['limits']): Router {
  const router = Router();
  router.use(instructorOnly(auth));
  router.get('/', async (req, res) => {
    const { lesson: lessonId, learners } = parseBody(CapacityQuerySchema, req.query);
    const lesson = lessonById(lessons, lessonId);
    const nodesPerLearner = planNodes({ template: lesson.meta.template, swarm: lesson.meta.swarm }, limits.maxNodesPerSession).length;
    const engines = await offers();
    const plan = planCapacity(engines.filter((engine) => engine.state === 'up'), benchmarkFootprint(nodesPerLearner));
    const { fit, serverLimit } = classFit(plan.total, nodesPerLearner, limits);
    const view: CapacityView = {
      lesson: lesson.meta.id,
      learners,
      fit,
      fits: fit >= learners,
      nodesPerLearner,
      engines: engines.map((engine) => {
        const planned = plan.engines.find((entry) => entry.name === engine.name);
        return { name: engine.name, state: engine.state, learners: planned?.learners ?? 0, ...(planned ? { boundBy: planned.boundBy } : {}) };
      }),
      ...(serverLimit !== undefined ? { serverLimit } : {}),
    };
    res.json(view);
  });
  return router;
}
