import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardMessage, LearnerMessage } from '../../shared/classroom-protocol.js';
import { LABEL } from '../../server/engine/labels.js';
import type { RunningServer } from '../../server/server.js';
import { SseReader } from '../support/sse-reader.js';
import { TerminalClient } from '../support/terminal-client.js';
import { apiClient, eventually, startTestServer } from '../support/test-server.js';

const INSTANCE = 't-classroom';
const PASSWORD = 'correct horse battery';
const dataDir = mkdtempSync(join(tmpdir(), `${INSTANCE}-`));
const docker = new Docker();
let server: RunningServer;

const start = () => startTestServer(INSTANCE, { dataDir, instructorPassword: PASSWORD, classroom: { checkIntervalSeconds: 0 } });

/** The REST API as a learner's page, the dashboard or a grader calls it. */
const call: ReturnType<typeof apiClient>['call'] = (...args) => apiClient(server.url).call(...args);

function workshop(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/workshop.js', ...args], { env: { ...process.env, WORKSHOP_LOG_LEVEL: 'error' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout: stdout + stderr }),
    );
  });
}

beforeAll(async () => {
  server = await start();
});

afterAll(async () => {
  await server?.close();
});

describe('an instructor-led event on a real engine', () => {
  let instructor: string;
  let event: { id: string; joinCode: string };
  let ada: { token: string; learner: { id: string }; session: { id: string; nodes: Array<{ name: string; address: string }> } };
  let bob: typeof ada;
  let dashboard: SseReader<DashboardMessage>;

  it('refuses a wrong password and lets the instructor log in and create an event', async () => {
    expect((await call('POST', '/instructor/login', undefined, { password: 'wrong password!' })).status).toBe(401);
    const login = await call('POST', '/instructor/login', undefined, { password: PASSWORD });
    expect(login.status).toBe(200);
    instructor = login.body.token;
    expect((await call('POST', '/instructor/events', undefined, { name: 'x', lessons: ['services'], capacity: 2 })).status).toBe(401);
    const created = await call('POST', '/instructor/events', instructor, { name: 'Swarm class', lessons: ['services'], capacity: 2 });
    expect(created.status).toBe(201);
    event = created.body;
    dashboard = await new SseReader<DashboardMessage>().open(`${server.url}/api/instructor/events/${event.id}/stream`, { authorization: `Bearer ${instructor}` });
    await dashboard.waitFor((m) => m.type === 'snapshot');
  });

  it('two learners join with the code; the dashboard shows both', async () => {
    ada = (await call('POST', '/join', undefined, { code: event.joinCode, name: 'Ada' })).body;
    bob = (await call('POST', '/join', undefined, { code: event.joinCode, name: 'Bob' })).body;
    expect(ada.session.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
    expect((await call('POST', '/join', undefined, { code: event.joinCode, name: 'Cy' })).status).toBe(409);
    await dashboard.waitFor((m) => m.type === 'learner' && m.learner.name === 'Ada');
    await dashboard.waitFor((m) => m.type === 'learner' && m.learner.name === 'Bob');
  });

  it('keeps learners apart from each other and from the instructor', async () => {
    expect((await call('POST', `/sessions/${bob.session.id}/nodes/node1/exec`, ada.token, { command: 'hostname' })).status).toBe(403);
    expect((await call('GET', `/instructor/events/${event.id}`, ada.token)).status).toBe(401);
    expect((await call('GET', '/learners/me', ada.token)).body.learner.name).toBe('Ada');
  });

  it('a learner works and checks; the dashboard shows the result within seconds', async () => {
    const ran = await call('POST', `/sessions/${ada.session.id}/nodes/node1/exec`, ada.token, { command: 'docker service create --detach --name web --replicas 2 --publish 8080:80 web:1' });
    expect(ran.body.exitCode).toBe(0);
    await eventually(async () => (await call('POST', `/sessions/${ada.session.id}/checks`, ada.token, { lesson: 'services', step: 0 })).body.passed === true);
    const row = await dashboard.waitFor((m) => m.type === 'learner' && m.learner.name === 'Ada' && m.learner.checksPassed >= 1);
    expect(row).toMatchObject({ learner: { lesson: 'services', step: 0, points: { earned: 2 } } });
    const bobRun = await call('POST', `/sessions/${bob.session.id}/checks`, bob.token, { lesson: 'services', step: 0 });
    expect(bobRun.body.passed).toBe(false);
    expect(bobRun.body.checks[0].assertions[0].message).toMatch(/service `web` does not exist|no service `web`/);
  });

  it('the instructor watches a learner\'s terminal read-only: output arrives, input is dropped', async () => {
    const own = await TerminalClient.open(server.url, ada.session.id, 'node1', { token: ada.token, cols: 100, rows: 30 });
    const path = `/api/instructor/learners/${ada.learner.id}/nodes/node1/terminal`;
    await expect(TerminalClient.openPath(server.url, path, {}, { authorization: `Bearer ${ada.token}` })).rejects.toMatchObject({ status: 401 });
    const watcher = await TerminalClient.openPath(server.url, path, {}, { authorization: `Bearer ${instructor}` });
    own.type('echo learner-typed-$((6*7))\r');
    await watcher.waitFor('learner-typed-42');
    watcher.type('echo watcher-typed-$((6*9))\r');
    own.type('echo after-$((1+1))\r');
    await own.waitFor('after-2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(own.output).not.toContain('watcher-typed');
    expect(watcher.output).not.toContain('watcher-typed-54');
    await Promise.all([own.close(), watcher.close()]);
  });

  it('a message reaches every learner\'s page', async () => {
    const page = await new SseReader<LearnerMessage>().open(`${server.url}/api/sessions/${bob.session.id}/stream?token=${bob.token}`);
    expect((await call('POST', `/instructor/events/${event.id}/message`, instructor, { text: 'Ten minutes left' })).body.sent).toBe(2);
    await page.waitFor((m) => m.type === 'message' && m.text === 'Ten minutes left');
    await page.close();
  });

  it('grades the event and exports CSV, JUnit and JSON with the right points', async () => {
    const graded = await call('POST', `/instructor/events/${event.id}/grade`, instructor, { lesson: 'services' });
    const byName = Object.fromEntries(graded.body.reports.map((r: { learner: string }) => [r.learner, r]));
    expect(byName.Ada.checks[0]).toMatchObject({ passed: true, earned: 2, possible: 2 });
    expect(byName.Bob.checks[0]).toMatchObject({ passed: false, earned: 0 });
    expect(byName.Ada.earned).toBeGreaterThan(byName.Bob.earned);
    const csv = await call('GET', `/instructor/events/${event.id}/results?lesson=services&format=csv`, instructor);
    const adaLine = (csv.body as string).split('\n').find((l) => l.startsWith('Ada,'))!;
    // …, total, possible, rule: the row ends with the grading rule.
    expect(adaLine.split(',').at(-3)).toBe(String(byName.Ada.earned));
    expect(adaLine.split(',').at(-1)).toBe('earned');
    expect(adaLine.split(',')[1]).toBe('2');
    const junit = await call('GET', `/instructor/events/${event.id}/results?lesson=services&format=junit`, instructor);
    expect(junit.body).toContain('<testsuite name="Bob: Run services"');
    expect(junit.body).toMatch(/<failure message="[^"]*web/);
    const json = await call('GET', `/instructor/events/${event.id}/results?lesson=services&format=json`, instructor);
    expect(json.body.reports).toEqual(graded.body.reports);
  });

  it('the grading command gives the same result against the session and against the manager\'s Docker host address', async () => {
    const report = join(dataDir, 'ada.json');
    const viaServer = await workshop(['grade', '--lesson', 'services', '--step', '1', '--server', server.url, '--session', ada.session.id, '--token', ada.token, '--name', 'Ada', '--report', report]);
    expect(viaServer.stdout).toContain('PASS');
    expect(viaServer.code).toBe(0);
    const viaHost = await workshop(['grade', '--lesson', 'services', '--step', '1', '--docker-host', `tcp://${ada.session.nodes[0].address}:2375`, '--name', 'Ada']);
    expect(viaHost.code).toBe(0);
    expect(viaHost.stdout.split('\n').filter((l) => /PASS|FAIL/.test(l))).toEqual(viaServer.stdout.split('\n').filter((l) => /PASS|FAIL/.test(l)));
    expect(JSON.parse(readFileSync(report, 'utf8')).reports[0]).toMatchObject({ learner: 'Ada', passed: true, earned: 2 });
    const failing = await workshop(['grade', '--lesson', 'services', '--step', '1', '--server', server.url, '--session', bob.session.id, '--token', bob.token]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('FAIL');
  });

  it('a restart keeps events, learners, sessions and progress, and leaves no orphan', async () => {
    await dashboard.close();
    await server.close({ keepSessions: true });
    server = await start();
    const me = await call('GET', '/learners/me', ada.token);
    expect(me.status).toBe(200);
    expect(me.body.session.id).toBe(ada.session.id);
    const login = await call('POST', '/instructor/login', undefined, { password: PASSWORD });
    const table = await call('GET', `/instructor/events/${event.id}`, login.body.token);
    const adaRow = table.body.learners.find((l: { name: string }) => l.name === 'Ada');
    expect(adaRow).toMatchObject({ sessionStatus: 'running', checksPassed: expect.any(Number) });
    expect(adaRow.checksPassed).toBeGreaterThanOrEqual(1);
    const ps = await call('POST', `/sessions/${ada.session.id}/nodes/node1/exec`, ada.token, { command: 'docker service ls -q | wc -l' });
    expect(ps.body.output.trim()).toBe('1');
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${INSTANCE}`] } });
    const owned = new Set([ada.session.id, bob.session.id]);
    expect(containers.filter((c) => !owned.has(c.Labels[LABEL.session]))).toEqual([]);
  });

  it('the instructor resets and ends a learner\'s session', async () => {
    const login = await call('POST', '/instructor/login', undefined, { password: PASSWORD });
    const page = await new SseReader<LearnerMessage>().open(`${server.url}/api/sessions/${bob.session.id}/stream?token=${bob.token}`);
    expect((await call('POST', `/instructor/learners/${bob.learner.id}/reset`, login.body.token)).status).toBe(204);
    const reset = (await page.waitFor((m) => m.type === 'session-reset')) as { sessionId: string };
    await page.close();
    expect((await call('GET', `/sessions/${reset.sessionId}`, bob.token)).status).toBe(200);
    expect((await call('GET', `/sessions/${bob.session.id}`, bob.token)).status).toBe(404);
    expect((await call('POST', `/instructor/learners/${bob.learner.id}/end`, login.body.token)).status).toBe(204);
    expect((await call('GET', `/sessions/${reset.sessionId}`, bob.token)).status).toBe(404);
  });
});
