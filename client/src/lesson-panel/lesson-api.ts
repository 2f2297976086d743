import { CheckRunViewSchema, ClusterViewSchema, GradeReportSchema, LessonListSchema, LessonSolutionsSchema, LessonViewSchema, PositionAnswerSchema, RunBlockResultSchema } from '../../../shared/view-schemas.js';
import { call, callVoid } from '../api.js';
import type { Language } from '../i18n/catalogues.js';
import type { Credentials } from '../storage.js';

/** The lesson routes the panel uses (docs/api.md, docs/lessons.md); every answer is validated with shared/ schemas. */
export const lessonApi = {
  /** Lessons in `lang` where they are translated (the server answers in English otherwise, and ignores `lang` if it knows none). */
  list: (lang: Language) => call(LessonListSchema, 'GET', `/api/lessons?lang=${lang}`).then((r) => r.lessons),
  /**
   * One lesson. The page says which session it holds: during an exam, hints and solutions are left out for the
   * exam's learners only, and the server tells them apart by the session (a request without one gets none).
   */
  get: (id: string, lang: Language, c: Credentials) => call(LessonViewSchema, 'GET', `/api/lessons/${encodeURIComponent(id)}?lang=${lang}&session=${encodeURIComponent(c.id)}`, { token: c.token }),
  run: (c: Credentials, lesson: string, step: number, block: number) => call(RunBlockResultSchema, 'POST', `/api/sessions/${c.id}/run`, { token: c.token, body: { lesson, step, block } }),
  check: (c: Credentials, lesson: string, step: number) => call(CheckRunViewSchema, 'POST', `/api/sessions/${c.id}/checks`, { token: c.token, body: { lesson, step } }),
  progress: (c: Credentials, lesson: string) => call(GradeReportSchema, 'GET', `/api/sessions/${c.id}/progress?lesson=${encodeURIComponent(lesson)}`, { token: c.token }),
  cluster: (c: Credentials) => call(ClusterViewSchema, 'GET', `/api/sessions/${c.id}/cluster`, { token: c.token }),
  /** Classroom learners: report where they are; a lesson with another layout answers with a fresh session. */
  position: (learnerToken: string, lesson: string, step: number) => call(PositionAnswerSchema, 'PUT', '/api/learners/me/position', { token: learnerToken, body: { lesson, step } }),
  /** Classroom learners: "skip to this step" (the server runs the earlier steps' solutions; skipped steps earn nothing). */
  skip: (learnerToken: string, step: number) => callVoid('POST', '/api/learners/me/skip', { token: learnerToken, body: { step } }),
  /** Self-paced learners: "skip to this step" on the session they hold (same catch-up, same marks). */
  skipInSession: (c: Credentials, lesson: string, step: number) => callVoid('POST', `/api/sessions/${c.id}/skip`, { token: c.token, body: { lesson, step } }),
  /** Classroom learners: the lesson's hidden solutions once the instructor revealed them (403 before). */
  solutions: (learnerToken: string, lesson: string, lang: string) => call(LessonSolutionsSchema, 'GET', `/api/learners/me/solutions?lesson=${encodeURIComponent(lesson)}&lang=${lang}`, { token: learnerToken }),
  /** Classroom learners: a fresh cluster for the lesson, its progress cleared; the session stream says where to go. */
  restart: (learnerToken: string) => callVoid('POST', '/api/learners/me/restart', { token: learnerToken }),
};
