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

  reports(learners: GradedLearner[], lessonId: string): GradeReport[] {
    const lesson = lessonById(this.deps.lessons, lessonId);
    return learners.map((learner) => gradeReport(learner.name, lesson, this.deps.results.forOwner(learner.id, lessonId)));
  }

  export(learners: GradedLearner[], lessonId: string, format: ExportFormat, lang: FindingLanguage = 'en') {
    return exportReports(this.reports(learners, lessonId), format, lang);
  }
}
