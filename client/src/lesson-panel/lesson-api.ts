import type { LessonSummary, LessonView, ClusterView } from '../../../shared/lesson-protocol.js';
import type { CreatedSessionView } from '../../../shared/protocol.js';
import { call, type Credentials } from '../api.js';
import type { CheckRunView, GradeReport, RunResult } from './types.js';

/** The lesson routes the panel uses (docs/api.md, docs/lessons.md). */
export const lessonApi = {
  list: () => call<{ lessons: LessonSummary[] }>('GET', '/api/lessons').then((r) => r.lessons),
  get: (id: string) => call<LessonView>('GET', `/api/lessons/${encodeURIComponent(id)}`),
  run: (c: Credentials, lesson: string, step: number, block: number) => call<RunResult>('POST', `/api/sessions/${c.id}/run`, c.token, { lesson, step, block }),
  check: (c: Credentials, lesson: string, step: number) => call<CheckRunView>('POST', `/api/sessions/${c.id}/checks`, c.token, { lesson, step }),
  progress: (c: Credentials, lesson: string) => call<GradeReport>('GET', `/api/sessions/${c.id}/progress?lesson=${encodeURIComponent(lesson)}`, c.token),
  cluster: (c: Credentials) => call<ClusterView>('GET', `/api/sessions/${c.id}/cluster`, c.token),
  /** Classroom learners: report where they are; a lesson with another layout answers with a fresh session. */
  position: (learnerToken: string, lesson: string, step: number) => call<{ session?: CreatedSessionView }>('PUT', '/api/learners/me/position', learnerToken, { lesson, step }),
};
