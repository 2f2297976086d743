import type { CheckRunView } from '../checks/run-lesson-checks.js';
import type { StoredCheckResult } from '../checks/result-store.js';
import { lessonById } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Logger } from '../logger.js';
import type { Session } from '../sessions/session.js';
import type { FindingLanguage } from '../../shared/i18n/render-finding.js';
import { exportReports, type ExportFormat } from './exports.js';
import { gradeReport, type GradeReport } from './grade-report.js';

/** A learner to grade: whose results (`id`), the name on the report, and their running session if they have one. */
export interface GradedLearner {
  id: string;
  name: string;
  session?: Session;
}

/** What grading needs of checks: a run that stores its results, and the stored results. */
export interface GradingChecks {
  run(session: Session, lessonId: string): Promise<CheckRunView>;
}
export interface GradingResults {
  forOwner(owner: string, lesson: string): StoredCheckResult[];
  skippedSteps(owner: string, lesson: string): number[];
}

/** An exam's learner at its close: the lesson they are on, and their running session if they have one. */
export interface ExamLearner extends GradedLearner {
  lesson?: string;
}

/**
 * Marks a report's checks of steps the server caught up ("skip to this step"): a check there that was not
 * earned is `skipped` and counts nothing, under either rule (under `final-state` it would hold now only because
 * its solution ran). A check earned before the skip stays earned.
 */
export function withSkipped(report: GradeReport, skippedSteps: readonly number[]): GradeReport {
  if (skippedSteps.length === 0) return report;
  const skipped = new Set(skippedSteps);
  const checks = report.checks.map((check) => (skipped.has(check.step) && !check.earnedAt ? { ...check, passed: false, earned: 0, skipped: true, failures: [{ message: `skipped: step ${check.step + 1} was caught up by the server` }] } : check));
  const counted = checks.filter((c) => !c.precondition);
  return {
    ...report,
    checks,
    earned: counted.reduce((sum, c) => sum + c.earned, 0),
    passed: counted.every((c) => c.passed),
    skippedSteps: [...skipped].sort((a, b) => a - b),
  };
}

/** Grading a group of learners: run a lesson's checks on every learner's cluster, then report from the stored results. */
export class Grading {
  constructor(
    private readonly deps: { checks: GradingChecks; results: GradingResults; lessons: ReadonlyMap<string, Lesson>; log: Logger },
  ) {}

  /** Checks every learner who still has a session, two at a time so a class does not swamp the machine. */
  async grade(learners: GradedLearner[], lessonId: string): Promise<GradeReport[]> {
    lessonById(this.deps.lessons, lessonId);
    const queue = learners.filter((learner) => learner.session);
    const worker = async () => {
      for (let learner = queue.shift(); learner; learner = queue.shift()) {
        const { id } = learner;
        await this.deps.checks.run(learner.session!, lessonId).catch((error) => this.deps.log.warn({ err: error, learner: id }, 'grading run failed'));
      }
    };
    await Promise.all([worker(), worker()]);
    return this.reports(learners, lessonId);
  }

  /**
   * Grades an exam at its close, lesson by lesson: a lesson's checks run on the clusters of the learners who are on
   * it (another lesson's cluster would say nothing about it); everybody's results are kept for the exports.
   */
  async gradeEvent(learners: ExamLearner[], lessonIds: readonly string[]): Promise<Map<string, GradeReport[]>> {
    const graded = new Map<string, GradeReport[]>();
    for (const lessonId of lessonIds) {
      const onLesson = learners.map(({ lesson, session, ...learner }) => (lesson === lessonId && session ? { ...learner, session } : learner));
      graded.set(lessonId, await this.grade(onLesson, lessonId));
    }
    return graded;
  }

  reports(learners: GradedLearner[], lessonId: string): GradeReport[] {
    const lesson = lessonById(this.deps.lessons, lessonId);
    return learners.map((learner) => withSkipped(gradeReport(learner.name, lesson, this.deps.results.forOwner(learner.id, lessonId)), this.deps.results.skippedSteps(learner.id, lessonId)));
  }

  export(learners: GradedLearner[], lessonId: string, format: ExportFormat, lang: FindingLanguage = 'en') {
    return exportReports(this.reports(learners, lessonId), format, lang);
  }
}
