import type { EventRecord, EventStore } from '../classroom/event-store.js';
import { notFound } from '../errors.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { CheckRunner } from './check-runner.js';
import { exportReports, type ExportFormat } from './exports.js';
import { gradeReport, type GradeReport } from './grade-report.js';
import type { ResultStore } from './result-store.js';

/** Grading an event: run a lesson's checks on every learner's cluster, then report from the stored results. */
export class Grading {
  constructor(
    private readonly deps: { events: EventStore; results: ResultStore; sessions: SessionManager; checks: CheckRunner; lessons: ReadonlyMap<string, Lesson>; log: Logger },
  ) {}

  private lesson(id: string): Lesson {
    const lesson = this.deps.lessons.get(id);
    if (!lesson) throw notFound(`no lesson ${id}`);
    return lesson;
  }

  /** Checks every learner who still has a session, two at a time so a class does not swamp the machine. */
  async gradeEvent(event: EventRecord, lessonId: string): Promise<GradeReport[]> {
    this.lesson(lessonId);
    const queue = this.deps.events.learners(event.id).filter((l) => l.sessionId && this.deps.sessions.find(l.sessionId));
    const worker = async () => {
      for (let learner = queue.shift(); learner; learner = queue.shift()) {
        const session = this.deps.sessions.find(learner.sessionId!);
        if (!session) continue;
        await this.deps.checks.run(session, lessonId).catch((error) => this.deps.log.warn({ err: error, learner: learner!.id }, 'grading run failed'));
      }
    };
    await Promise.all([worker(), worker()]);
    return this.reports(event, lessonId);
  }

  reports(event: EventRecord, lessonId: string): GradeReport[] {
    const lesson = this.lesson(lessonId);
    return this.deps.events.learners(event.id).map((learner) => gradeReport(learner.displayName, lesson, this.deps.results.forOwner(learner.id, lessonId)));
  }

  exportEvent(event: EventRecord, lessonId: string, format: ExportFormat) {
    return exportReports(this.reports(event, lessonId), format);
  }
}
