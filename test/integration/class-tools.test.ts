import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeReport } from '../../shared/lesson-protocol.js';
import type { RunningServer } from '../../server/server.js';
import { apiClient, eventually, startTestServer } from '../support/test-server.js';

const PASSWORD = 'correct horse battery';
let server: RunningServer;

/** The REST API as a learner's page, the dashboard or a grader calls it. */
const call: ReturnType<typeof apiClient>['call'] = (...args) => apiClient(server.url).call(...args);

beforeAll(async () => {
  server = await startTestServer('t-class-tools', { instructorPassword: PASSWORD, classroom: { checkIntervalSeconds: 0 } });
});

afterAll(async () => {
  await server?.close();
});

describe('catching a learner up on a real engine', () => {
  it('skips to step 3 of services: the solutions ran in the nodes, and steps 1-2 are skipped, not earned', async () => {
    const instructor = (await call('POST', '/instructor/login', undefined, { password: PASSWORD })).body.token as string;
    const event = (await call('POST', '/instructor/events', instructor, { name: 'Late class', lessons: ['services'], capacity: 2 })).body;
    const ada = (await call('POST', '/join', undefined, { code: event.joinCode, name: 'Ada' })).body;
    const session = ada.session.id as string;

    const skipped = await call('POST', '/learners/me/skip', ada.token, { step: 2 });
    expect(skipped.status).toBe(204);
    expect((await call('GET', '/learners/me', ada.token)).body.learner.step).toBe(2);

    // The first step's block created web in the learner's swarm; its two replicas come up.
    await eventually(async () => {
      const ls = await call('POST', `/sessions/${session}/nodes/node1/exec`, ada.token, { command: "docker service ls --format '{{.Name}} {{.Replicas}}'" });
      return /^web 2\/2/m.test(ls.body.output);
    }, 90_000, 1000);

    // The whole-lesson round finds the first steps' checks holding; they are still not earned.
    expect((await call('POST', `/sessions/${session}/checks`, ada.token, { lesson: 'services' })).status).toBe(200);
    const report = (await call('GET', `/sessions/${session}/progress?lesson=services`, ada.token)).body as GradeReport;
    expect(report.skippedSteps).toEqual([0, 1]);
    const created = report.checks.find((c) => c.id === 'web-created')!;
    expect(created).toMatchObject({ skipped: true, holdsNow: true, passed: false, earned: 0 });
    expect(report.checks.filter((c) => c.step < 2).every((c) => c.skipped)).toBe(true);
    expect(report.checks.filter((c) => c.step >= 2).some((c) => c.skipped)).toBe(false);
    expect(report.earned).toBe(0);

    // The instructor's table shows it too.
    const detail = (await call('GET', `/instructor/events/${event.id}`, instructor)).body;
    expect(detail.learners[0]).toMatchObject({ step: 2, skippedSteps: [0, 1] });

    // "Restart lesson": a fresh cluster of the lesson's template (no service web), progress and marks gone.
    expect((await call('POST', '/learners/me/restart', ada.token)).status).toBe(204);
    const me = (await call('GET', '/learners/me', ada.token)).body;
    expect(me.session.id).not.toBe(session);
    expect(me.learner.step).toBe(0);
    const ls = await call('POST', `/sessions/${me.session.id}/nodes/node1/exec`, ada.token, { command: "docker service ls --format '{{.Name}}'" });
    expect(ls.body.output).not.toMatch(/^web$/m);
    const fresh = (await call('GET', `/sessions/${me.session.id}/progress?lesson=services`, ada.token)).body as GradeReport;
    expect(fresh.skippedSteps).toBeUndefined();
  }, 300_000);
});
