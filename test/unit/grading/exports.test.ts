import { describe, expect, it } from 'vitest';
import { reportsToCsv, reportsToJson, reportsToJunit } from '../../../server/grading/exports.js';
import type { GradeReport } from '../../../server/grading/grade-report.js';

const reports: GradeReport[] = [
  {
    learner: 'Ada, "the first"',
    lesson: 'services',
    lessonTitle: 'Services',
    earned: 3,
    possible: 5,
    passed: false,
    rule: 'earned',
    checks: [
      // Earned on its step, though it no longer holds: it counts, and says when it was earned.
      { id: '0.0', step: 0, title: 'web exists', passed: true, earned: 2, possible: 2, failures: [{ message: 'service `web` does not exist' }], holdsNow: false, earnedAt: '2026-11-23T10:00:00.000Z' },
      { id: '1.0', step: 1, title: 'web <scaled>', passed: false, earned: 1, possible: 3, failures: [{ expected: '3', actual: '2', message: 'service `web`: 2 of 3 replicas running' }], holdsNow: false },
    ],
  },
];

describe('grade exports', () => {
  it('CSV: a row per learner, points per check, the total and the rule that graded it, quoted where needed', () => {
    const lines = reportsToCsv(reports).trim().split('\n');
    expect(lines[0]).toBe('learner,0.0 web exists (2),1.0 web <scaled> (3),total,possible,rule');
    expect(lines[1]).toBe('"Ada, ""the first""",2,1,3,5,earned');
    const finalState = reportsToCsv([{ ...reports[0], rule: 'final-state' }]).trim().split('\n');
    expect(finalState[1]).toMatch(/,final-state$/);
  });

  it('JUnit: a failure per failed check with expected and actual, XML-escaped', () => {
    const xml = reportsToJunit(reports);
    expect(xml).toContain('<testsuites name="swarm workshop grading" tests="2" failures="1">');
    expect(xml).toContain('name="step 2: web &lt;scaled&gt; (1/3 points)"');
    expect(xml).toContain('<failure message="service `web`: 2 of 3 replicas running">service `web`: 2 of 3 replicas running\n  expected: 3\n  actual:   2</failure>');
    expect(xml).toContain('name="Ada, &quot;the first&quot;: Services"');
  });

  it('JUnit: names the grading rule of each suite, and when an earned check was earned', () => {
    const xml = reportsToJunit(reports);
    expect(xml).toContain('<properties><property name="grading.rule" value="earned"/></properties>');
    expect(xml).toMatch(/name="step 1: web exists \(2\/2 points\)">\s*<properties><property name="earned_at" value="2026-11-23T10:00:00.000Z"\/><\/properties>\s*<\/testcase>/);
    // Earned counts: a check that no longer holds is not a failure under the earned rule.
    expect(xml).not.toContain('<failure message="service `web` does not exist"');
  });

  it('JSON: the reports as they are, rule included', () => {
    expect(JSON.parse(reportsToJson(reports))).toEqual({ reports });
  });
});
