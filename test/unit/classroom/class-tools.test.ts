import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { CheckRunner, type CheckedSessions } from '../../../server/checks/check-runner.js';
import { collectScript } from '../../../server/checks/collect-script.js';
import { ResultStore } from '../../../server/checks/result-store.js';
import { Classroom } from '../../../server/classroom/classroom.js';
import { EventStore } from '../../../server/classroom/event-store.js';
import { LiveHub } from '../../../server/classroom/live-hub.js';
import { loadConfig } from '../../../server/config.js';
import { Grading } from '../../../server/grading/grading.js';
import { lessonRequester } from '../../../server/http/classroom-routes.js';
import { lessonsRouter } from '../../../server/http/lessons-routes.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import type { LessonView } from '../../../shared/lesson-protocol.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';
import { demoFrontMatter, loadRaw } from '../checks/fixtures.js';

/** Three steps: the first creates web (a solution block), the second scales it (with a hint), the third only reads. */
const lessonSource = (grading: 'earned' | 'final-state') => `${demoFrontMatter(grading)}

## Create web

\`\`\`sh node=node1
docker service create --detach --name web nginx
\`\`\`

\`\`\`check
id: web-exists
title: web exists
points: 2
hint: create it
solution: true
assert:
  - service: web
\`\`\`

## Look at it

\`\`\`sh node=node1 solution
docker service ls
\`\`\`


\`\`\`check
id: web-replicated
title: web is replicated
points: 1
hint: look at the replicas
solution: true
assert:
  - service: web
    mode: replicated
\`\`\`

## Read on

Nothing to do.
`;

/**
 * A classroom over the fake node backend, whose check runs read a recorded cluster with the web service in
 * it (test/fixtures): what a learner's nodes look like once the first step's solution ran.
 */
function setup(grading: 'earned' | 'final-state' = 'earned') {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const db = openDatabase(':memory:');
  const log = createLogger('silent');
  const backend = new FakeNodeBackend();
  const sessions = new SessionManager(backend, loadConfig({ overrides: { limits: { maxSessions: 10, maxNodesTotal: 30 } } }), log, () => now);
  const raw = loadRaw('swarm-1m2w-services');
  const recorded: CheckedSessions = {
    nodeExec: () => async (node, command) => (command === collectScript()
      ? { exitCode: 0, output: JSON.stringify(raw.nodes[node]), truncated: false, timedOut: false }
      : { exitCode: 1, output: 'not recorded', truncated: false, timedOut: false }),
    engineAddresses: () => undefined,
  };
  const lesson = parseLesson(lessonSource(grading), 'demo.md');
  const lessons = new Map([['demo', lesson]]);
  const results = new ResultStore(db);
  const runner = new CheckRunner(recorded, lessons, results, () => now);
  const grader = new Grading({ checks: runner, results, lessons, log });
  const events = new EventStore(db);
  const hub = new LiveHub();
  const published: Array<{ channel: string; message: unknown }> = [];
  hub.publish = (channel, message) => void published.push({ channel, message });
  const classroom = new Classroom({ events, progress: runner, sessions, lessons, hub, grading: grader, baseUrl: () => 'http://ws.example', log, now: () => now });
  runner.hideHelpWhen((id, owner) => classroom.helpHiddenForOwner(id, owner));
  return { classroom, sessions, backend, runner, results, grader, lessons, published, at: (iso: string) => (now = Date.parse(iso)), advance: (ms: number) => (now += ms) };
}

describe('skip to a step', () => {
  it('runs the earlier steps\' blocks, solutions included, in order on their nodes, and moves the learner (instructor)', async () => {
    const { classroom, backend, published } = setup();
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    const before = backend.commands.length;
    await classroom.skipTo(ada.learner.id, 2, 'instructor');
    const ran = backend.commands.slice(before).filter((c) => c.command.startsWith('docker service'));
    expect(ran).toEqual([
      { node: 'node1', command: 'docker service create --detach --name web nginx\n' },
      { node: 'node1', command: 'docker service ls\n' },
    ]);
    const row = classroom.row(classroom.learner(ada.learner.id));
    expect(row.step).toBe(2);
    expect(row.skippedSteps).toEqual([0, 1]);
    expect(published).toContainEqual({ channel: `session:${ada.session.id}`, message: { type: 'moved', lesson: 'demo', step: 2 } });
    // Every step before it is skipped already: nothing to catch up.
    await expect(classroom.skipTo(ada.learner.id, 1, 'learner')).rejects.toMatchObject({ status: 409, code: 'nothing_to_skip' });
  });

  it('catches up a self-paced session too: the solutions run, the steps are skipped for its owner, not earned', async () => {
    const { classroom, sessions, backend, runner, grader } = setup();
    const created = await sessions.create({ template: 'swarm-1m2w', swarm: true, lesson: 'demo' });
    const session = sessions.find(created.id)!;
    const before = backend.commands.length;
    await classroom.skipInSession(session, 'demo', 2);
    expect(backend.commands.slice(before).filter((c) => c.command.startsWith('docker service')).map((c) => c.command)).toEqual([
      'docker service create --detach --name web nginx\n',
      'docker service ls\n',
    ]);
    expect(runner.skippedSteps(session.resultsOwner(), 'demo')).toEqual([0, 1]);
    await runner.run(session, 'demo');
    const [report] = grader.reports([{ id: session.resultsOwner(), name: 'solo' }], 'demo');
    expect(report).toMatchObject({ earned: 0, skippedSteps: [0, 1] });
    await expect(classroom.skipInSession(session, 'demo', 1)).rejects.toMatchObject({ status: 409, code: 'nothing_to_skip' });
    await expect(classroom.skipInSession(session, 'demo', 9)).rejects.toMatchObject({ status: 400 });
  });

  it.each(['earned', 'final-state'] as const)('never earns the skipped steps\' checks, and the report says skipped (%s)', async (rule) => {
    const { classroom, runner, grader } = setup(rule);
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    await classroom.skipTo(ada.learner.id, 2, 'learner');
    // The schedule's whole-lesson round finds both checks holding on the caught-up cluster.
    const run = await runner.run(classroom.sessionOf(classroom.learner(ada.learner.id))!, 'demo');
    expect(run.checks.every((c) => c.passed)).toBe(true);
    const stored = runner.forOwner(ada.learner.id, 'demo');
    expect(stored.map((r) => [r.checkId, r.passed, r.earned, r.earnedAt])).toEqual([
      ['web-exists', true, 0, undefined],
      ['web-replicated', true, 0, undefined],
    ]);
    const [report] = grader.reports(classroom.roster(event.id), 'demo');
    expect(report.skippedSteps).toEqual([0, 1]);
    expect(report.checks.map((c) => [c.id, c.skipped, c.passed, c.earned])).toEqual([
      ['web-exists', true, false, 0],
      ['web-replicated', true, false, 0],
    ]);
    expect(report.earned).toBe(0);
    expect(report.passed).toBe(false);
    // The instructor's row agrees with the report.
    const row = classroom.row(classroom.learner(ada.learner.id));
    expect([row.checksPassed, row.points.earned]).toEqual([0, 0]);
  });

  it('keeps what was earned before the skip', async () => {
    const { classroom, runner, grader } = setup();
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    await runner.run(classroom.sessionOf(classroom.learner(ada.learner.id))!, 'demo', 0);
    // The page already reported the learner on step 3 (they opened it): that is not having done step 2.
    await classroom.setPosition(classroom.learner(ada.learner.id), 'demo', 2);
    await classroom.skipTo(ada.learner.id, 2, 'learner');
    const [report] = grader.reports(classroom.roster(event.id), 'demo');
    expect(report.skippedSteps).toEqual([1]);
    expect(report.checks.map((c) => [c.id, c.skipped ?? false, c.earned])).toEqual([['web-exists', false, 2], ['web-replicated', true, 0]]);
  });

  it('restart gives a fresh session and clears the lesson\'s progress and skipped marks', async () => {
    const { classroom, sessions, runner } = setup();
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    await classroom.skipTo(ada.learner.id, 2, 'learner');
    await classroom.resetLearner(ada.learner.id, 'restarted by the learner');
    const learner = classroom.learner(ada.learner.id);
    expect(learner.sessionId).not.toBe(ada.session.id);
    expect(sessions.find(ada.session.id)).toBeUndefined();
    expect(learner.step).toBe(0);
    expect(runner.skippedSteps(learner.id, 'demo')).toEqual([]);
    expect(runner.forOwner(learner.id, 'demo')).toEqual([]);
  });

  it('acts on every learner of an event, and a learner already past the step is left alone', async () => {
    const { classroom } = setup();
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    const bob = await classroom.join(event.joinCode, 'Bob');
    await classroom.skipTo(bob.learner.id, 2, 'learner');
    const outcome = await classroom.forEveryone(event.id, (learner) => classroom.skipTo(learner.id, 1, 'instructor'));
    expect(outcome).toMatchObject({ done: 1, failed: [{ name: 'Bob', error: expect.stringContaining('every step before step 2') }] });
    expect(classroom.learner(ada.learner.id).step).toBe(1);
    expect(classroom.learner(bob.learner.id).step).toBe(2);
    const restarted = await classroom.forEveryone(event.id, (learner) => classroom.resetLearner(learner.id));
    expect(restarted.done).toBe(2);
    expect(classroom.rows(event.id).map((r) => r.step)).toEqual([0, 0]);
  });
});

describe('exam mode', () => {
  const exam = { opensAt: '2026-11-23T11:00:00Z', closesAt: '2026-11-23T12:00:00Z' };

  it('refuses joins before it opens and after it closes, each with its own message', async () => {
    const { classroom, at } = setup();
    const event = classroom.createEvent({ name: 'Final', lessons: ['demo'], capacity: 5, warmPool: 0, exam });
    expect(event.exam).toEqual({ opensAt: '2026-11-23T11:00:00.000Z', closesAt: '2026-11-23T12:00:00.000Z' });
    await expect(classroom.join(event.joinCode, 'Early')).rejects.toMatchObject({ status: 403, code: 'exam_not_open', message: expect.stringContaining('opens at 2026-11-23T11:00:00.000Z') });
    at('2026-11-23T11:00:00Z');
    await expect(classroom.join(event.joinCode, 'Ada')).resolves.toBeDefined();
    at('2026-11-23T12:00:01Z');
    await expect(classroom.join(event.joinCode, 'Late')).rejects.toMatchObject({ status: 410, code: 'exam_closed', message: expect.stringContaining('late joins are refused') });
  });

  it('withholds hints and solutions only while it runs, from the lesson route and from check results', async () => {
    const { classroom, runner, lessons, sessions, at } = setup();
    const event = classroom.createEvent({ name: 'Final', lessons: ['demo'], capacity: 5, warmPool: 0, exam });
    const app = express().use('/lessons', lessonsRouter(lessons, (id, req) => classroom.helpHiddenFor(id, lessonRequester(req))));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lessonView = async (headers: Record<string, string> = {}, session?: string) =>
      (await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/lessons/demo${session ? `?session=${session}` : ''}`, { headers })).json()) as LessonView;
    try {
      const open = await lessonView();
      expect(open.helpHidden).toBeUndefined();
      expect(open.stepViews[1].solutionHtml).toContain('docker service ls');
      expect(open.stepViews[0].checks[0].hint).toBe('create it');

      at('2026-11-23T11:30:00Z');
      const during = await lessonView();
      expect(during.helpHidden).toBe(true);
      expect(JSON.stringify(during)).not.toMatch(/docker service ls|create it|look at the replicas|solutionHtml|"hint"/);
      const ada = await classroom.join(event.joinCode, 'Ada');
      const run = await runner.run(classroom.sessionOf(classroom.learner(ada.learner.id))!, 'demo', 0);
      expect(run.checks).toHaveLength(1);
      expect(run.checks[0]).not.toHaveProperty('hint');
      // Skipping would run the solutions: not for a learner in an exam.
      await expect(classroom.skipTo(ada.learner.id, 1, 'learner')).rejects.toMatchObject({ status: 403, code: 'exam' });

      // Scoped to the exam's learners: Ada's credentials get no help; a self-paced learner on the same lesson does.
      expect((await lessonView({ authorization: `Bearer ${ada.token}` }, ada.session.id)).helpHidden).toBe(true);
      const solo = await sessions.create({ template: 'swarm-1m2w', swarm: true, lesson: 'demo' });
      const soloView = await lessonView({ authorization: `Bearer ${solo.token}` }, solo.id);
      expect(soloView.helpHidden).toBeUndefined();
      expect(soloView.stepViews[0].checks[0].hint).toBe('create it');
      expect(classroom.helpHiddenForOwner('demo', sessions.find(solo.id)!.resultsOwner())).toBe(false);
      expect(classroom.helpHiddenForOwner('demo', ada.learner.id)).toBe(true);
      // A wrong token proves nothing: answered as to an exam learner.
      expect((await lessonView({ authorization: 'Bearer not-a-token' }, solo.id)).helpHidden).toBe(true);

      at('2026-11-23T12:30:00Z');
      await classroom.closeDueEvents();
      expect((await lessonView()).stepViews[0].checks[0].hint).toBe('create it');
    } finally {
      server.close();
    }
  });

  it('grades every learner at the close on their clusters, before their sessions end, and keeps the results for export', async () => {
    const { classroom, sessions, grader, at } = setup('final-state');
    const event = classroom.createEvent({ name: 'Final', lessons: ['demo'], capacity: 5, warmPool: 0, exam });
    at('2026-11-23T11:05:00Z');
    const ada = await classroom.join(event.joinCode, 'Ada');
    const bob = await classroom.join(event.joinCode, 'Bob');
    // Nobody pressed Check: what the grade finds comes from the automatic grading at the close.
    at('2026-11-23T11:59:00Z');
    expect(await classroom.closeDueEvents()).toBe(0);
    at('2026-11-23T12:00:01Z');
    expect(await classroom.closeDueEvents()).toBe(1);
    const closed = classroom.eventView(classroom.event(event.id));
    expect(closed.exam?.gradedAt).toBe('2026-11-23T12:00:01.000Z');
    expect(closed.endedAt).toBeDefined();
    expect(sessions.find(ada.session.id)).toBeUndefined();
    expect(sessions.find(bob.session.id)).toBeUndefined();
    const reports = grader.reports(classroom.roster(event.id), 'demo');
    expect(reports.map((r) => [r.learner, r.earned, r.possible])).toEqual([['Ada', 3, 3], ['Bob', 3, 3]]);
    const csv = grader.export(classroom.roster(event.id), 'demo', 'csv').body;
    expect(csv).toContain('Ada');
    // A second sweep does not grade again.
    at('2026-11-23T13:00:00Z');
    expect(await classroom.closeDueEvents()).toBe(0);
  });
});
