import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CheckResultView } from '../../../shared/lesson-protocol.js';
import { storableFindings } from '../../../server/checks/earning.js';
import { lintLessonSource } from '../../../server/lessons/lint.js';
import { MIGRATIONS } from '../../../server/store/migrations.js';

const SECRET = 'correct-horse-battery-staple';

describe('stored findings', () => {
  it('keep the structured differences of failed assertions, and never a probe output (a mounted secret, say)', () => {
    const check: CheckResultView = {
      id: 'mounted', step: 0, title: 'mounted', passed: false, points: { earned: 0, possible: 1 },
      assertions: [
        { kind: 'service', passed: false, expected: '3', actual: '2', message: 'service `web`: 2 replicas, expected 3', differences: [{ expected: '3', actual: '2', message: 'service `web`: 2 replicas, expected 3' }] },
        { kind: 'probe', passed: false, expected: 'contains v2', actual: SECRET, message: `file \`/run/secrets/db\` in service \`web\`: output does not contain \`v2\` (exit 0, output: \`${SECRET}\`)`,
          differences: [{ expected: 'contains v2', actual: SECRET, message: `file \`/run/secrets/db\` in service \`web\`: output does not contain \`v2\` (exit 0, output: \`${SECRET}\`)` }] },
        { kind: 'probe', passed: false, expected: 'v2', actual: SECRET, message: `file \`/x\` on \`node1\`: output is \`${SECRET}\`, expected \`v2\``,
          differences: [{ expected: 'v2', actual: SECRET, message: `file \`/x\` on \`node1\`: output is \`${SECRET}\`, expected \`v2\`` }] },
        { kind: 'service', passed: true, expected: 'web:1', actual: 'web:1', message: 'ok', differences: [] },
      ],
    };
    const stored = storableFindings(check);
    expect(stored).toHaveLength(3);
    expect(stored[0]).toEqual({ kind: 'service', expected: '3', actual: '2', message: 'service `web`: 2 replicas, expected 3', differences: [{ expected: '3', actual: '2', message: 'service `web`: 2 replicas, expected 3' }] });
    expect(stored[1].differences).toEqual([{ expected: 'contains v2', actual: '(output not stored)', message: 'file `/run/secrets/db` in service `web`: output does not contain `v2`' }]);
    expect(stored[2].message).toBe('file `/x` on `node1`: output is not `v2`');
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });
});

describe('migration 6: earned progress', () => {
  it('counts results passed before it as earned when they were checked, and adds reached steps and baselines', () => {
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration);
    db.prepare("INSERT INTO check_results VALUES ('ada', 'services', 'web-created', 0, 't', 1, 2, 2, '[]', 500)").run();
    db.prepare("INSERT INTO check_results VALUES ('ada', 'services', 'scaled-to-five', 2, 't', 0, 0, 2, '[]', 600)").run();
    db.exec(MIGRATIONS[5]);
    expect(db.prepare('SELECT check_id, earned, earned_at FROM check_results ORDER BY checked_at').all()).toEqual([
      { check_id: 'web-created', earned: 2, earned_at: 500 },
      { check_id: 'scaled-to-five', earned: 0, earned_at: null },
    ]);
    expect(db.prepare('SELECT * FROM reached_steps').all()).toEqual([]);
    expect(db.prepare('SELECT * FROM step_baselines').all()).toEqual([]);
  });
});

const lesson = (check: string, firstStep = true) => `---
id: demo
title: Demo
summary: x
template: single
swarm: false
minutes: 5
---

## One
${firstStep ? check : ''}
## Two
${firstStep ? '' : check}`;

const check = (fields: string) => `
\`\`\`check
id: not-yet
title: not in a swarm yet
hint: nothing to do
${fields}
assert:
  - swarm: node1
    state: inactive
\`\`\`
`;

describe('lint: checks that hold before the learner acts', () => {
  const problems = (source: string) => lintLessonSource(source, 'demo.md').map((p) => p.message);

  it('rejects one on the first step unless it is a precondition worth no points', () => {
    expect(problems(lesson(check('points: 1\nexpect_before: pass')))).toEqual([expect.stringMatching(/mark it `precondition: true` with `points: 0`/)]);
    expect(problems(lesson(check('points: 0\nexpect_before: pass')))).toEqual([expect.stringMatching(/mark it `precondition: true`/)]);
    expect(problems(lesson(check('points: 1\nexpect_before: pass\nprecondition: true')))).toEqual([expect.stringMatching(/a precondition .* is worth no points/)]);
    expect(problems(lesson(check('points: 0\nexpect_before: pass\nprecondition: true')))).toEqual([]);
  });

  it('accepts one on a later step: it is earned only once its step is reached', () => {
    expect(problems(lesson(check('points: 1\nexpect_before: pass'), false))).toEqual([]);
  });
});
