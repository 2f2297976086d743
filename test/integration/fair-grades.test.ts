/**
 * Fair grades on a real engine: a learner follows the services lesson step by step (create, scale to five,
 * then to three), and a whole-lesson re-check, the instructor's "Grade now" and the CSV export all keep every
 * point they earned, although the live cluster no longer has five replicas. A learner's restart of the lesson
 * clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckRunView, GradeReport } from '../../shared/lesson-protocol.js';
import type { RunningServer } from '../../server/server.js';
import { eventually, startTestServer } from '../support/test-server.js';

const PASSWORD = 'correct horse battery';
let server: RunningServer;

async function call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV
  }
  return { status: res.status, body: parsed as T };
}

beforeAll(async () => {
  server = await startTestServer('t-fair-grades', { instructorPassword: PASSWORD, classroom: { checkIntervalSeconds: 0 } });
});

afterAll(async () => {
  await server?.close();
});

describe('a learner who follows a lesson step by step keeps every point earned', () => {
  let instructor: string;
  let eventId: string;
  let ada: { token: string; learner: { id: string }; session: { id: string } };

  const exec = async (command: string) => {
    const res = await call<{ exitCode: number; output: string }>('POST', `/sessions/${ada.session.id}/nodes/node1/exec`, ada.token, { command, timeoutSeconds: 60 });
    expect(res.status).toBe(200);
    expect(res.body.exitCode, res.body.output).toBe(0);
  };
  /** The learner opens a step (the page reports the position), acts, and presses Check until the step passes. */
  const step = async (index: number, command?: string) => {
    expect((await call('PUT', '/learners/me/position', ada.token, { lesson: 'services', step: index })).status).toBe(200);
    if (command) await exec(command);
    await eventually(async () => (await call<CheckRunView>('POST', `/sessions/${ada.session.id}/checks`, ada.token, { lesson: 'services', step: index })).body.passed, 60_000, 1500);
  };
  const progress = async () => (await call<GradeReport>('GET', `/sessions/${ada.session.id}/progress?lesson=services`, ada.token)).body;
  const check = (report: GradeReport, id: string) => report.checks.find((c) => c.id === id)!;

  it('an event, and a learner who joins it', async () => {
    instructor = (await call('POST', '/instructor/login', undefined, { password: PASSWORD })).body.token;
    eventId = (await call('POST', '/instructor/events', instructor, { name: 'Fair grades', lessons: ['services'], capacity: 2 })).body.id;
    ada = (await call('POST', '/join', undefined, { code: (await call('GET', `/instructor/events/${eventId}`, instructor)).body.event.joinCode, name: 'Ada' })).body;
    expect(ada.session.id).toBeTruthy();
  });

  it('earns the steps one by one: create, look, scale to five, scale to three', { timeout: 240_000 }, async () => {
    await step(0, 'docker service create --detach --name web --replicas 2 --publish 8080:80 web:1');
    await step(1);
    await step(2, 'docker service scale --detach web=5');
    await step(3, 'docker service scale --detach web=3');
    const report = await progress();
    expect(report.rule).toBe('earned');
    for (const id of ['web-created', 'replica-answers', 'scaled-to-five', 'scaled-to-three']) {
      expect(check(report, id), id).toMatchObject({ passed: true, earnedAt: expect.any(String) });
      expect(check(report, id).earned).toBe(check(report, id).possible);
    }
  });

  it('a whole-lesson re-check and "Grade now" take nothing away, though five replicas no longer hold', { timeout: 120_000 }, async () => {
    const before = await progress();
    const rerun = await call<CheckRunView>('POST', `/sessions/${ada.session.id}/checks`, ada.token, { lesson: 'services' });
    expect(rerun.body.checks.find((c) => c.id === 'scaled-to-five')!.passed).toBe(false);
    expect(rerun.body.checks.find((c) => c.id === 'web-created')!.passed).toBe(false); // three replicas now, not two
    const graded = await call<{ reports: GradeReport[] }>('POST', `/instructor/events/${eventId}/grade`, instructor, { lesson: 'services' });
    expect(graded.status).toBe(200);
    const [report] = graded.body.reports;
    expect(report).toMatchObject({ learner: 'Ada', rule: 'earned', earned: before.earned });
    expect(report.earned).toBe(6);
    expect(check(report, 'scaled-to-five')).toMatchObject({ passed: true, earned: 2, holdsNow: false, earnedAt: check(before, 'scaled-to-five').earnedAt });
    expect(check(report, 'scaled-to-five').failures[0].message).toMatch(/replicas/);
    expect(check(report, 'scaled-to-three')).toMatchObject({ passed: true, earned: 1, holdsNow: true });
    // A step never reached earns nothing, whatever holds.
    expect(check(report, 'self-healed')).toMatchObject({ passed: false, earned: 0 });
    expect(await progress()).toMatchObject({ earned: 6 });
  });

  it("the instructor's CSV export and dashboard row show the earned points and the rule", async () => {
    const csv = await call<string>('GET', `/instructor/events/${eventId}/results?lesson=services&format=csv`, instructor);
    expect(csv.status).toBe(200);
    const [header, line] = csv.body.trim().split('\n');
    expect(header).toMatch(/^learner,web-created .*,total,possible,rule$/);
    // Ada's row has no quoted cells: a column per check in lesson order, then total, possible and the rule.
    const row = line.split(',');
    const ids = (await progress()).checks.map((c) => c.id);
    const column = (id: string) => row[1 + ids.indexOf(id)];
    expect(row[0]).toBe('Ada');
    expect([column('web-created'), column('replica-answers'), column('scaled-to-five'), column('scaled-to-three'), column('self-healed')]).toEqual(['2', '1', '2', '1', '0']);
    expect(row.slice(-3)).toEqual(['6', String((await progress()).possible), 'earned']);
    const dashboard = await call('GET', `/instructor/events/${eventId}`, instructor);
    expect(dashboard.body.learners[0]).toMatchObject({ name: 'Ada', grading: 'earned', checksPassed: 4, points: { earned: 6 } });
  });

  it("the learner's restart of the lesson clears what they earned in it", async () => {
    expect((await call('POST', `/sessions/${ada.session.id}/lessons/services/reset-progress`, 'not-the-token')).status).toBe(403);
    expect((await call('POST', `/sessions/${ada.session.id}/lessons/services/reset-progress`, ada.token)).status).toBe(204);
    const report = await progress();
    expect(report).toMatchObject({ earned: 0, passed: false });
    expect(check(report, 'scaled-to-five').earnedAt).toBeUndefined();
  });
});
