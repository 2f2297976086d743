import { catchUp, type CatchUpSessions } from './catch-up.js';
import type { StoredCheckResult } from '../checks/result-store.js';
import { lessonProgress } from '../checks/lesson-progress.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Session } from '../sessions/session.js';

/** What the replay needs of progress: the owner's results, and marking steps skipped (never earned). */
export interface ReplayProgress {
  forOwner(owner: string, lesson: string): StoredCheckResult[];
  markSkipped(owner: string, lesson: string, steps: readonly number[]): void;
}

export interface ReplayOutcome {
  /** Steps whose solutions ran on the new host. */
  replayed: number[];
  /** Steps that did not (the first failure and every step after it): marked skipped, so the learner sees it. */
  notReplayed: number[];
  /** Why the replay stopped, when it did. */
  failure?: string;
}

/**
 * After a failover, the lesson's steps before `upTo` are replayed from their solutions on the learner's new
 * session, so its cluster looks as the learner left it. The replay never earns anything: a step with a check
 * the learner had not earned is marked skipped before anything runs (a scheduled check run during or after
 * the replay would otherwise earn what the solutions built), and earned checks stay earned (results are kept
 * by learner, not by session). A step whose replay fails stops it there: that step and the ones after it
 * (they build on it) are marked skipped too, and named in the outcome, instead of failing the whole move.
 */
export async function replayOnNewHost(sessions: CatchUpSessions, progress: ReplayProgress, owner: string, session: Session, lesson: Lesson, upTo: number): Promise<ReplayOutcome> {
  const checks = lessonProgress(lesson, progress.forOwner(owner, lesson.meta.id)).checks.filter((c) => !c.check.precondition);
  const steps = lesson.steps.slice(0, upTo).map((step) => step.index);
  const unearned = steps.filter((step) => checks.some((c) => c.check.step === step && !c.earned));
  if (unearned.length) progress.markSkipped(owner, lesson.meta.id, unearned);
  const replayed: number[] = [];
  for (const [position, step] of steps.entries()) {
    try {
      await catchUp(sessions, session, lesson, step, step + 1);
      replayed.push(step);
    } catch (error) {
      const notReplayed = steps.slice(position);
      progress.markSkipped(owner, lesson.meta.id, notReplayed);
      return { replayed, notReplayed, failure: error instanceof Error ? error.message : String(error) };
    }
  }
  return { replayed, notReplayed: [] };
}
