import { Router } from 'express';
import { z } from 'zod';
import type { CheckRunner } from '../checks/check-runner.js';
import type { ResultStore } from '../checks/result-store.js';
import { gradeReport } from '../grading/grade-report.js';
import { withSkipped } from '../grading/grading.js';
import { lessonById } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { sessionToken } from './credentials.js';
import { parseBody } from './validate.js';

const CheckRequestSchema = z.strictObject({
  lesson: z.string().min(1).max(100),
  step: z.number().int().min(0).max(100).optional(),
});

/**
 * Running a lesson's checks on a session, its owner's progress (graded by the lesson's rule), and a learner's
 * restart of a lesson, which clears what they earned in it.
 */
export function checksRouter(sessions: SessionManager, checks: CheckRunner, results: ResultStore, lessons: ReadonlyMap<string, Lesson>): Router {
  const router = Router();

  router.post('/:id/checks', async (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const { lesson, step } = parseBody(CheckRequestSchema, req.body);
    res.json(await checks.run(session, lesson, step));
  });

  // The learner restarts a lesson: what they earned in it (and the steps they reached) is cleared.
  router.post('/:id/lessons/:lesson/reset-progress', (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    checks.resetProgress(session.resultsOwner(), String(req.params.lesson));
    res.status(204).end();
  });

  router.get('/:id/progress', (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const lesson = lessonById(lessons, String(req.query.lesson ?? session.lesson ?? ''));
    const owner = session.resultsOwner();
    res.json(withSkipped(gradeReport(owner, lesson, results.forOwner(owner, lesson.meta.id)), results.skippedSteps(owner, lesson.meta.id)));
  });

  return router;
}
