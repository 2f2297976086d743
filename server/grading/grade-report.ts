import type { CheckRunView, GradedCheck, GradedFailure, GradeReport, GradingRule } from '../../shared/lesson-protocol.js';
import type { StoredCheckResult } from '../checks/result-store.js';
import { lessonProgress, type CheckProgress } from '../checks/lesson-progress.js';
import type { Lesson } from '../lessons/lesson-types.js';

export type { GradeReport, GradedCheck, GradingRule };

/** Why a check does not count: what differs now, or that it holds now on a step the learner never reached. */
function failuresOf({ check, result, counts }: CheckProgress): GradedFailure[] {
  if (!result) return [{ message: 'not checked yet', findings: [{ key: 'report.notChecked', params: {} }] }];
  if (!result.passed) return result.detail;
  if (counts) return [];
  return [{ message: `holds now, but it is earned only once step ${check.step + 1} is reached`, findings: [{ key: 'report.notReached', params: { step: check.step + 1 } }] }];
}

/**
 * A learner's report for a lesson from their stored check results, by the lesson's rule (lesson-progress.ts):
 * `earned` counts what was earned step by step (later state cannot take it away), `final-state` what the
 * latest evaluation of the live cluster found. Every check of the lesson appears, in lesson order; one that
 * never ran earns nothing and says so. Preconditions (worth no points) are listed and never decide the verdict.
 */
export function gradeReport(learner: string, lesson: Lesson, results: StoredCheckResult[]): GradeReport {
  const progress = lessonProgress(lesson, results);
  const checks = progress.checks.map((entry): GradedCheck => {
    const { check, result } = entry;
    return {
      id: check.id,
      step: check.step,
      title: check.title,
      passed: entry.counts,
      earned: entry.points,
      possible: check.points,
      failures: failuresOf(entry),
      holdsNow: entry.holdsNow,
      ...(result ? { checkedAt: new Date(result.checkedAt).toISOString() } : {}),
      ...(entry.earned ? { earnedAt: new Date(result!.earnedAt!).toISOString() } : {}),
      ...(check.precondition ? { precondition: true } : {}),
    };
  });
  return {
    learner,
    lesson: lesson.meta.id,
    lessonTitle: lesson.meta.title,
    rule: progress.rule,
    earned: progress.points,
    possible: progress.possible,
    passed: progress.passed,
    checks,
  };
}

/**
 * A report straight from one check run: the grade command's view of a cluster it read itself, which has no
 * history, so it is graded on the state it found (`final-state`).
 */
export function reportFromRun(learner: string, lessonTitle: string, run: CheckRunView): GradeReport {
  const checks = run.checks.map((check): GradedCheck => ({
    id: check.id,
    step: check.step,
    title: check.title,
    passed: check.passed,
    earned: check.points.earned,
    possible: check.points.possible,
    failures: check.assertions.filter((a) => !a.passed).map((a) => ({ kind: a.kind, expected: a.expected, actual: a.actual, message: a.message, differences: a.differences ?? [], ...(a.findings ? { findings: a.findings } : {}) })),
    holdsNow: check.passed,
  }));
  return {
    learner,
    lesson: run.lesson,
    lessonTitle,
    rule: 'final-state',
    earned: checks.reduce((total, c) => total + c.earned, 0),
    possible: checks.reduce((total, c) => total + c.possible, 0),
    passed: checks.every((c) => c.passed),
    checks,
  };
}
