import type { CheckRunView } from '../checks/run-lesson-checks.js';
import { runLessonChecks } from '../checks/run-lesson-checks.js';
import type { ClusterView } from '../../shared/lesson-protocol.js';
import { clusterView } from '../checks/cluster-view.js';
import { collectRawSnapshot, collectSnapshot, type NodeExec, type NodeReader } from '../checks/collect-snapshot.js';
import { httpNodeReader } from '../checks/http-node-reader.js';
import { notFound, badRequest } from '../errors.js';
import { sessionExec } from '../sessions/session-exec.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { computePlaceholderValues } from '../lessons/placeholder-values.js';
import { listPlaceholders } from '../lessons/placeholders.js';
import type { Session } from '../sessions/session.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { ResultStore, StoredCheckResult } from './result-store.js';

export interface CheckRunEvent {
  session: Session;
  owner: string;
  run: CheckRunView;
}

const CHECK_EXEC_LIMITS = { timeoutMs: 15_000, maxOutputBytes: 8 * 1024 * 1024 };

/**
 * Runs a lesson's checks against a session's nodes, keeps the latest result of every check for its owner,
 * and tells listeners (the classroom) about it. The checks route, the schedule and grading all come here.
 */
export class CheckRunner {
  private readonly listeners = new Set<(event: CheckRunEvent) => void>();

  constructor(
    private readonly sessions: SessionManager,
    private readonly lessons: ReadonlyMap<string, Lesson>,
    private readonly results: ResultStore,
    private readonly ownerOf: (session: Session) => string,
    private readonly now: () => number = Date.now,
  ) {}

  lesson(id: string): Lesson {
    const lesson = this.lessons.get(id);
    if (!lesson) throw notFound(`no lesson ${id}`);
    return lesson;
  }

  onRun(listener: (event: CheckRunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The live cluster for the page: nodes, roles, availability and the tasks on each. */
  async cluster(session: Session): Promise<ClusterView> {
    const exec = sessionExec(this.sessions, session, CHECK_EXEC_LIMITS);
    return clusterView(await collectSnapshot(exec, [...session.nodes.keys()], [], this.reader(session, exec)));
  }

  /** Docker nodes are read over the session network; local shells (no engine API) through exec. */
  private reader(session: Session, exec: NodeExec): NodeReader | undefined {
    if (this.sessions.backend.kind !== 'docker') return undefined;
    const addresses = new Map([...session.nodes.values()].map((node) => [node.name, node.address]));
    return httpNodeReader(addresses, (node) => collectRawSnapshot(exec, [node]).then((raw) => raw.nodes[node]));
  }

  async run(session: Session, lessonId: string, step?: number): Promise<CheckRunView> {
    const lesson = this.lesson(lessonId);
    if (step !== undefined && !lesson.steps[step]) throw badRequest(`lesson ${lessonId} has no step ${step}`);
    const nodes = [...session.nodes.values()];
    const exec = sessionExec(this.sessions, session, CHECK_EXEC_LIMITS);
    const checks = (step === undefined ? lesson.steps : [lesson.steps[step]]).flatMap((s) => s.checks);
    const needed = listPlaceholders(JSON.stringify(checks.map((c) => c.assertions)));
    const values = await computePlaceholderValues(nodes, exec, needed);
    const run = await runLessonChecks(lesson, step, exec, nodes.map((n) => n.name), values, this.reader(session, exec));
    const owner = this.ownerOf(session);
    this.results.save(run.checks.map((check): StoredCheckResult => ({
      owner,
      lesson: lesson.meta.id,
      checkId: check.id,
      step: check.step,
      title: check.title,
      passed: check.passed,
      earned: check.points.earned,
      possible: check.points.possible,
      detail: check.assertions.filter((a) => !a.passed).map((a) => ({ expected: a.expected, actual: a.actual, message: a.message })),
      checkedAt: this.now(),
    })));
    for (const listener of this.listeners) listener({ session, owner, run });
    return run;
  }
}
