import type { Router } from 'express';
import type { Config } from '../config.js';
import { CheckRunner } from '../grading/check-runner.js';
import { Grading } from '../grading/grading.js';
import { ResultStore } from '../grading/result-store.js';
import { checksRouter } from '../http/checks-routes.js';
import { classroomRouter } from '../http/classroom-routes.js';
import { instructorRouter } from '../http/instructor-routes.js';
import { lessonsRouter, sessionLessonRouter, type TypeIntoTerminal } from '../http/lessons-routes.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Db } from '../store/database.js';
import { HttpError } from '../errors.js';
import { INSTRUCTOR_COOKIE, credential } from '../http/credentials.js';
import type { WatchAuthorizer } from '../terminals/setup-terminals.js';
import { Classroom } from './classroom.js';
import { EventStore } from './event-store.js';
import { InstructorAuth } from './instructor-auth.js';
import { LiveHub } from './live-hub.js';

export interface ClassroomSetup {
  routers: Array<[string, Router]>;
  /** Lets a logged-in instructor watch a learner's terminals, read-only. */
  watchAuthorizer: WatchAuthorizer;
  auth: InstructorAuth;
  classroom: Classroom;
  checks: CheckRunner;
  grading: Grading;
  hub: LiveHub;
  close(): void;
}

/** Checks, progress, events, the instructor and grading, wired over one database. */
export async function setupClassroom(deps: {
  config: Config;
  db: Db;
  sessions: SessionManager;
  lessons: ReadonlyMap<string, Lesson>;
  log: Logger;
  baseUrl: () => string;
  typeIntoTerminal: TypeIntoTerminal;
}): Promise<ClassroomSetup> {
  const { config, db, sessions, lessons, log } = deps;
  const events = new EventStore(db);
  const results = new ResultStore(db);
  const hub = new LiveHub();
  const auth = new InstructorAuth(db);
  if (config.instructorPassword) await auth.ensurePassword(config.instructorPassword);
  else if (!auth.isConfigured()) log.warn('no instructor password is set: the instructor dashboard stays locked until `npx workshop set-password` or WORKSHOP_INSTRUCTOR_PASSWORD sets one');
  const classroom = new Classroom({ events, results, sessions, lessons, hub, baseUrl: deps.baseUrl, log, stuckMinutes: config.classroom.stuckMinutes });
  const checks = new CheckRunner(sessions, lessons, results, (session) => classroom.ownerOf(session));
  checks.onRun((event) => classroom.onCheckRun(event));
  const grading = new Grading({ events, results, sessions, checks, lessons, log });
  classroom.resumeWarmPools();
  sessions.onEnded(({ sessionId }) => hub.publish(`session:${sessionId}`, { type: 'session-ended' }));

  // A modest background schedule: each active learner's current step, one learner at a time.
  let scheduled: NodeJS.Timeout | undefined;
  let running = false;
  if (config.classroom.checkIntervalSeconds > 0) {
    scheduled = setInterval(async () => {
      if (running) return;
      running = true;
      try {
        for (const { learner, session } of classroom.activeLearners()) {
          await checks.run(session, learner.lesson!, learner.step).catch((error) => log.debug({ err: error, learner: learner.id }, 'scheduled check failed'));
        }
      } finally {
        running = false;
      }
    }, config.classroom.checkIntervalSeconds * 1000);
    scheduled.unref();
  }

  const watchAuthorizer: WatchAuthorizer = (req, learnerId) => {
    if (!auth.verify(credential(req, INSTRUCTOR_COOKIE))) throw new HttpError(401, 'unauthorized', 'instructor login needed');
    const learner = classroom.learner(learnerId);
    const session = learner.sessionId ? sessions.find(learner.sessionId) : undefined;
    if (!session) throw new HttpError(409, 'no_session', `${learner.displayName} has no running session`);
    return session;
  };

  return {
    watchAuthorizer,
    routers: [
      ['/sessions', checksRouter(sessions, checks, results, classroom)],
      ['', classroomRouter(classroom, sessions, hub)],
      ['/instructor', instructorRouter({ sessions, checks, auth, classroom, grading, hub })],
      ['/lessons', lessonsRouter(lessons)],
      ['/sessions', sessionLessonRouter(sessions, lessons, checks, deps.typeIntoTerminal)],
    ],
    auth,
    classroom,
    checks,
    grading,
    hub,
    close() {
      clearInterval(scheduled);
      hub.close();
    },
  };
}
