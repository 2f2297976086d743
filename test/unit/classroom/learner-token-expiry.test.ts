import { describe, expect, it } from 'vitest';
import { Classroom } from '../../../server/classroom/classroom.js';
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
template: single
swarm: false
minutes: 5
---

## Only step

\`\`\`check
title: node answers
assert:
  - swarm: node1
    state: inactive
\`\`\`
`;

function setup() {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const db = openDatabase(':memory:');
  const log = createLogger('silent');
  const sessions = new SessionManager(new FakeNodeBackend(), loadConfig({ overrides: { limits: { maxSessions: 10, maxNodesTotal: 30 } } }), log, () => now);
  const lessons = new Map([['demo', parseLesson(LESSON, 'demo.md')]]);
  const progress = new CheckRunner(sessions, lessons, new ResultStore(db), () => now);
  const classroom = new Classroom({ events: new EventStore(db), progress, sessions, lessons, hub: new LiveHub(), baseUrl: () => 'http://ws.example', log, now: () => now });
  return { classroom, sessions, at: () => now, advance: (ms: number) => (now += ms) };
}

describe('learner tokens end with their event', () => {
  it('an ended event refuses its learners\' tokens and ends their sessions', async () => {
    const { classroom, sessions } = setup();
    const event = classroom.createEvent({ name: 'Swarm 101', lessons: ['demo'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    expect(classroom.learnerByToken(ada.token).id).toBe(ada.learner.id);
    await classroom.endEvent(event.id);
    expect(() => classroom.learnerByToken(ada.token)).toThrow(expect.objectContaining({ status: 410, code: 'event_closed' }));
    expect(() => sessions.authorize(ada.session.id, ada.token)).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('a closing time refuses the tokens once passed, and the timer ends the event and its sessions', async () => {
    const { classroom, sessions, at, advance } = setup();
    const event = classroom.createEvent({ name: 'Evening', lessons: ['demo'], capacity: 5, warmPool: 0, closesAt: new Date(at() + 60_000).toISOString() });
    const ada = await classroom.join(event.joinCode, 'Ada');
    expect(await classroom.closeDueEvents()).toBe(0);
    advance(61_000);
    expect(() => classroom.learnerByToken(ada.token)).toThrow(expect.objectContaining({ status: 410 }));
    expect(await classroom.closeDueEvents()).toBe(1);
    expect(sessions.find(ada.session.id)).toBeUndefined();
    expect(classroom.eventView(classroom.event(event.id)).endedAt).toBeDefined();
    expect(await classroom.closeDueEvents()).toBe(0);
  });
});
