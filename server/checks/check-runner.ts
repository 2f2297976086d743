import type { ClusterView } from '../../shared/lesson-protocol.js';
import { badRequest } from '../errors.js';
import { lessonById } from '../lessons/load-lessons.js';
import type { Lesson, LessonCheck } from '../lessons/lesson-types.js';
import { computePlaceholderValues } from '../lessons/placeholder-values.js';
import { listPlaceholders } from '../lessons/placeholders.js';
import type { Session } from '../sessions/session.js';
import type { NodeExec } from '../sessions/session-manager.js';
import { clusterView } from './cluster-view.js';
import { collectRawSnapshot, collectSnapshot, type NodeReader } from './collect-snapshot.js';
import { httpNodeReader } from './http-node-reader.js';
import { ProbeHistory } from './probe-need.js';
import { readPlan } from './read-plan.js';
import { baselineOf, needsBaseline } from './baseline.js';
import { mergeResult, storableFindings } from './earning.js';
import type { ResultStore, StoredCheckResult } from './result-store.js';
import type { ClusterSnapshot } from './snapshot.js';
import { runLessonChecks, type CheckRunView } from './run-lesson-checks.js';

export interface CheckRunEvent {
  session: Session;
  owner: string;
  run: CheckRunView;
}

/** What the runner needs of the sessions: commands on a session's nodes, and where their engines answer. */
export interface CheckedSessions {
  nodeExec(session: Session, profile: 'check'): NodeExec;
  engineAddresses(session: Session): ReadonlyMap<string, string> | undefined;
}

/**
 * Runs a lesson's checks against a session's nodes, keeps every check's result for the session's owner (the
 * latest evaluation and what was earned: earning.ts), the furthest step the owner reached and the baselines of
 * steps that compare with the past, and tells listeners (the classroom) about runs. The checks route, the
 * schedule, the classroom and grading all come here.
 */
export class CheckRunner {
  private readonly listeners = new Set<(event: CheckRunEvent) => void>();
  /** Whether a lesson's hints are withheld from an owner now (an exam's learner: the classroom says). */
  private helpHidden: (lessonId: string, owner: string) => boolean = () => false;
  /** Which probes each session's last run needed (probe-need.ts); kept as long as the session. */
  private readonly probeHistories = new WeakMap<Session, ProbeHistory>();

  constructor(
    private readonly sessions: CheckedSessions,
    private readonly lessons: ReadonlyMap<string, Lesson>,
    private readonly results: ResultStore,
    private readonly now: () => number = Date.now,
  ) {}

  onRun(listener: (event: CheckRunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hideHelpWhen(predicate: (lessonId: string, owner: string) => boolean): void {
    this.helpHidden = predicate;
  }

  /** The live cluster for the page: nodes, roles, availability and the tasks on each. */
  async cluster(session: Session): Promise<ClusterView> {
    const exec = this.sessions.nodeExec(session, 'check');
    return clusterView(await collectSnapshot(exec, [...session.nodes.keys()], [], this.reader(session, exec)));
  }

  /** Docker nodes are read over the session network; local shells (no engine API) through exec. */
  private reader(session: Session, exec: NodeExec): NodeReader | undefined {
    const addresses = this.sessions.engineAddresses(session);
    if (!addresses) return undefined;
    return httpNodeReader(addresses, (node) => collectRawSnapshot(exec, [node]).then((raw) => raw.nodes[node]));
  }

  /**
   * Runs checks and keeps their results for the session's owner. With a `step` the learner pressed Check on
   * that step, so it counts as reached; without one (the schedule's whole-lesson round, "Grade now", the grade
   * command) the run earns only checks of steps already reached and never takes earned points away.
   */
  async run(session: Session, lessonId: string, step?: number): Promise<CheckRunView> {
    const lesson = lessonById(this.lessons, lessonId);
    if (step !== undefined && !lesson.steps[step]) throw badRequest(`lesson ${lessonId} has no step ${step}`);
    const owner = session.resultsOwner();
    const id = lesson.meta.id;
    const reached = step === undefined ? this.results.reachedStep(owner, id) : this.results.reach(owner, id, step, this.now());
    const nodes = [...session.nodes.values()];
    const exec = this.sessions.nodeExec(session, 'check');
    const checks = (step === undefined ? lesson.steps : [lesson.steps[step]]).flatMap((s) => s.checks);
    const needed = listPlaceholders(JSON.stringify(checks.map((c) => c.assertions)));
    const values = await computePlaceholderValues(nodes, exec, needed);
    const baselinesFor = (snapshot: ClusterSnapshot) => {
      this.recordBaselines(owner, lesson, reached, snapshot);
      const baselines = this.results.baselines(owner, id);
      return (check: LessonCheck) => baselines.get(check.step);
    };
    let history = this.probeHistories.get(session);
    if (!history) this.probeHistories.set(session, (history = new ProbeHistory()));
    const run = await runLessonChecks(lesson, step, exec, nodes.map((n) => n.name), values, this.reader(session, exec), baselinesFor, history);
    const checkedAt = this.now();
    const previous = new Map(this.results.forOwner(owner, id).map((r) => [r.checkId, r]));
    // A step the server caught up for the owner earns nothing: its checks hold because its solution ran.
    const skipped = new Set(this.results.skippedSteps(owner, id));
    this.results.save(run.checks.map((check) => mergeResult(previous.get(check.id), {
      owner,
      lesson: id,
      checkId: check.id,
      step: check.step,
      title: check.title,
      passed: check.passed,
      possible: check.points.possible,
      detail: storableFindings(check),
      checkedAt,
    }, skipped.has(check.step) ? undefined : reached)));
    for (const listener of this.listeners) listener({ session, owner, run });
    return this.helpHidden(id, owner) ? { ...run, checks: run.checks.map(({ hint: _hint, ...check }) => check) } : run;
  }

  /**
   * The learner is on `step` (the classroom's position updates): it counts as reached, and steps that compare
   * with the past get their baseline now, read from the learner's cluster when there is one.
   */
  async reach(owner: string, lessonId: string, step: number, session?: Session): Promise<void> {
    const lesson = lessonById(this.lessons, lessonId);
    if (!lesson.steps[step]) throw badRequest(`lesson ${lessonId} has no step ${step}`);
    const reached = this.results.reach(owner, lesson.meta.id, step, this.now());
    if (!session || this.baselineSteps(owner, lesson, reached).length === 0) return;
    const exec = this.sessions.nodeExec(session, 'check');
    const snapshot = await collectSnapshot(exec, [...session.nodes.keys()], [], this.reader(session, exec), readPlan([], true));
    this.recordBaselines(owner, lesson, reached, snapshot);
  }

  /** The owner's stored results for a lesson (what the classroom's rows and the reports read). */
  forOwner(owner: string, lessonId: string): StoredCheckResult[] {
    return this.results.forOwner(owner, lessonId);
  }

  /** Marks steps as caught up by the server for the owner: shown as skipped, never earned. */
  markSkipped(owner: string, lessonId: string, steps: readonly number[]): void {
    this.results.markSkipped(owner, lessonById(this.lessons, lessonId).meta.id, steps, this.now());
  }

  skippedSteps(owner: string, lessonId: string): number[] {
    return this.results.skippedSteps(owner, lessonId);
  }

  /** A reset of the lesson for the owner (instructor's reset, learner's restart): earned results go too. */
  resetProgress(owner: string, lessonId: string): void {
    this.results.resetLesson(owner, lessonById(this.lessons, lessonId).meta.id);
  }

  /**
   * Steps up to the one after the reached step whose checks compare with a baseline and have none yet. The next
   * step is included so a learner who presses Check on a step before the one that rotates a token has its
   * baseline taken before they act, even where nothing tells the server they opened the next step.
   */
  private baselineSteps(owner: string, lesson: Lesson, reached: number | undefined): number[] {
    if (reached === undefined) return [];
    const recorded = this.results.baselines(owner, lesson.meta.id);
    return lesson.steps
      .filter((s) => s.index <= reached + 1 && !recorded.has(s.index) && s.checks.some(needsBaseline))
      .map((s) => s.index);
  }

  /** Baselines without join tokens (no swarm yet) are not kept: the step gets one once the swarm can be read. */
  private recordBaselines(owner: string, lesson: Lesson, reached: number | undefined, snapshot: ClusterSnapshot): void {
    const steps = this.baselineSteps(owner, lesson, reached);
    if (steps.length === 0) return;
    const baseline = baselineOf(snapshot, this.now());
    if (!baseline.joinTokens) return;
    for (const step of steps) this.results.saveBaseline(owner, lesson.meta.id, step, baseline);
  }
}
