import type { CreateEventRequest, EventView, LearnerMessage, LearnerRow } from '../../shared/classroom-protocol.js';
import type { LessonSolutionsView } from '../../shared/lesson-protocol.js';
import type { CreatedSessionView } from '../../shared/protocol.js';
import type { CheckRunEvent } from '../checks/check-runner.js';
import type { DueCheck } from '../checks/check-schedule.js';
import type { StoredCheckResult } from '../checks/result-store.js';
import { lessonProgress, type CheckProgress } from '../checks/lesson-progress.js';
import { HttpError, notFound } from '../errors.js';
import { newId, newToken, tokenDigest } from '../ids.js';
import { lessonById, lessonLanguages } from '../lessons/load-lessons.js';
import { lessonSolutions } from '../lessons/lesson-view.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Logger } from '../logger.js';
import type { Session } from '../sessions/session.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { EventRecord, EventStore, LearnerRecord } from './event-store.js';
import { formatJoinCode, newJoinCode, normalizeJoinCode } from './join-code.js';
import type { LiveHub } from './live-hub.js';
import { catchUp, skipStart } from './catch-up.js';
import { ExamRules, type ExamGrading, type ExamLearner, type HelpRequester } from './exam.js';
import { replayOnNewHost } from './failover-replay.js';

/** The learners' progress, kept by checks: their results, the steps they reached, and resetting a lesson. */
export interface Progress {
  forOwner(owner: string, lesson: string): StoredCheckResult[];
  /** The learner is on `step`; steps that compare with the past record their baseline from `session`'s cluster. */
  reach(owner: string, lesson: string, step: number, session?: Session): Promise<void>;
  /** Clears the owner's results, reached step, baselines and skipped marks for the lesson. */
  resetProgress(owner: string, lesson: string): void;
  /** Marks steps the server caught up for the owner: shown as skipped, never earned. */
  markSkipped(owner: string, lesson: string, steps: readonly number[]): void;
  skippedSteps(owner: string, lesson: string): number[];
}

export type { ExamGrading, ExamLearner } from './exam.js';

/** What an action on every learner of an event did: how many it did, and who it could not do it for, and why. */
export interface BulkOutcome {
  done: number;
  failed: Array<{ learner: string; name: string; error: string }>;
}

export interface ClassroomDeps {
  events: EventStore;
  progress: Progress;
  sessions: SessionManager;
  lessons: ReadonlyMap<string, Lesson>;
  hub: LiveHub;
  grading?: ExamGrading;
  baseUrl: () => string;
  log: Logger;
  now?: () => number;
  stuckMinutes?: number;
}

export const eventChannel = (id: string) => `event:${id}`;
export const sessionChannel = (id: string) => `session:${id}`;

/** Instructor-led events: joining with a code, learners' progress, the live table and the instructor's actions. */
export class Classroom {
  private readonly now: () => number;
  /** Learners whose nodes are being caught up or replaced now: a second action waits for the first to end. */
  private readonly busy = new Set<string>();
  private readonly exams: ExamRules;

  constructor(private readonly deps: ClassroomDeps) {
    this.now = deps.now ?? Date.now;
    this.exams = new ExamRules(deps, this.now);
  }

  createEvent(request: CreateEventRequest): EventView {
    for (const id of request.lessons) if (!this.deps.lessons.has(id)) throw new HttpError(400, 'bad_request', `no lesson ${id}`);
    const record: EventRecord = {
      id: newId(),
      name: request.name,
      joinCode: newJoinCode(),
      lessons: request.lessons,
      capacity: request.capacity,
      ...(request.opensAt ? { opensAt: Date.parse(request.opensAt) } : {}),
      ...(request.closesAt ? { closesAt: Date.parse(request.closesAt) } : {}),
      warmPool: request.warmPool,
      createdAt: this.now(),
      ...(request.language ? { language: request.language } : {}),
      ...(request.exam ? { exam: { opensAt: Date.parse(request.exam.opensAt), closesAt: Date.parse(request.exam.closesAt) } } : {}),
    };
    this.deps.events.insertEvent(record);
    this.applyWarmPool(record, record.warmPool);
    return this.eventView(record);
  }

  /** Restarts the warm pools of open events (after a server restart). */
  resumeWarmPools(): void {
    for (const event of this.deps.events.events()) if (!event.endedAt && event.warmPool) this.applyWarmPool(event, event.warmPool);
  }

  private applyWarmPool(event: EventRecord, count: number): void {
    const first = this.deps.lessons.get(event.lessons[0]);
    if (first && count) this.deps.sessions.warm(first.meta.template, first.meta.swarm, count);
  }

  event(id: string): EventRecord {
    const event = this.deps.events.event(id);
    if (!event) throw notFound(`no event ${id}`);
    return event;
  }

  events(): EventView[] {
    return this.deps.events.events().map((e) => this.eventView(e));
  }

  eventView(event: EventRecord): EventView {
    return {
      id: event.id,
      name: event.name,
      joinCode: formatJoinCode(event.joinCode),
      joinUrl: `${this.deps.baseUrl()}/join.html?code=${formatJoinCode(event.joinCode)}`,
      lessons: event.lessons,
      capacity: event.capacity,
      learners: this.deps.events.learnerCount(event.id),
      ...(event.opensAt ? { opensAt: new Date(event.opensAt).toISOString() } : {}),
      ...(event.closesAt ? { closesAt: new Date(event.closesAt).toISOString() } : {}),
      warmPool: event.warmPool,
      createdAt: new Date(event.createdAt).toISOString(),
      ...(event.endedAt ? { endedAt: new Date(event.endedAt).toISOString() } : {}),
      ...(event.language ? { language: event.language } : {}),
      ...(event.exam
        ? { exam: { opensAt: new Date(event.exam.opensAt).toISOString(), closesAt: new Date(event.exam.closesAt).toISOString(), ...(event.gradedAt ? { gradedAt: new Date(event.gradedAt).toISOString() } : {}) } }
        : {}),
      ...(event.solutionsRevealedAt ? { solutionsRevealedAt: new Date(event.solutionsRevealedAt).toISOString() } : {}),
    };
  }

  /** The instructor shows the class the lessons' hidden solutions (after grading): every learner's page fetches them. */
  revealSolutions(eventId: string): EventView {
    const event = this.event(eventId);
    this.deps.events.markSolutionsRevealed(event.id, this.now());
    for (const learner of this.deps.events.learners(event.id)) if (learner.sessionId) this.tellLearner(learner.sessionId, { type: 'solutions-revealed' });
    return this.eventView(this.event(event.id));
  }

  /** A lesson's hidden solutions for a learner of the event, once the instructor revealed them (403 before). */
  revealedSolutions(learner: LearnerRecord, lessonId: string, lang: (available: string[]) => string): LessonSolutionsView {
    const event = this.event(learner.eventId);
    if (!event.lessons.includes(lessonId)) throw notFound(`lesson ${lessonId} is not one of this event's lessons`);
    if (event.solutionsRevealedAt === undefined) throw new HttpError(403, 'solutions_hidden', 'your instructor has not revealed the solutions yet');
    const lesson = lessonById(this.deps.lessons, lessonId);
    return lessonSolutions(lesson, lang(lessonLanguages(lesson)));
  }

  async endEvent(id: string): Promise<void> {
    const event = this.event(id);
    this.deps.events.endEvent(id, this.now());
    this.applyWarmPool(event, 0);
    await Promise.all(this.deps.events.learners(id).map((learner) => this.endLearner(learner.id)));
  }

  /** A learner joins with the code and a display name; they get a learner token (which also opens their session). */
  async join(code: string, name: string): Promise<{ learner: { id: string; name: string }; token: string; event: EventView; session: CreatedSessionView }> {
    const event = this.deps.events.eventByCode(normalizeJoinCode(code));
    if (!event) throw notFound('no event has this join code');
    const now = this.now();
    this.exams.refuseJoinOutsideWindow(event);
    if (this.isOver(event)) throw new HttpError(410, 'event_closed', `the event "${event.name}" has ended`);
    if (event.opensAt && now < event.opensAt) throw new HttpError(403, 'event_not_open', `the event "${event.name}" opens at ${new Date(event.opensAt).toISOString()}`);
    if (this.deps.events.learnerCount(event.id) >= event.capacity) throw new HttpError(409, 'event_full', `the event "${event.name}" is full (${event.capacity} learners)`);
    if (this.deps.events.learners(event.id).some((l) => l.displayName.toLowerCase() === name.toLowerCase())) {
      throw new HttpError(409, 'name_taken', `somebody in this event is already called "${name}"; pick another name`);
    }
    const { token, digest } = newToken();
    const learner: LearnerRecord = { id: newId(), eventId: event.id, displayName: name, tokenDigest: digest, lesson: event.lessons[0], step: 0, stepStartedAt: now, joinedAt: now, lastSeen: now };
    this.deps.events.insertLearner(learner);
    try {
      const session = await this.startSession(learner, event.lessons[0]);
      this.deps.hub.publish(eventChannel(event.id), { type: 'learner', learner: this.row(learner) });
      return { learner: { id: learner.id, name }, token, event: this.eventView(event), session };
    } catch (error) {
      this.deps.events.deleteLearner(learner.id);
      throw error;
    }
  }

  private async startSession(learner: LearnerRecord, lessonId: string): Promise<CreatedSessionView> {
    const lesson = lessonById(this.deps.lessons, lessonId);
    const session = await this.deps.sessions.create({ template: lesson.meta.template, swarm: lesson.meta.swarm, lesson: lessonId }, { id: learner.id, tokenDigest: learner.tokenDigest });
    learner.sessionId = session.id;
    this.deps.events.updateLearner(learner);
    return session;
  }

  learnerByToken(token: string | undefined): LearnerRecord {
    if (!token) throw new HttpError(401, 'unauthorized', 'this route needs a learner token');
    const learner = this.deps.events.learnerByToken(tokenDigest(token));
    if (!learner) throw new HttpError(403, 'forbidden', 'this token does not belong to a learner');
    // A learner's token lives as long as their event: once it has ended or closed, it opens nothing.
    const event = this.deps.events.event(learner.eventId);
    if (!event || this.isOver(event)) throw new HttpError(410, 'event_closed', 'the event of this learner has ended');
    return learner;
  }

  private closingTime(event: EventRecord): number | undefined {
    const times = [event.closesAt, event.exam?.closesAt].filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  private isOver(event: EventRecord): boolean {
    const closing = this.closingTime(event);
    return event.endedAt !== undefined || (closing !== undefined && this.now() > closing);
  }

  /**
   * Whether the lesson's hints and solutions are withheld from whoever sent these credentials (exam.ts): from the
   * learners of an exam in progress that uses the lesson, and from requests that prove no credential meanwhile.
   */
  helpHiddenFor(lessonId: string, credentials: { learnerToken?: string; session?: { id: string; token?: string } }): boolean {
    if (!this.exams.anyInProgress(lessonId)) return false;
    const requester: HelpRequester = {};
    if (credentials.learnerToken) {
      const learner = this.deps.events.learnerByToken(tokenDigest(credentials.learnerToken));
      if (learner) requester.learner = learner;
    }
    if (credentials.session) {
      try {
        requester.sessionOwner = this.deps.sessions.authorize(credentials.session.id, credentials.session.token).resultsOwner();
      } catch {
        // a session the request cannot open proves nothing
      }
    }
    return this.exams.withholdsFrom(requester, lessonId);
  }

  /** Whether check results for this owner (a learner id, or a self-paced session's) leave out the hints. */
  helpHiddenForOwner(lessonId: string, owner: string): boolean {
    return this.exams.withholdsFromLearner(this.deps.events.learner(owner), lessonId);
  }

  /**
   * Ends the events whose closing time has passed, as the instructor's "end" would: their learners' sessions end,
   * so the learners' tokens (which also open those sessions) open nothing any more. An exam's learners are graded
   * first, on their clusters as the close found them, and the results stay for the exports. Called on a timer.
   */
  async closeDueEvents(): Promise<number> {
    const due = this.deps.events.events().filter((event) => {
      const closing = this.closingTime(event);
      return !event.endedAt && closing !== undefined && this.now() > closing;
    });
    for (const event of due) {
      if (event.exam && !event.gradedAt) await this.gradeExam(event);
      await this.endEvent(event.id);
    }
    return due.length;
  }

  private async gradeExam(event: EventRecord): Promise<void> {
    const learners = this.deps.events.learners(event.id).map((learner): ExamLearner => {
      const session = this.sessionOf(learner);
      return { id: learner.id, name: learner.displayName, ...(learner.lesson ? { lesson: learner.lesson } : {}), ...(session ? { session } : {}) };
    });
    await this.exams.grade(event, learners);
  }

  learner(id: string): LearnerRecord {
    const learner = this.deps.events.learner(id);
    if (!learner) throw notFound(`no learner ${id}`);
    return learner;
  }

  /** The learner's running session, if they have one. */
  sessionOf(learner: LearnerRecord): Session | undefined {
    return learner.sessionId ? this.deps.sessions.find(learner.sessionId) : undefined;
  }

  /** The learner's running session, for an action that needs one; 409 when they have none. */
  runningSession(learner: LearnerRecord): Session {
    const session = this.sessionOf(learner);
    if (!session) throw new HttpError(409, 'no_session', `${learner.displayName} has no running session`);
    return session;
  }

  /** The learner moved to another lesson or step (the page tells us), so "time on step" restarts. */
  async setPosition(learner: LearnerRecord, lesson: string, step: number): Promise<{ session?: CreatedSessionView }> {
    const target = lessonById(this.deps.lessons, lesson);
    const changed = learner.lesson !== lesson || learner.step !== step;
    let session: CreatedSessionView | undefined;
    const current = this.sessionOf(learner);
    // A lesson that needs another cluster layout gets a fresh session prepared for it.
    if (learner.lesson !== lesson && (!current || current.template !== target.meta.template || current.swarm !== target.meta.swarm)) {
      if (current) await this.deps.sessions.end(current.id, 'learner moved to another lesson');
      session = await this.startSession(learner, lesson);
    }
    if (changed) {
      learner.lesson = lesson;
      learner.step = step;
      learner.stepStartedAt = this.now();
    }
    learner.lastSeen = this.now();
    this.deps.events.updateLearner(learner);
    // Being on a step is what lets its checks be earned; a cluster that cannot be read only delays a baseline.
    await this.deps.progress.reach(learner.id, lesson, step, this.sessionOf(learner))
      .catch((error) => this.deps.log.warn({ err: error, learner: learner.id }, 'could not record the reached step'));
    this.deps.hub.publish(eventChannel(learner.eventId), { type: 'learner', learner: this.row(learner) });
    return session ? { session } : {};
  }

  onCheckRun({ session, owner }: CheckRunEvent): void {
    const learner = this.deps.events.learner(owner);
    if (!learner || learner.sessionId !== session.id) return;
    learner.lastSeen = this.now();
    this.deps.events.updateLearner(learner);
    this.deps.hub.publish(eventChannel(learner.eventId), { type: 'learner', learner: this.row(learner) });
  }

  /** A learner's row of the dashboard; counts and points follow the lesson's grading rule, as the reports do. */
  row(learner: LearnerRecord): LearnerRow {
    const lesson = learner.lesson ? this.deps.lessons.get(learner.lesson) : undefined;
    const progress = lesson ? lessonProgress(lesson, this.deps.progress.forOwner(learner.id, lesson.meta.id)) : undefined;
    const skippedSteps = lesson ? this.deps.progress.skippedSteps(learner.id, lesson.meta.id) : [];
    // As the reports say (grading.ts withSkipped): an unearned check of a skipped step counts nothing, under either rule.
    const counted = (c: CheckProgress) => c.counts && (c.earned || !skippedSteps.includes(c.check.step));
    const checks = progress?.checks.filter((c) => !c.check.precondition) ?? [];
    const stepChecks = checks.filter((c) => c.check.step === learner.step);
    const session = this.sessionOf(learner);
    const stepPassed = stepChecks.length > 0 && stepChecks.every(counted);
    const timeOnStepMs = this.now() - learner.stepStartedAt;
    return {
      id: learner.id,
      name: learner.displayName,
      ...(session ? { sessionId: session.id } : {}),
      sessionStatus: session ? 'running' : 'none',
      ...(lesson ? { lesson: lesson.meta.id, stepTitle: lesson.steps[learner.step]?.title } : {}),
      step: learner.step,
      checksPassed: checks.filter(counted).length,
      checksTotal: checks.length,
      points: { earned: checks.reduce((sum, c) => sum + (counted(c) ? c.points : 0), 0), possible: progress?.possible ?? 0 },
      ...(progress ? { grading: progress.rule } : {}),
      timeOnStepMs,
      lastActivity: new Date(Math.max(learner.lastSeen, session?.lastActivity ?? 0)).toISOString(),
      stuck: !stepPassed && stepChecks.length > 0 && timeOnStepMs > (this.deps.stuckMinutes ?? 10) * 60_000,
      failing: stepChecks.filter((c) => c.result && !counted(c)).map((c) => c.check.title),
      skippedSteps,
    };
  }

  rows(eventId: string): LearnerRow[] {
    return this.deps.events.learners(eventId).map((learner) => this.row(learner));
  }

  async extendLearner(id: string): Promise<void> {
    const session = this.runningSession(this.learner(id));
    this.deps.sessions.extend(session);
    this.tellLearner(session.id, { type: 'session-extended', expiresAt: new Date(session.expiresAt()).toISOString() });
  }

  /**
   * A fresh session for the learner's current lesson, which starts over: its results, reached step and
   * baselines are cleared (progress in other lessons stays), and the learner is back on its first step.
   */
  async resetLearner(id: string, reason = 'reset by the instructor'): Promise<void> {
    const learner = this.learner(id);
    await this.exclusively(learner.id, learner.displayName, () => this.restart(learner, reason));
  }

  private async restart(learner: LearnerRecord, reason: string): Promise<void> {
    const old = learner.sessionId;
    const lesson = learner.lesson ?? this.event(learner.eventId).lessons[0];
    // The new session first, so the old one's page learns where to go before it hears that its session ended.
    const session = await this.startSession(learner, lesson);
    this.deps.progress.resetProgress(learner.id, lesson);
    learner.lesson = lesson;
    learner.step = 0;
    learner.stepStartedAt = this.now();
    this.deps.events.updateLearner(learner);
    if (old) {
      this.tellLearner(old, { type: 'session-reset', sessionId: session.id });
      await this.deps.sessions.end(old, reason);
    }
    this.deps.hub.publish(eventChannel(learner.eventId), { type: 'learner', learner: this.row(learner) });
  }

  /**
   * A new session for a learner whose Docker host stopped answering (server/fleet): placed on another engine,
   * the lesson's steps before the learner's are replayed from their solutions (failover-replay.ts), what
   * the learner earned stays earned and the replay earns nothing new; steps it could not replay are marked
   * skipped and the learner is told. The page is told first.
   */
  async moveLearner(id: string, reason: string): Promise<void> {
    const learner = this.learner(id);
    await this.exclusively(learner.id, learner.displayName, async () => {
      const old = learner.sessionId;
      const lessonId = learner.lesson ?? this.event(learner.eventId).lessons[0];
      if (old) this.tellLearner(old, { type: 'message', text: `${reason}: a new session is being prepared on another host, with your earlier steps replayed; your progress is kept.`, at: new Date(this.now()).toISOString() });
      const created = await this.startSession(learner, lessonId);
      const replay = await replayOnNewHost(this.deps.sessions, this.deps.progress, learner.id, this.deps.sessions.find(created.id)!, lessonById(this.deps.lessons, lessonId), learner.step);
      if (replay.notReplayed.length) this.deps.log.warn({ learner: learner.id, notReplayed: replay.notReplayed, failure: replay.failure }, 'steps could not be replayed on the new host; they are marked skipped');
      if (old && replay.notReplayed.length) this.tellLearner(old, { type: 'message', text: `Step${replay.notReplayed.length > 1 ? 's' : ''} ${replay.notReplayed.map((s) => s + 1).join(', ')} could not be replayed on the new host, so ${replay.notReplayed.length > 1 ? 'they are' : 'it is'} marked skipped; what you earned is kept.`, at: new Date(this.now()).toISOString() });
      if (old) {
        this.tellLearner(old, { type: 'session-reset', sessionId: created.id });
        await this.deps.sessions.end(old, reason);
      }
      this.deps.hub.publish(eventChannel(learner.eventId), { type: 'learner', learner: this.row(learner) });
    });
  }

  /**
   * "Skip to this step": the server runs the solutions of the steps after the last one the learner completed
   * (every check earned, or skipped before) up to `step` in their nodes (catch-up.ts), marks those steps skipped
   * (their checks are never earned; reports say skipped), and moves the learner to `step`. Where the page says
   * the learner is does not count: opening a step is not doing it. A learner may not skip in an exam; the
   * instructor may.
   */
  async skipTo(id: string, step: number, by: 'learner' | 'instructor'): Promise<void> {
    const learner = this.learner(id);
    const event = this.event(learner.eventId);
    if (by === 'learner' && event.exam) throw new HttpError(403, 'exam', 'skipping steps is not allowed in an exam');
    const lessonId = learner.lesson ?? event.lessons[0];
    const lesson = lessonById(this.deps.lessons, lessonId);
    const from = skipStart(this.deps.progress, learner.id, `${learner.displayName} has`, lesson, step);
    await this.exclusively(learner.id, learner.displayName, async () => {
      const session = this.runningSession(learner);
      await this.runEarlierSteps(learner.id, session, lesson, from, step);
      await this.setPosition(learner, lessonId, step);
      // The learner's own page already is on the step; one the instructor moved is told to go there.
      if (by === 'instructor') this.tellLearner(session.id, { type: 'moved', lesson: lessonId, step });
    });
  }

  /**
   * A self-paced learner's "skip to this step" (no event): the same catch-up on the session they hold, the steps
   * marked skipped for the session's owner, and `step` counted as reached. A classroom learner's session goes
   * through skipTo, so an exam's rule and the dashboard apply to it.
   */
  async skipInSession(session: Session, lessonId: string, step: number): Promise<void> {
    const owner = session.resultsOwner();
    const learner = this.deps.events.learner(owner);
    if (learner) {
      if (learner.lesson !== undefined && learner.lesson !== lessonId) throw new HttpError(409, 'other_lesson', `you are on lesson ${learner.lesson}, not ${lessonId}`);
      return this.skipTo(learner.id, step, 'learner');
    }
    const lesson = lessonById(this.deps.lessons, lessonId);
    const from = skipStart(this.deps.progress, owner, 'you have', lesson, step);
    await this.exclusively(owner, 'this session', async () => {
      await this.runEarlierSteps(owner, session, lesson, from, step);
      await this.deps.progress.reach(owner, lesson.meta.id, step, session)
        .catch((error) => this.deps.log.warn({ err: error, session: session.id }, 'could not record the reached step'));
    });
  }

  /** Runs the solutions of steps `from`..`step - 1` in the session's nodes, marked skipped for the owner first. */
  private async runEarlierSteps(owner: string, session: Session, lesson: Lesson, from: number, step: number): Promise<void> {
    // Marked first, so a scheduled check run during the catch-up cannot earn what the solutions build.
    this.deps.progress.markSkipped(owner, lesson.meta.id, lesson.steps.slice(from, step).map((s) => s.index));
    await catchUp(this.deps.sessions, session, lesson, from, step);
  }

  /** Runs an action on every learner of the event, two at a time; one learner's failure does not stop the others. */
  async forEveryone(eventId: string, action: (learner: LearnerRecord) => Promise<void>): Promise<BulkOutcome> {
    const queue = this.deps.events.learners(this.event(eventId).id);
    const outcome: BulkOutcome = { done: 0, failed: [] };
    const worker = async () => {
      for (let learner = queue.shift(); learner; learner = queue.shift()) {
        try {
          await action(learner);
          outcome.done++;
        } catch (error) {
          outcome.failed.push({ learner: learner.id, name: learner.displayName, error: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all([worker(), worker()]);
    return outcome;
  }

  /** Runs an action on one owner's nodes unless another is under way (`whose`: whose nodes, for the refusal). */
  private async exclusively(owner: string, whose: string, action: () => Promise<void>): Promise<void> {
    if (this.busy.has(owner)) throw new HttpError(409, 'busy', `${whose}'s nodes are being changed; try again when that is done`);
    this.busy.add(owner);
    try {
      await action();
    } finally {
      this.busy.delete(owner);
    }
  }

  async endLearner(id: string): Promise<void> {
    const learner = this.learner(id);
    // Ending the session tells the learner's page (SessionManager.onEnded).
    if (learner.sessionId) await this.deps.sessions.end(learner.sessionId, 'ended by the instructor');
    delete learner.sessionId;
    this.deps.events.updateLearner(learner);
    this.deps.hub.publish(eventChannel(learner.eventId), { type: 'learner', learner: this.row(learner) });
  }

  message(eventId: string, text: string): number {
    const at = new Date(this.now()).toISOString();
    let sent = 0;
    for (const learner of this.deps.events.learners(eventId)) {
      if (!learner.sessionId) continue;
      this.tellLearner(learner.sessionId, { type: 'message', text, at });
      sent++;
    }
    return sent;
  }

  private tellLearner(sessionId: string, message: LearnerMessage): void {
    this.deps.hub.publish(sessionChannel(sessionId), message);
  }

  /** The current step of every learner of an open event with a running session: what the schedule re-checks. */
  dueChecks(): DueCheck[] {
    const due: DueCheck[] = [];
    for (const event of this.deps.events.events()) {
      if (event.endedAt) continue;
      for (const learner of this.deps.events.learners(event.id)) {
        const session = this.sessionOf(learner);
        if (session && learner.lesson) due.push({ learner: learner.id, session, lesson: learner.lesson, step: learner.step });
      }
    }
    return due;
  }

  /** An event's learners as grading sees them: whose results, the name on the report, their running session. */
  roster(eventId: string): Array<{ id: string; name: string; session?: Session }> {
    return this.deps.events.learners(eventId).map((learner) => ({ id: learner.id, name: learner.displayName, session: this.sessionOf(learner) }));
  }
}
