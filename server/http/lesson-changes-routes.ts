import { Router } from 'express';
import type { LiveHub } from '../classroom/live-hub.js';

/** The live-hub channel that carries `{ type: 'lesson-changed', ids }` when a lesson file is edited. */
export const LESSON_CHANGES_CHANNEL = 'lessons';

/**
 * `GET /api/lesson-changes`: server-sent events, one `{ type: 'lesson-changed', ids: [...] }` each time a
 * watched lesson file is added, edited or removed, so an author's open page re-reads the lesson (live preview).
 * Lessons are course material, open to anybody like `GET /api/lessons`.
 */
export function lessonChangesRouter(hub: LiveHub): Router {
  const router = Router();
  router.get('/', (_req, res) => hub.subscribe(LESSON_CHANGES_CHANNEL, res));
  return router;
}
