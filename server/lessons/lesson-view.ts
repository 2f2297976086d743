import type { LessonSummary, LessonView } from '../../shared/lesson-protocol.js';
import type { Lesson } from './lesson-types.js';

export function lessonSummary(lesson: Lesson): LessonSummary {
  const { meta } = lesson;
  return { id: meta.id, title: meta.title, summary: meta.summary, template: meta.template, swarm: meta.swarm, minutes: meta.minutes, steps: lesson.steps.map((s) => s.title) };
}

/** The page's view of a lesson: rendered steps, runnable block references, check titles; solutions only where allowed. */
export function lessonView(lesson: Lesson): LessonView {
  return {
    ...lessonSummary(lesson),
    introHtml: lesson.introHtml,
    stepViews: lesson.steps.map((step) => ({
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
