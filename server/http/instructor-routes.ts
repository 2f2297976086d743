import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { BulkActionSchema, CreateEventSchema, GradeSchema, LoginSchema, MessageSchema, SkipSchema } from '../../shared/classroom-protocol.js';
import type { CheckRunner } from '../checks/check-runner.js';
import { eventChannel, type Classroom } from '../classroom/classroom.js';
import type { InstructorAuth } from '../classroom/instructor-auth.js';
import type { LiveHub } from '../classroom/live-hub.js';
import { FINDING_LANGUAGES, isFindingLanguage } from '../../shared/i18n/render-finding.js';
import { HttpError } from '../errors.js';
import type { ExportFormat } from '../grading/exports.js';
import type { Grading } from '../grading/grading.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { INSTRUCTOR_COOKIE, cookieOptions, credential } from './credentials.js';
import { parseBody } from './validate.js';

export interface InstructorParts {
  sessions: SessionManager;
  checks: CheckRunner;
  auth: InstructorAuth;
  classroom: Classroom;
  grading: Grading;
  hub: LiveHub;
}

/** The instructor's routes: login, events, the live dashboard stream, actions on learners, grading and exports. */
export function instructorRouter({ sessions, checks, auth, classroom, grading, hub }: InstructorParts): Router {
  const router = Router();
  const loginLimit = rateLimit({ windowMs: 60_000, limit: 10, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req, _res, next) => next(new HttpError(429, 'too_many_attempts', 'too many login attempts; wait a minute')) });

  router.get('/me', (req, res) => {
    res.json({ configured: auth.isConfigured(), loggedIn: auth.verify(credential(req, INSTRUCTOR_COOKIE)) });
  });

  router.post('/login', loginLimit, async (req, res) => {
    if (!auth.isConfigured()) throw new HttpError(503, 'not_configured', 'no instructor password is set; run `npx workshop set-password` on the server');
    const { password } = parseBody(LoginSchema, req.body);
    const token = await auth.login(password);
    if (!token) throw new HttpError(401, 'wrong_password', 'wrong password');
    res.cookie(INSTRUCTOR_COOKIE, token, cookieOptions(12 * 3600_000)).json({ token });
  });

  router.post('/logout', (req, res) => {
    const token = credential(req, INSTRUCTOR_COOKIE);
    if (token) auth.logout(token);
    res.clearCookie(INSTRUCTOR_COOKIE, { path: '/' }).status(204).end();
  });

  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (!auth.verify(credential(req, INSTRUCTOR_COOKIE))) return next(new HttpError(401, 'unauthorized', 'instructor login needed'));
    next();
  });

  router.post('/events', (req, res) => {
    res.status(201).json(classroom.createEvent(parseBody(CreateEventSchema, req.body)));
  });

  router.get('/events', (_req, res) => {
    res.json({ events: classroom.events() });
  });

  router.get('/events/:id', (req, res) => {
    const event = classroom.event(req.params.id);
    res.json({ event: classroom.eventView(event), learners: classroom.rows(event.id) });
  });

  router.get('/events/:id/stream', (req, res) => {
    const event = classroom.event(req.params.id);
    hub.subscribe(eventChannel(event.id), res, { type: 'snapshot', event: classroom.eventView(event), learners: classroom.rows(event.id) });
  });

  router.post('/events/:id/end', async (req, res) => {
    await classroom.endEvent(classroom.event(req.params.id).id);
    res.status(204).end();
  });

  router.post('/events/:id/message', (req, res) => {
    const event = classroom.event(req.params.id);
    res.json({ sent: classroom.message(event.id, parseBody(MessageSchema, req.body).text) });
  });

  // An action on every learner at once: restart the lesson, or catch everyone up to a step (those past it stay).
  router.post('/events/:id/everyone', async (req, res) => {
    const event = classroom.event(req.params.id);
    const request = parseBody(BulkActionSchema, req.body);
    const outcome = request.action === 'restart'
      ? await classroom.forEveryone(event.id, (learner) => classroom.resetLearner(learner.id))
      : await classroom.forEveryone(event.id, (learner) => classroom.skipTo(learner.id, request.step, 'instructor').catch((error: unknown) => {
        // A learner who has done every step before it is already there.
        if (!(error instanceof HttpError && error.code === 'nothing_to_skip')) throw error;
      }));
    res.json(outcome);
  });

  // After grading: the class may now see the hidden solutions (the final exercise's).
  router.post('/events/:id/reveal-solutions', (req, res) => {
    res.json({ event: classroom.revealSolutions(classroom.event(req.params.id).id) });
  });

  router.post('/events/:id/grade', async (req, res) => {
    const event = classroom.event(req.params.id);
    const { lesson } = parseBody(GradeSchema, req.body);
    res.json({ reports: await grading.grade(classroom.roster(event.id), lesson) });
  });

  router.get('/events/:id/results', (req, res) => {
    const event = classroom.event(req.params.id);
    const lesson = String(req.query.lesson ?? event.lessons[0]);
    const format = String(req.query.format ?? 'json');
    if (!['csv', 'junit', 'json'].includes(format)) throw new HttpError(400, 'bad_request', 'format is csv, junit or json');
    const lang = req.query.lang ?? 'en';
    if (!isFindingLanguage(lang)) throw new HttpError(400, 'bad_request', `lang is ${FINDING_LANGUAGES.join(' or ')}`);
    const file = grading.export(classroom.roster(event.id), lesson, format as ExportFormat, lang);
    res
      .type(file.contentType)
      .attachment(`${event.name.replace(/[^\w.-]+/g, '-')}-${lesson}.${file.extension}`)
      .send(file.body);
  });

  // The learner's cluster, for helping them: same view as their own page.
  router.get('/learners/:id/cluster', async (req, res) => {
    const session = classroom.runningSession(classroom.learner(req.params.id));
    res.json({ session: await sessions.view(session), cluster: await checks.cluster(session) });
  });

  router.post('/learners/:id/skip', async (req, res) => {
    await classroom.skipTo(classroom.learner(req.params.id).id, parseBody(SkipSchema, req.body).step, 'instructor');
    res.status(204).end();
  });

  router.post('/learners/:id/:action', async (req, res) => {
    const { id, action } = req.params;
    if (action === 'extend') await classroom.extendLearner(id);
    else if (action === 'reset') await classroom.resetLearner(id);
    else if (action === 'end') await classroom.endLearner(id);
    else throw new HttpError(404, 'not_found', `no learner action ${action}`);
    res.status(204).end();
  });

  return router;
}
