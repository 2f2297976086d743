import type { LessonSolutionsView, LessonSummary, LessonView } from '../../shared/lesson-protocol.js';
import type { Lesson } from './lesson-types.js';
import { lessonIn, lessonLanguages } from './load-lessons.js';

/** The list entry of a lesson in `lang` (English when it has no such translation); `lang` says which was served. */
export function lessonSummary(lesson: Lesson, lang?: string): LessonSummary {
  const served = lessonIn(lesson, lang);
  const { meta } = served;
  return {
    id: meta.id, title: meta.title, summary: meta.summary, template: meta.template, swarm: meta.swarm, minutes: meta.minutes,
    steps: served.steps.map((s) => s.title), lang: served.lang, languages: lessonLanguages(lesson),
  };
}

/**
 * The page's view of a lesson in `lang` (English when it has no such translation): rendered steps, runnable
 * block references, check ids with their titles and hints in that language; solutions only where allowed.
 * Blocks and check ids are the same in every language, so Run buttons, results and progress are too.
 */
export function lessonView(lesson: Lesson, lang?: string): LessonView {
  const served = lessonIn(lesson, lang);
  return {
    ...lessonSummary(lesson, lang),
    introHtml: served.introHtml,
    stepViews: served.steps.map((step) => ({
      index: step.index,
      title: step.title,
      html: step.html,
      blocks: step.blocks.filter((b) => !b.solution).map((b) => ({ index: b.index, node: b.node, ...(b.file ? { file: b.file } : {}) })),
      checks: step.checks.map((c) => ({ id: c.id, title: c.title, points: c.points, ...(c.hint ? { hint: c.hint } : {}) })),
      ...(step.solutionHtml && step.checks.every((c) => c.solution) ? { solutionHtml: step.solutionHtml } : {}),
    })),
    ...(lesson.problems?.length ? { problems: lesson.problems.map(({ line, message }) => ({ line, message })) } : {}),
  };
}

/** Every step's solution, hidden ones too (`solution: false`): only for a learner whose instructor revealed them. */
export function lessonSolutions(lesson: Lesson, lang?: string): LessonSolutionsView {
  const served = lessonIn(lesson, lang);
  return { lesson: lesson.meta.id, lang: served.lang, steps: served.steps.filter((s) => s.solutionHtml).map((s) => ({ index: s.index, solutionHtml: s.solutionHtml })) };
}
