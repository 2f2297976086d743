import { describe, expect, it } from 'vitest';
import { CheckRunner, type CheckedSessions } from '../../../server/checks/check-runner.js';
import { collectScript } from '../../../server/checks/collect-script.js';
import { ResultStore } from '../../../server/checks/result-store.js';
import { Classroom } from '../../../server/classroom/classroom.js';
import { EventStore } from '../../../server/classroom/event-store.js';
import { LiveHub } from '../../../server/classroom/live-hub.js';
import { loadConfig } from '../../../server/config.js';
import { Grading } from '../../../server/grading/grading.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { createLogger } from '../../../server/logger.js';
import type { ExecLimits, NodeHandle } from '../../../server/nodes/node-backend.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';
import { demoFrontMatter, loadRaw } from '../checks/fixtures.js';

/** Four steps: create web (earned by the learner), scale it (not earned), a step whose block fails on the new host, and reading. */
const lesson = parseLesson(
  `${demoFrontMatter()}

## Create web

\`\`\`sh node=node1
docker service create --detach --name web nginx
\`\`\`

\`\`\`check
id: web-exists
title: web exists
points: 2
assert:
  - service: web
\`\`\`

## Scale it

\`\`\`sh node=node1 solution
docker service scale web=3
\`\`\`

\`\`\`check
id: web-replicated
title: web is replicated
points: 1
assert:
  - service: web
    mode: replicated
\`\`\`

## Something only the old host had

\`\`\`sh node=node1
cat /only-on-the-old-host
\`\`\`

## Read on

Nothing to do.
`,
  'demo.md',
);

/** The fake engine, except that a command reading what only the old host had fails, as it would on a new one. */
class NewHostBackend extends FakeNodeBackend {
  override async exec(node: NodeHandle, command: string, limits: ExecLimits) {
    if (command.includes('/only-on-the-old-host')) {
      this.commands.push({ node: node.name, command });
      return { exitCode: 1, output: 'cat: /only-on-the-old-host: No such file or directory', truncated: false, timedOut: false };
    }
    return super.exec(node, command, limits);
  }
}

/** A classroom over the fake engine, whose check runs read a recorded cluster with web in it (as after the solutions ran). */
function setup() {
  const db = openDatabase(':memory:');
  const log = createLogger('silent');
  const backend = new NewHostBackend();
  const sessions = new SessionManager(backend, loadConfig({ overrides: { limits: { maxSessions: 10, maxNodesTotal: 30 } } }), log);
  const raw = loadRaw('swarm-1m2w-services');
  const recorded: CheckedSessions = {
    nodeExec: () => async (node, command) => (command === collectScript()
      ? { exitCode: 0, output: JSON.stringify(raw.nodes[node]), truncated: false, timedOut: false }
      : { exitCode: 1, output: 'not recorded', truncated: false, timedOut: false }),
    engineAddresses: () => undefined,
  };
  const lessons = new Map([['demo', lesson]]);
  const results = new ResultStore(db);
  const runner = new CheckRunner(recorded, lessons, results);
  const grading = new Grading({ checks: runner, results, lessons, log });
  const hub = new LiveHub();
  const published: Array<{ channel: string; message: unknown }> = [];
  hub.publish = (channel, message) => void published.push({ channel, message });
  const classroom = new Classroom({ events: new EventStore(db), progress: runner, sessions, lessons, hub, grading, baseUrl: () => 'http://ws.example', log });
  return { classroom, sessions, backend, runner, grading, published };
}

describe('failover: a learner moved to a new host', () => {
  it('replays the earlier steps, earns nothing new, keeps what was earned, and marks the steps it could not replay', async () => {
    const { classroom, sessions, backend, runner, grading, published } = setup();
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    // Ada earned step 1 on her first host and went on to step 4 without earning step 2.
    await runner.run(sessions.find(ada.session.id)!, 'demo', 0);
    await classroom.setPosition(classroom.learner(ada.learner.id), 'demo', 3);
    const earnedAt = runner.forOwner(ada.learner.id, 'demo').find((r) => r.checkId === 'web-exists')!.earnedAt;
    const before = backend.commands.length;

    await classroom.moveLearner(ada.learner.id, 'the Docker host a stopped answering');

    const moved = classroom.sessionOf(classroom.learner(ada.learner.id))!;
    expect(moved.id).not.toBe(ada.session.id);
    expect(sessions.find(ada.session.id)).toBeUndefined();
    // Steps 1–3 were replayed in order; the third failed there.
    expect(backend.commands.slice(before).filter((c) => /docker service (create|scale)|only-on/.test(c.command)).map((c) => c.command.trim())).toEqual([
      'docker service create --detach --name web nginx',
      'docker service scale web=3',
      'cat /only-on-the-old-host',
    ]);
    // Step 2 (not earned before) and step 3 (not replayed) are skipped; step 1 (earned) is not.
    expect(runner.skippedSteps(ada.learner.id, 'demo')).toEqual([1, 2]);
    expect(published).toContainEqual({ channel: `session:${ada.session.id}`, message: expect.objectContaining({ type: 'message', text: expect.stringContaining('Step 3 could not be replayed on the new host') }) });
    expect(published).toContainEqual({ channel: `session:${ada.session.id}`, message: { type: 'session-reset', sessionId: moved.id } });

    // The schedule checks the new cluster, where both checks hold now: nothing new is earned.
    await runner.run(moved, 'demo');
    const stored = runner.forOwner(ada.learner.id, 'demo');
    expect(stored.map((r) => [r.checkId, r.passed, r.earnedAt])).toEqual([
      ['web-exists', true, earnedAt],
      ['web-replicated', true, undefined],
    ]);
    const [report] = grading.reports(classroom.roster(event.id), 'demo');
    expect(report).toMatchObject({ earned: 2, skippedSteps: [1, 2] });
    expect(classroom.row(classroom.learner(ada.learner.id)).points.earned).toBe(2);
  });

  it('replays a learner who earned every step before theirs without marking anything', async () => {
    const { classroom, sessions, runner } = setup();
    const event = classroom.createEvent({ name: 'Class', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const bob = await classroom.join(event.joinCode, 'Bob');
    await runner.run(sessions.find(bob.session.id)!, 'demo', 0);
    await classroom.setPosition(classroom.learner(bob.learner.id), 'demo', 1);
    await classroom.moveLearner(bob.learner.id, 'the Docker host b stopped answering');
    expect(runner.skippedSteps(bob.learner.id, 'demo')).toEqual([]);
    expect(classroom.row(classroom.learner(bob.learner.id)).points.earned).toBe(2);
  });
});
