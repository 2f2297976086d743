import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ResultStore, type StoredCheckResult } from '../../../server/checks/result-store.js';
import { exportReports } from '../../../server/grading/exports.js';
import { Grading } from '../../../server/grading/grading.js';
import { gradeReport } from '../../../server/grading/grade-report.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { createLogger } from '../../../server/logger.js';
import { openDatabase } from '../../../server/store/database.js';
import { renderFailure } from '../../../shared/i18n/render-finding.js';
import { check, loadSnapshot } from '../checks/fixtures.js';

const LESSON = parseLesson(`---
id: demo
title: Demo
summary: A lesson for tests.
template: swarm-1m2w
swarm: true
minutes: 5
---

## One

\`\`\`check
title: web has 5 replicas on the right image
points: 3
assert:
  - service: web
    replicas: 5
    image: web:2
\`\`\`

## Two

\`\`\`check
title: db exists
points: 1
assert:
  - service: db
\`\`\`
`, 'demo.md');

// Stored as the check runner stores it: each failed assertion with its English message and its findings.
const failed = check(loadSnapshot('swarm-1m2w-services'), { service: 'web', replicas: 5, image: 'web:2' });
const stored: StoredCheckResult = {
  owner: 'ada', lesson: 'demo', checkId: LESSON.steps[0].checks[0].id, step: 0, title: 'web', passed: false, earned: 0, possible: 3,
  detail: [{ expected: failed.expected, actual: failed.actual, message: failed.message, findings: failed.findings }], checkedAt: 0,
};

function grading() {
  const results = new ResultStore(openDatabase(':memory:'));
  results.save([stored]);
  return new Grading({ checks: { run: () => Promise.reject(new Error('not run here')) }, results, lessons: new Map([['demo', LESSON]]), log: createLogger('silent') });
}

describe('grade reports and exports in a language', () => {
  it('keeps the findings through the result store, so a stored failure is worded again in Korean', () => {
    const [report] = grading().reports([{ id: 'ada', name: 'Ada' }], 'demo');
    const [failure] = report.checks[0].failures;
    expect(failure.message).toBe('service `web`: desired replicas is `3`, expected `5`; service `web`: image is `web:1`, expected `web:2`');
    expect(renderFailure(failure, 'ko')).toBe('서비스 `web`: 지정된 레플리카 수 `3`, 기대값 `5`; 서비스 `web`: 이미지 `web:1`, 기대값 `web:2`');
    expect(renderFailure(report.checks[1].failures[0], 'ko')).toBe('아직 점검하지 않음');
  });

  it('JUnit and JSON exports word findings in the language asked; CSV stays machine-readable', () => {
    const learners = [{ id: 'ada', name: 'Ada' }];
    const junit = grading().export(learners, 'demo', 'junit', 'ko').body;
    expect(junit).toContain('<failure message="서비스 `web`: 지정된 레플리카 수 `3`, 기대값 `5`; 서비스 `web`: 이미지 `web:1`, 기대값 `web:2`">');
    expect(junit).toContain('<testsuites name="swarm workshop grading" tests="2" failures="2">');
    expect(grading().export(learners, 'demo', 'junit').body).toContain('<failure message="service `web`: desired replicas is `3`');
    const json = JSON.parse(grading().export(learners, 'demo', 'json', 'ko').body) as { reports: { checks: { failures: { message: string; findings?: unknown[] }[] }[] }[] };
    expect(json.reports[0].checks[0].failures[0].message).toMatch(/^서비스 `web`: 지정된 레플리카 수/);
    expect(json.reports[0].checks[0].failures[0].findings).toEqual(failed.findings);
    expect(grading().export(learners, 'demo', 'csv', 'ko').body).toBe(grading().export(learners, 'demo', 'csv', 'en').body);
  });

  it('keeps the English message of a failure stored before findings existed', () => {
    const report = gradeReport('Ada', LESSON, [{ ...stored, detail: [{ expected: '5', actual: '3', message: 'service `web`: desired replicas is `3`, expected `5`' }] }]);
    const junit = exportReports([report], 'junit', 'ko').body;
    expect(junit).toContain('<failure message="service `web`: desired replicas is `3`, expected `5`">');
    expect(junit).toContain('<failure message="아직 점검하지 않음">');
  });
});

describe('workshop grade --lang', () => {
  it('refuses a language it has no catalogue for, before reading any cluster', async () => {
    const run = promisify(execFile);
    const failure = await run('node', ['bin/workshop.js', 'grade', '--lesson', 'demo', '--docker-host', 'tcp://127.0.0.1:1', '--lang', 'fr']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('--lang is en or ko') });
  });
});
