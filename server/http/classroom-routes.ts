import { Router, type Request } from 'express';
import { chooseLanguage } from '../lessons/lesson-language.js';
import { rateLimit } from 'express-rate-limit';
import { JoinSchema, PositionSchema, SessionSkipSchema, SkipSchema } from '../../shared/classroom-protocol.js';
import { sessionChannel, type Classroom } from '../classroom/classroom.js';
import type { LiveHub } from '../classroom/live-hub.js';
import { HttpError } from '../errors.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { LEARNER_COOKIE, cookieOptions, credential, sessionToken } from './credentials.js';
import { parseBody } from './validate.js';

/**
 * The credentials a lesson request carries, for telling whether it comes from an exam's learner: the learner
 * cookie (or a bearer learner token), and the session the page holds (`?session=` with its bearer token).
 */
export function lessonRequester(req: Request): { learnerToken?: string; session?: { id: string; token?: string } } {
  const learnerToken = credential(req, LEARNER_COOKIE);
  const sessionId = typeof req.query.session === 'string' ? req.query.session : undefined;
  const token = sessionToken(req);
  return { ...(learnerToken ? { learnerToken } : {}), ...(sessionId ? { session: { id: sessionId, ...(token ? { token } : {}) } } : {}) };
}

/** A learner's routes: join with a code, find their place again, report where they are, and their message stream. */
export function classroomRouter(classroom: Classroom, sessions: SessionManager, hub: LiveHub): Router {
  const router = Router();
  // Join codes are short; trying them is slowed down to a handful a minute per address.
  const joinLimit = rateLimit({ windowMs: 60_000, limit: 10, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req, _res, next) => next(new HttpError(429, 'too_many_attempts', 'too many join attempts; wait a minute')) });

  router.post('/join', joinLimit, async (req, res) => {
    const { code, name } = parseBody(JoinSchema, req.body);
    const joined = await classroom.join(code, name);
    res.cookie(LEARNER_COOKIE, joined.token, cookieOptions(7 * 24 * 3600_000)).status(201).json(joined);
  });

  // The lessons' hidden solutions (the final exercise's), once the instructor revealed them to the class.
  router.get('/learners/me/solutions', (req, res) => {
    const learner = classroom.learnerByToken(credential(req, LEARNER_COOKIE));
    const lesson = typeof req.query.lesson === 'string' ? req.query.lesson : '';
    res.json(classroom.revealedSolutions(learner, lesson, (available) => chooseLanguage(req.query.lang, available, (offers) => req.acceptsLanguages(offers))));
  });

  router.get('/learners/me', async (req, res) => {
    const learner = classroom.learnerByToken(credential(req, LEARNER_COOKIE));
    const session = classroom.sessionOf(learner);
    res.json({
      learner: { id: learner.id, name: learner.displayName, lesson: learner.lesson, step: learner.step },
      event: classroom.eventView(classroom.event(learner.eventId)),
      session: session ? await sessions.view(session) : null,
    });
  });

  router.put('/learners/me/position', async (req, res) => {
    const learner = classroom.learnerByToken(credential(req, LEARNER_COOKIE));
    const { lesson, step } = parseBody(PositionSchema, req.body);
    res.json(await classroom.setPosition(learner, lesson, step));
  });

  // "Skip to this step": the server runs the earlier steps' solutions in the learner's nodes (never earned).
  router.post('/learners/me/skip', async (req, res) => {
    const learner = classroom.learnerByToken(credential(req, LEARNER_COOKIE));
    await classroom.skipTo(learner.id, parseBody(SkipSchema, req.body).step, 'learner');
    res.status(204).end();
  });

  // "Restart lesson": a fresh cluster of the lesson's template, and the lesson's progress cleared.
  router.post('/learners/me/restart', async (req, res) => {
    const learner = classroom.learnerByToken(credential(req, LEARNER_COOKIE));
    await classroom.resetLearner(learner.id, 'restarted by the learner');
    res.status(204).end();
  });

  // A self-paced learner's "skip to this step", on the session they hold (a classroom learner's goes as /learners/me/skip).
  router.post('/sessions/:id/skip', async (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const { lesson, step } = parseBody(SessionSkipSchema, req.body);
    await classroom.skipInSession(session, lesson, step);
    res.status(204).end();
  });

  // The workspace listens here for the instructor's messages and for its session being reset or ended.
  router.get('/sessions/:id/stream', (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    hub.subscribe(sessionChannel(session.id), res);
  });

  return router;
}
