import type { CheckRunView, GradeReport, GradedCheck } from '../../shared/lesson-protocol.js';
import type { StoredCheckResult } from '../checks/result-store.js';
import type { Lesson } from '../lessons/lesson-types.js';

export type { GradeReport, GradedCheck };

/**
 * A learner's report for a lesson from their latest check results. Every check of the lesson appears,
 * in lesson order; one that never ran earns nothing and says so.
 */
export function gradeReport(learner: string, lesson: Lesson, results: StoredCheckResult[]): GradeReport {
  const checks = lesson.steps.flatMap((step) => step.checks).map((check): GradedCheck => {
    const result = results.find((r) => r.checkId === check.id);
    if (!result) {
      return { id: check.id, step: check.step, title: check.title, passed: false, earned: 0, possible: check.points, failures: [{ message: 'not checked yet', findings: [{ key: 'report.notChecked', params: {} }] }] };
    }
    return {
      id: check.id,
      step: check.step,
      title: check.title,
      passed: result.passed,
      earned: result.earned,
      possible: check.points,
      failures: result.passed ? [] : result.detail,
      checkedAt: new Date(result.checkedAt).toISOString(),
    };
  });
  const earned = checks.reduce((sum, c) => sum + c.earned, 0);
  const possible = checks.reduce((sum, c) => sum + c.possible, 0);
  return { learner, lesson: lesson.meta.id, lessonTitle: lesson.meta.title, earned, possible, passed: checks.every((c) => c.passed), checks };
}

/** A report straight from one check run (the grading command's view of a server's answer). */
export function reportFromRun(learner: string, lessonTitle: string, run: CheckRunView): GradeReport {
  const checks = run.checks.map((check): GradedCheck => ({
    id: check.id,
    step: check.step,
    title: check.title,
    passed: check.passed,
    earned: check.points.earned,
    possible: check.points.possible,
    failures: check.assertions.filter((a) => !a.passed).map((a) => ({ expected: a.expected, actual: a.actual, message: a.message, ...(a.findings ? { findings: a.findings } : {}) })),
  }));
  const earned = checks.reduce((sum, c) => sum + c.earned, 0);
  const possible = checks.reduce((sum, c) => sum + c.possible, 0);
  return { learner, lesson: run.lesson, lessonTitle, earned, possible, passed: checks.every((c) => c.passed), checks };
}
