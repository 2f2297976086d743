import { describe, expect, it } from 'vitest';
import { Classroom, sessionChannel } from '../../../server/classroom/classroom.js';
import { EventStore } from '../../../server/classroom/event-store.js';
import { LiveHub } from '../../../server/classroom/live-hub.js';
import { CheckRunner } from '../../../server/checks/check-runner.js';
import { ResultStore } from '../../../server/checks/result-store.js';
import { loadConfig } from '../../../server/config.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { lessonView } from '../../../server/lessons/lesson-view.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { openDatabase } from '../../../server/store/database.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

// A graded exercise: its solution is hidden from the page (`solution: false`) until the instructor reveals it.
const EXERCISE = `---
id: exercise
title: Exercise
summary: A graded exercise for tests.
template: single
swarm: false
minutes: 5
grading: final-state
---

Intro.

## Build it

\`\`\`sh node=node1 solution
docker swarm init
\`\`\`

\`\`\`check
id: in-swarm
title: node1 is in a swarm
hint: the goal says what to build
solution: false
assert:
  - swarm: node1
    state: active
\`\`\`
`;

function setup() {
  const db = openDatabase(':memory:');
  const log = createLogger('silent');
  const sessions = new SessionManager(new FakeNodeBackend(), loadConfig({ overrides: { limits: { maxSessions: 10, maxNodesTotal: 30 } } }), log);
  const lessons = new Map([['exercise', parseLesson(EXERCISE, 'exercise.md')]]);
  const hub = new LiveHub();
  const published: Array<{ channel: string; message: unknown }> = [];
  hub.publish = (channel, message) => void published.push({ channel, message });
  const classroom = new Classroom({ events: new EventStore(db), progress: new CheckRunner(sessions, lessons, new ResultStore(db)), sessions, lessons, hub, baseUrl: () => 'http://ws.example', log });
  return { classroom, lessons, published };
}

describe('revealing a graded exercise\'s solution', () => {
  it('stays hidden from the page and the learner until the instructor reveals it, then reaches every learner', async () => {
    const { classroom, lessons, published } = setup();
    expect(lessonView(lessons.get('exercise')!).stepViews[0].solutionHtml).toBeUndefined();
    const event = classroom.createEvent({ name: 'Exam', lessons: ['exercise'], capacity: 5, warmPool: 0 });
    const ada = await classroom.join(event.joinCode, 'Ada');
    const learner = classroom.learner(ada.learner.id);
    const english = () => 'en';
    expect(() => classroom.revealedSolutions(learner, 'exercise', english)).toThrow(expect.objectContaining({ status: 403, code: 'solutions_hidden' }));

    const view = classroom.revealSolutions(event.id);
    expect(view.solutionsRevealedAt).toBeDefined();
    expect(published).toContainEqual({ channel: sessionChannel(ada.session.id), message: { type: 'solutions-revealed' } });
    const solutions = classroom.revealedSolutions(learner, 'exercise', english);
    expect(solutions.steps).toHaveLength(1);
    expect(solutions.steps[0]).toMatchObject({ index: 0, solutionHtml: expect.stringContaining('docker swarm init') });
    // Only the event's own lessons.
    expect(() => classroom.revealedSolutions(learner, 'services', english)).toThrow(expect.objectContaining({ status: 404 }));
    // Revealing again keeps the first time.
    expect(classroom.revealSolutions(event.id).solutionsRevealedAt).toBe(view.solutionsRevealedAt);
  });
});
