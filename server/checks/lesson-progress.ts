import type { GradingRule } from '../../shared/lesson-protocol.js';
import type { Lesson, LessonCheck } from '../lessons/lesson-types.js';
import type { StoredCheckResult } from './result-store.js';

/** One check of a lesson as its grading rule counts it. */
export interface CheckProgress {
  check: LessonCheck;
  result?: StoredCheckResult;
  /** The latest evaluation passed. */
  holdsNow: boolean;
  /** It passed while the learner had reached its step (see earning.ts). */
  earned: boolean;
  /** Whether it counts under the rule: earned (`earned`), or holding now (`final-state`). */
  counts: boolean;
  /** Points counted under the rule. */
  points: number;
}

export interface LessonProgress {
  rule: GradingRule;
  checks: CheckProgress[];
  /** Totals over the checks that count for points (preconditions are left out). */
  points: number;
  possible: number;
  passed: boolean;
}

/**
 * Applies a lesson's grading rule to an owner's stored results: the one place that decides what counts, so
 * reports, exports, the dashboard and the progress route agree. Checks that never ran count nothing.
 */
export function lessonProgress(lesson: Lesson, results: readonly StoredCheckResult[]): LessonProgress {
  const rule = lesson.meta.grading;
  const checks = lesson.steps.flatMap((step) => step.checks).map((check): CheckProgress => {
    const result = results.find((r) => r.checkId === check.id);
    const holdsNow = result?.passed ?? false;
    const earned = result?.earnedAt !== undefined;
    const counts = rule === 'earned' ? earned : holdsNow;
    const points = !counts ? 0 : rule === 'earned' ? Math.min(result!.earned, check.points) : check.points;
    return { check, ...(result ? { result } : {}), holdsNow, earned, counts, points };
  });
  const counted = checks.filter((c) => !c.check.precondition);
  return {
    rule,
    checks,
    points: counted.reduce((sum, c) => sum + c.points, 0),
    possible: counted.reduce((sum, c) => sum + c.check.points, 0),
    passed: counted.every((c) => c.counts),
  };
}
