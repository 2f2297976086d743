import { HttpError } from '../errors.js';
import type { Session } from '../sessions/session.js';
import type { EventRecord, EventStore, LearnerRecord } from './event-store.js';

/** Grading an exam at its close: every learner, by the lesson's grading rule (grading.ts). */
export interface ExamGrading {
  gradeEvent(learners: ExamLearner[], lessons: readonly string[]): Promise<unknown>;
}
export interface ExamLearner {
  id: string;
  name: string;
  lesson?: string;
  session?: Session;
}

/**
 * Who asks for a lesson: the credentials the request carried. A learner's cookie or token names a classroom
 * learner; a session (id and token) names whoever owns it, a learner or a self-paced visitor.
 */
export interface HelpRequester {
  learner?: LearnerRecord;
  /** The owner of the session the request proved it holds (Session.resultsOwner), when it proved one. */
  sessionOwner?: string;
}

/**
 * The rules of exam events (docs/classroom.md): joins only inside the window, no hints or solutions for the
 * exam's learners while it runs, and every learner graded at the close. Help is withheld per learner, not per
 * lesson: a self-paced learner (or another event's) on the same lesson keeps their hints.
 */
export class ExamRules {
  constructor(
    private readonly deps: { events: EventStore; grading?: ExamGrading },
    private readonly now: () => number,
  ) {}

  /** Refuses a join to an exam that has not opened yet, or has closed (late joins). */
  refuseJoinOutsideWindow(event: EventRecord): void {
    if (!event.exam) return;
    const now = this.now();
    if (now < event.exam.opensAt) throw new HttpError(403, 'exam_not_open', `the exam "${event.name}" opens at ${new Date(event.exam.opensAt).toISOString()}; join then`);
    if (now > event.exam.closesAt) throw new HttpError(410, 'exam_closed', `the exam "${event.name}" closed at ${new Date(event.exam.closesAt).toISOString()}; late joins are refused`);
  }

  /** An exam between its opening and its close, not ended early. */
  inProgress(event: EventRecord): boolean {
    const now = this.now();
    return !!event.exam && event.endedAt === undefined && now >= event.exam.opensAt && now <= event.exam.closesAt;
  }

  /** Whether the learner sits an exam in progress that uses the lesson. */
  withholdsFromLearner(learner: LearnerRecord | undefined, lessonId: string): boolean {
    if (!learner) return false;
    const event = this.deps.events.event(learner.eventId);
    return !!event && event.lessons.includes(lessonId) && this.inProgress(event);
  }

  /** Whether any exam in progress uses the lesson. */
  anyInProgress(lessonId: string): boolean {
    return this.deps.events.events().some((event) => event.lessons.includes(lessonId) && this.inProgress(event));
  }

  /**
   * Whether a request's lesson view leaves out hints and solutions. Only while an exam uses the lesson, and then
   * for that exam's learners; a request that proves no credential at all is answered as an exam learner's, since
   * an exam learner could otherwise leave theirs out to read the hints.
   */
  withholdsFrom(requester: HelpRequester, lessonId: string): boolean {
    if (!this.anyInProgress(lessonId)) return false;
    if (requester.learner) return this.withholdsFromLearner(requester.learner, lessonId);
    if (requester.sessionOwner !== undefined) return this.withholdsFromLearner(this.deps.events.learner(requester.sessionOwner), lessonId);
    return true;
  }

  /** Grades every learner of the exam on their clusters as the close found them, and records when. */
  async grade(event: EventRecord, learners: ExamLearner[]): Promise<void> {
    if (!this.deps.grading) throw new Error('exam grading is not set up');
    await this.deps.grading.gradeEvent(learners, event.lessons);
    this.deps.events.markGraded(event.id, this.now());
  }
}
