import { Router } from 'express';
import { z } from 'zod';
import type { CheckRunner } from '../grading/check-runner.js';
import { gradeReport } from '../grading/grade-report.js';
import type { ResultStore } from '../grading/result-store.js';
import type { Classroom } from '../classroom/classroom.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { sessionToken } from './session-token.js';
import { parseBody } from './validate.js';

const CheckRequestSchema = z.strictObject({
  lesson: z.string().min(1).max(100),
  step: z.number().int().min(0).max(100).optional(),
});

/** Running a lesson's checks on a session, and the latest results (progress) of its owner. */
export function checksRouter(sessions: SessionManager, checks: CheckRunner, results: ResultStore, classroom: Classroom): Router {
  const router = Router();

  router.post('/:id/checks', async (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const { lesson, step } = parseBody(CheckRequestSchema, req.body);
    res.json(await checks.run(session, lesson, step));
  });

  router.get('/:id/progress', (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const lesson = checks.lesson(String(req.query.lesson ?? session.lesson ?? ''));
    res.json(gradeReport(classroom.ownerOf(session), lesson, results.forOwner(classroom.ownerOf(session), lesson.meta.id)));
  });

  return router;
}
