import type { ClusterView } from '../../shared/lesson-protocol.js';
import { badRequest } from '../errors.js';
import { lessonById } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { computePlaceholderValues } from '../lessons/placeholder-values.js';
import { listPlaceholders } from '../lessons/placeholders.js';
import type { Session } from '../sessions/session.js';
import type { NodeExec } from '../sessions/session-manager.js';
import { clusterView } from './cluster-view.js';
import { collectRawSnapshot, collectSnapshot, type NodeReader } from './collect-snapshot.js';
import { httpNodeReader } from './http-node-reader.js';
import type { ResultStore, StoredCheckResult } from './result-store.js';
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
 * Runs a lesson's checks against a session's nodes, keeps the latest result of every check for the session's
 * owner, and tells listeners (the classroom) about it. The checks route, the schedule and grading all come here.
 */
export class CheckRunner {
  private readonly listeners = new Set<(event: CheckRunEvent) => void>();

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

  async run(session: Session, lessonId: string, step?: number): Promise<CheckRunView> {
    const lesson = lessonById(this.lessons, lessonId);
    if (step !== undefined && !lesson.steps[step]) throw badRequest(`lesson ${lessonId} has no step ${step}`);
    const nodes = [...session.nodes.values()];
    const exec = this.sessions.nodeExec(session, 'check');
    const checks = (step === undefined ? lesson.steps : [lesson.steps[step]]).flatMap((s) => s.checks);
    const needed = listPlaceholders(JSON.stringify(checks.map((c) => c.assertions)));
    const values = await computePlaceholderValues(nodes, exec, needed);
    const run = await runLessonChecks(lesson, step, exec, nodes.map((n) => n.name), values, this.reader(session, exec));
    const owner = session.resultsOwner();
    this.results.save(run.checks.map((check): StoredCheckResult => ({
      owner,
      lesson: lesson.meta.id,
      checkId: check.id,
      step: check.step,
      title: check.title,
      passed: check.passed,
      earned: check.points.earned,
      possible: check.points.possible,
      detail: check.assertions.filter((a) => !a.passed).map((a) => ({ expected: a.expected, actual: a.actual, message: a.message, findings: a.findings })),
      checkedAt: this.now(),
    })));
    for (const listener of this.listeners) listener({ session, owner, run });
    return run;
  }
}
