import type { CheckRunEvent } from '../checks/check-runner.js';
import type { Config } from '../config.js';
import { HttpError } from '../errors.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Logger } from '../logger.js';
import type { Session } from '../sessions/session.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Db } from '../store/database.js';
import { Classroom, sessionChannel, type ExamGrading, type Progress } from './classroom.js';
import { EventStore } from './event-store.js';
import { InstructorAuth } from './instructor-auth.js';
import { LiveHub } from './live-hub.js';

export interface ClassroomSetup {
  events: EventStore;
  auth: InstructorAuth;
  hub: LiveHub;
  classroom: Classroom;
  /** Lets a logged-in instructor watch a learner's terminals, read-only. */
  watch(instructorToken: string | undefined, learnerId: string): Session;
  close(): void;
}

/** Events, the instructor's credential, the live hub and the classroom, over one database; their routes are mounted by server.ts. */
export async function setupClassroom(deps: {
  config: Config;
  db: Db;
  sessions: SessionManager;
  lessons: ReadonlyMap<string, Lesson>;
  progress: Progress;
  grading: ExamGrading;
  checkRuns: { onRun(listener: (event: CheckRunEvent) => void): unknown };
  log: Logger;
  baseUrl: () => string;
}): Promise<ClassroomSetup> {
  const { config, db, sessions, log } = deps;
  const events = new EventStore(db);
  const hub = new LiveHub();
  const auth = new InstructorAuth(db);
  if (config.instructorPassword) await auth.ensurePassword(config.instructorPassword);
  else if (!auth.isConfigured()) log.warn('no instructor password is set: the instructor dashboard stays locked until `npx workshop set-password` or WORKSHOP_INSTRUCTOR_PASSWORD sets one');
  const classroom = new Classroom({ events, progress: deps.progress, sessions, lessons: deps.lessons, hub, grading: deps.grading, baseUrl: deps.baseUrl, log, stuckMinutes: config.classroom.stuckMinutes });
  deps.checkRuns.onRun((event) => classroom.onCheckRun(event));
  const unsubscribe = sessions.onEnded(({ sessionId }) => hub.publish(sessionChannel(sessionId), { type: 'session-ended' }));
  classroom.resumeWarmPools();
  // Events close on their own at `closesAt`; their learners' sessions (and so their tokens) end with them.
  const closer = setInterval(() => {
    classroom.closeDueEvents().catch((error) => log.error({ err: error }, 'could not close an event past its closing time'));
  }, config.sessions.sweepSeconds * 1000);
  closer.unref();

  return {
    events,
    auth,
    hub,
    classroom,
    watch(instructorToken, learnerId) {
      if (!auth.verify(instructorToken)) throw new HttpError(401, 'unauthorized', 'instructor login needed');
      return classroom.runningSession(classroom.learner(learnerId));
    },
    close() {
      clearInterval(closer);
      unsubscribe();
      hub.close();
    },
  };
}
