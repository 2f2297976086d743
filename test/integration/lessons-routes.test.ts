import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterView, LessonView } from '../../shared/lesson-protocol.js';
import type { RunningServer } from '../../server/server.js';
import { TerminalClient } from '../support/terminal-client.js';
import { apiClient, eventually, startTestServer, type CreatedSession } from '../support/test-server.js';

let server: RunningServer;
let api: ReturnType<typeof apiClient>;
let session: CreatedSession;

beforeAll(async () => {
  server = await startTestServer('t-lesson-routes', { classroom: { checkIntervalSeconds: 0 } });
  api = apiClient(server.url);
  session = await api.createSession({ template: 'swarm-1m2w', swarm: true, lesson: 'services' });
});

afterAll(async () => {
  await server?.close();
});

describe('lesson routes on a real engine', () => {
  it('lists the lessons and gives a lesson view without hidden solutions or check internals', async () => {
    const list = await api.call('GET', '/lessons');
    expect(list.body.lessons.map((l: { id: string }) => l.id)).toContain('services');
    const view: LessonView = (await api.call('GET', '/lessons/final-exercise')).body;
    expect(view.stepViews.length).toBeGreaterThan(0);
    expect(view.stepViews.every((s) => s.solutionHtml === undefined)).toBe(true);
    expect(JSON.stringify(view)).not.toContain('assert');
    expect((await api.call('GET', '/lessons/nope')).status).toBe(404);
  });

  it('runs a block by reference: directly when no terminal is open, typed into an open one, never a solution block', async () => {
    const run = (body: object) => api.call('POST', `/sessions/${session.id}/run`, session.token, body);
    expect((await run({ lesson: 'services', step: 0, block: 99 })).status).toBe(404);
    expect((await run({ lesson: 'services', step: 0, block: 0, command: 'rm -rf /' })).status).toBe(400);

    // A solution block exists (final-exercise labels node3 tier=db), but /run refuses it, and nothing runs.
    const solution = await run({ lesson: 'final-exercise', step: 0, block: 0 });
    expect(solution.status).toBe(404);
    expect(solution.body.error.message).toBe('lesson final-exercise has no runnable block 0 in step 0');
    expect((await api.exec(session, 'node1', "docker node inspect node3 --format '{{json .Spec.Labels}}'")).output.trim()).toBe('{}');

    // No terminal is open on node1 yet: the block runs as an exec and its result comes back.
    const direct = await run({ lesson: 'services', step: 0, block: 0 });
    expect(direct.status).toBe(200);
    expect(direct.body).toMatchObject({ node: 'node1', mode: 'exec', exitCode: 0, timedOut: false });
    // The new service's id, before or after the engine's warning about the image digest (stderr and stdout interleave).
    expect(direct.body.output).toMatch(/^[a-z0-9]{25}$/m);

    // With a terminal open, the next block is typed into it, where the learner sees it run.
    const terminal = await TerminalClient.open(server.url, session.id, 'node1', { token: session.token, cols: 120, rows: 30 });
    const typed = await run({ lesson: 'services', step: 1, block: 0 });
    expect(typed.body).toEqual({ node: 'node1', mode: 'terminal' });
    await terminal.waitFor('docker service ls');
    await terminal.waitFor(/web\s+replicated/);
    await terminal.close();
    await eventually(async () => (await api.call('POST', `/sessions/${session.id}/checks`, session.token, { lesson: 'services', step: 0 })).body.passed === true);
  });

  it('shows the live cluster: roles, leader and the tasks on each node', async () => {
    const cluster: ClusterView = (await api.call('GET', `/sessions/${session.id}/cluster`, session.token)).body;
    expect(cluster.nodes.map((n) => `${n.name}:${n.role}:${n.availability}`)).toEqual(['node1:manager:active', 'node2:worker:active', 'node3:worker:active']);
    expect(cluster.nodes[0].leader).toBe(true);
    expect(cluster.nodes.flatMap((n) => n.tasks).filter((t) => t.service === 'web').length).toBe(2);
    expect(cluster.services).toEqual([{ name: 'web', mode: 'replicated', replicas: 2, running: 2, image: 'web:1' }]);
    expect((await api.call('GET', `/sessions/${session.id}/cluster`)).status).toBe(401);
  });
});
