import { describe, expect, it } from 'vitest';
import { Classroom, eventChannel, sessionChannel } from '../../../server/classroom/classroom.js';
import { EventStore } from '../../../server/classroom/event-store.js';
import { LiveHub } from '../../../server/classroom/live-hub.js';
import { loadConfig } from '../../../server/config.js';
import { CheckRunner } from '../../../server/checks/check-runner.js';
import { ResultStore } from '../../../server/checks/result-store.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

const LESSON = `---
id: demo
title: Demo
summary: A lesson for tests.
template: swarm-1m2w
swarm: true
minutes: 5
---

Intro.

## First step

\`\`\`sh node=node1
docker service create --detach --name web web:1
\`\`\`

\`\`\`check
title: web exists
points: 2
assert:
  - service: web
\`\`\`

## Second step

\`\`\`check
title: web has 3 replicas
points: 3
assert:
  - service: web
    replicas: 3
\`\`\`
`;

function setup() {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const db = openDatabase(':memory:');
  const log = createLogger('silent');
  const backend = new FakeNodeBackend();
  const sessions = new SessionManager(backend, loadConfig({ overrides: { limits: { maxSessions: 10, maxNodesTotal: 30 } } }), log, () => now);
  const events = new EventStore(db);
  const results = new ResultStore(db);
  const lesson = parseLesson(LESSON, 'demo.md');
  const runner = new CheckRunner(sessions, new Map([['demo', lesson]]), results, () => now);
  const hub = new LiveHub();
  const published: Array<{ channel: string; message: unknown }> = [];
  hub.publish = (channel, message) => void published.push({ channel, message });
  const classroom = new Classroom({ events, progress: runner, sessions, lessons: new Map([['demo', lesson]]), hub, baseUrl: () => 'http://ws.example', log, now: () => now, stuckMinutes: 10 });
  return { classroom, sessions, results, backend, published, advance: (ms: number) => (now += ms), lesson };
}

describe('Classroom', () => {
  it('creates an event with a join code and link, and refuses unknown lessons', () => {
    const { classroom } = setup();
    const event = classroom.createEvent({ name: 'Swarm 101', lessons: ['demo'], capacity: 2, warmPool: 0 });
    expect(event.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(event.joinUrl).toBe(`http://ws.example/join.html?code=${event.joinCode}`);
    expect(() => classroom.createEvent({ name: 'x', lessons: ['nope'], capacity: 1, warmPool: 0 })).toThrow(/no lesson nope/);
  });

  it('lets learners join with the code in any case, starts their session for the first lesson, and enforces capacity and names', async () => {
    const { classroom, sessions, published } = setup();
    const event = classroom.createEvent({ name: 'Swarm 101', lessons: ['demo'], capacity: 2, warmPool: 0 });
    const ada = await classroom.join(event.joinCode.toLowerCase().replace('-', ' '), 'Ada');
    expect(ada.session.nodes.map((n) => n.role)).toEqual(['manager', 'worker', 'worker']);
    // The learner token opens the learner's own session.
    expect(sessions.authorize(ada.session.id, ada.token).id).toBe(ada.session.id);
    await expect(classroom.join(event.joinCode, 'ada')).rejects.toMatchObject({ status: 409, message: expect.stringContaining('already called') });
    const bob = await classroom.join(event.joinCode, 'Bob');
    expect(() => sessions.authorize(ada.session.id, bob.token)).toThrow(expect.objectContaining({ status: 403 }));
    await expect(classroom.join(event.joinCode, 'Cy')).rejects.toMatchObject({ status: 409, message: expect.stringContaining('full') });
    await expect(classroom.join('ZZZZ-ZZZZ', 'Dee')).rejects.toMatchObject({ status: 404 });
    expect(published.filter((p) => p.channel === eventChannel(event.id))).toHaveLength(2);
  });

  it('shows progress, time on step and being stuck in the dashboard rows', async () => {
    const { classroom, results, advance, published } = setup();
    const event = classroom.createEvent({ name: 'Swarm 101', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    let [row] = classroom.rows(event.id);
    expect(row).toMatchObject({ name: 'Ada', lesson: 'demo', step: 0, stepTitle: 'First step', checksPassed: 0, checksTotal: 2, points: { earned: 0, possible: 5 }, stuck: false, sessionStatus: 'running' });
    results.save([{ owner: ada.learner.id, lesson: 'demo', checkId: '0.0', step: 0, title: 'web exists', passed: false, earned: 0, possible: 2, detail: [{ message: 'service `web` does not exist' }], checkedAt: 0 }]);
    advance(11 * 60_000);
    [row] = classroom.rows(event.id);
    expect(row).toMatchObject({ stuck: true, failing: ['web exists'], timeOnStepMs: 11 * 60_000 });
    results.save([{ owner: ada.learner.id, lesson: 'demo', checkId: '0.0', step: 0, title: 'web exists', passed: true, earned: 2, possible: 2, detail: [], checkedAt: 1, earnedAt: 1 }]);
    [row] = classroom.rows(event.id);
    expect(row).toMatchObject({ stuck: false, checksPassed: 1, points: { earned: 2, possible: 5 }, failing: [] });
    const learner = classroom.learnerByToken(ada.token);
    await classroom.setPosition(learner, 'demo', 1);
    [row] = classroom.rows(event.id);
    expect(row).toMatchObject({ step: 1, stepTitle: 'Second step', timeOnStepMs: 0 });
    expect(published.at(-1)).toMatchObject({ channel: eventChannel(event.id), message: { type: 'learner', learner: { step: 1 } } });
  });

  it('extends, resets and ends a learner\'s session, telling their page', async () => {
    const { classroom, sessions, published, results } = setup();
    const event = classroom.createEvent({ name: 'Swarm 101', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    await classroom.extendLearner(ada.learner.id);
    expect(published.at(-1)).toMatchObject({ channel: sessionChannel(ada.session.id), message: { type: 'session-extended' } });
    await classroom.setPosition(classroom.learnerByToken(ada.token), 'demo', 1);
    expect(results.reachedStep(ada.learner.id, 'demo')).toBe(1);
    results.save([{ owner: ada.learner.id, lesson: 'demo', checkId: '0.0', step: 0, title: 'web exists', passed: true, earned: 2, possible: 2, detail: [], checkedAt: 1, earnedAt: 1 }]);
    expect(classroom.rows(event.id)[0]).toMatchObject({ grading: 'earned', points: { earned: 2 } });
    await classroom.resetLearner(ada.learner.id);
    // The reset starts the lesson over: what was earned in it and the reached step are cleared.
    expect(classroom.rows(event.id)[0]).toMatchObject({ step: 0, points: { earned: 0 } });
    expect(results.reachedStep(ada.learner.id, 'demo')).toBeUndefined();
    const reset = published.find((p) => (p.message as { type: string }).type === 'session-reset');
    const newId = (reset!.message as { sessionId: string }).sessionId;
    expect(reset!.channel).toBe(sessionChannel(ada.session.id));
    expect(sessions.find(ada.session.id)).toBeUndefined();
    expect(sessions.authorize(newId, ada.token).id).toBe(newId);
    await classroom.endLearner(ada.learner.id);
    expect(sessions.ids()).toEqual([]);
    expect(classroom.rows(event.id)[0].sessionStatus).toBe('none');
  });

  it('sends a message to every learner with a session', async () => {
    const { classroom, published } = setup();
    const event = classroom.createEvent({ name: 'Swarm 101', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    await classroom.join(event.joinCode, 'Bob');
    expect(classroom.message(event.id, 'Break until 11:00')).toBe(2);
    expect(published.filter((p) => (p.message as { type: string }).type === 'message').map((p) => p.channel)).toContain(sessionChannel(ada.session.id));
  });

  it('refuses to join before the event opens and after it ends', async () => {
    const { classroom } = setup();
    const later = classroom.createEvent({ name: 'Later', lessons: ['demo'], capacity: 5, opensAt: '2026-11-24T10:00:00Z', warmPool: 0 });
    await expect(classroom.join(later.joinCode, 'Ada')).rejects.toMatchObject({ status: 403 });
    const now = classroom.createEvent({ name: 'Now', lessons: ['demo'], capacity: 5, warmPool: 0 });
    await classroom.endEvent(now.id);
    await expect(classroom.join(now.joinCode, 'Ada')).rejects.toMatchObject({ status: 410 });
  });
});
