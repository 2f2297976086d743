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
    checks: [
      { id: '0.0', step: 0, title: 'web exists', passed: true, earned: 2, possible: 2, failures: [] },
      { id: '1.0', step: 1, title: 'web <scaled>', passed: false, earned: 1, possible: 3, failures: [{ expected: '3', actual: '2', message: 'service `web`: 2 of 3 replicas running' }] },
    ],
  },
];

describe('grade exports', () => {
  it('CSV: a row per learner, points per check, quoted where needed', () => {
    const lines = reportsToCsv(reports).trim().split('\n');
    expect(lines[0]).toBe('learner,0.0 web exists (2),1.0 web <scaled> (3),total,possible');
    expect(lines[1]).toBe('"Ada, ""the first""",2,1,3,5');
  });

  it('JUnit: a failure per failed check with expected and actual, XML-escaped', () => {
    const xml = reportsToJunit(reports);
    expect(xml).toContain('<testsuites name="swarm workshop grading" tests="2" failures="1">');
    expect(xml).toContain('name="step 2: web &lt;scaled&gt; (1/3 points)"');
    expect(xml).toContain('<failure message="service `web`: 2 of 3 replicas running">service `web`: 2 of 3 replicas running\n  expected: 3\n  actual:   2</failure>');
    expect(xml).toContain('name="Ada, &quot;the first&quot;: Services"');
  });

  it('JSON: the reports as they are', () => {
    expect(JSON.parse(reportsToJson(reports))).toEqual({ reports });
  });
});
