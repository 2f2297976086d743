import { describe, expect, it } from 'vitest';
import type { CheckRunView } from '../../../server/checks/run-lesson-checks.js';
import { ResultStore, type StoredCheckResult } from '../../../server/checks/result-store.js';
import { Grading, type GradedLearner } from '../../../server/grading/grading.js';
import { newToken } from '../../../server/ids.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { createLogger } from '../../../server/logger.js';
import { Session } from '../../../server/sessions/session.js';
import { openDatabase } from '../../../server/store/database.js';

const LESSON = parseLesson(`---
id: demo
title: Demo
summary: A lesson for tests.
template: single
swarm: true
minutes: 5
---

## One

\`\`\`check
title: web exists
points: 2
assert:
  - service: web
\`\`\`

## Two

\`\`\`check
title: web has 3 replicas
points: 3
assert:
  - service: web
    replicas: 3
\`\`\`
`, 'demo.md');

/** A learner's session: its checks' results are the learner's. */
const session = (id: string, learner: string) =>
  new Session(
    { id, tokenDigest: newToken().digest, template: 'single', swarm: true, network: { id: 'n', name: 'n' }, createdAt: 0, lastActivity: 0, extendedMs: 0, nodes: [], owner: { id: learner, tokenDigest: newToken().digest } },
    { idleMs: 60_000, maxMs: 600_000 },
  );

const result = (owner: string, checkId: string, passed: boolean, earned: number, possible: number): StoredCheckResult => ({
  owner, lesson: 'demo', checkId, step: Number(checkId[0]), title: checkId, passed, earned, possible, detail: passed ? [] : [{ message: 'not yet' }], checkedAt: 0,
  ...(earned > 0 ? { earnedAt: 0 } : {}),
});

/** Checks that the test answers by hand, so it can see how many run at once. */
function heldChecks(results: ResultStore) {
  const waiting: Array<{ session: Session; finish: () => void }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const checks = {
    run(target: Session): Promise<CheckRunView> {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      return new Promise((resolve, reject) => {
        waiting.push({
          session: target,
          finish: () => {
            running -= 1;
            if (target.id === 'broken') return reject(new Error('node unreachable'));
            const owner = target.resultsOwner();
            results.save([result(owner, '0.0', true, 2, 2), result(owner, '1.0', false, 0, 3)]);
            resolve({ lesson: 'demo', passed: false, score: { earned: 2, possible: 5 }, checks: [], durationMs: 1 });
          },
        });
      });
    },
  };
  return { checks, waiting, mostAtOnce: () => mostAtOnce };
}

function setup() {
  const results = new ResultStore(openDatabase(':memory:'));
  const held = heldChecks(results);
  const grading = new Grading({ checks: held.checks, results, lessons: new Map([['demo', LESSON]]), log: createLogger('silent') });
  return { results, held, grading };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
};

describe('Grading', () => {
  it('checks every learner who has a session, two at a time, and reports every learner from the stored results', async () => {
    const { held, grading } = setup();
    const learners: GradedLearner[] = [
      { id: 'ada', name: 'Ada', session: session('s-ada', 'ada') },
      { id: 'bob', name: 'Bob' },
      { id: 'cy', name: 'Cy', session: session('s-cy', 'cy') },
      { id: 'dee', name: 'Dee', session: session('broken', 'dee') },
    ];
    const graded = grading.grade(learners, 'demo');
    await until(() => held.waiting.length === 2);
    expect(held.waiting.map((w) => w.session.id)).toEqual(['s-ada', 's-cy']);
    held.waiting[0].finish();
    await until(() => held.waiting.length === 3);
    expect(held.waiting[2].session.id).toBe('broken');
    held.waiting[1].finish();
    held.waiting[2].finish();
    const reports = await graded;
    expect(held.mostAtOnce()).toBe(2);
    expect(reports.map((r) => [r.learner, r.earned, r.possible, r.passed])).toEqual([['Ada', 2, 5, false], ['Bob', 0, 5, false], ['Cy', 2, 5, false], ['Dee', 0, 5, false]]);
    const notChecked = { message: 'not checked yet', findings: [{ key: 'report.notChecked', params: {} }] };
    expect(reports[1].checks.map((c) => c.failures)).toEqual([[notChecked], [notChecked]]);
    expect(reports[0].checks.map((c) => [c.id, c.passed, c.earned])).toEqual([['0.0', true, 2], ['1.0', false, 0]]);
  });

  it('reports and exports without running anything, and refuses an unknown lesson', async () => {
    const { results, held, grading } = setup();
    results.save([result('ada', '0.0', true, 2, 2), result('ada', '1.0', true, 3, 3)]);
    const learners = [{ id: 'ada', name: 'Ada', session: session('s-ada', 'ada') }];
    expect(grading.reports(learners, 'demo')[0]).toMatchObject({ learner: 'Ada', lesson: 'demo', lessonTitle: 'Demo', earned: 5, possible: 5, passed: true });
    const csv = grading.export(learners, 'demo', 'csv');
    expect(csv).toMatchObject({ contentType: 'text/csv; charset=utf-8', extension: 'csv' });
    expect(csv.body.split('\n')[1]).toBe('Ada,2,3,5,5,earned');
    expect(held.waiting).toEqual([]);
    await expect(grading.grade(learners, 'nope')).rejects.toMatchObject({ status: 404 });
    expect(() => grading.reports(learners, 'nope')).toThrow('no lesson nope');
  });
});
