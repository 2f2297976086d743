import type { Request, Router } from 'express';
import type { CheckRunner } from '../checks/check-runner.js';
import { lessonsRouter, sessionLessonRouter, type TerminalTyping } from '../http/lessons-routes.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Lesson } from './lesson-types.js';

/** The lessons' routes: the lessons themselves, running a block by reference, and the live cluster beside them. */
export function setupLessons(deps: { sessions: SessionManager; lessons: ReadonlyMap<string, Lesson>; checks: CheckRunner; terminals: TerminalTyping; helpHidden?: (lessonId: string, req: Request) => boolean; runHidden?: (lessonId: string, owner: string) => boolean }): { routers: Array<[string, Router]> } {
  return {
    routers: [
      ['/lessons', lessonsRouter(deps.lessons, deps.helpHidden)],
      ['/sessions', sessionLessonRouter(deps.sessions, deps.lessons, deps.checks, deps.terminals, deps.runHidden)],
    ],
  };
}
