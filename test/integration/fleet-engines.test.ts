import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL, sessionLabels } from '../../server/engine/labels.js';
import type { RunningServer } from '../../server/server.js';
import { startSimulatedEngines, until, type SimulatedEngine } from '../support/simulated-engines.js';
import { TerminalClient } from '../support/terminal-client.js';
import { apiClient, startTestServer } from '../support/test-server.js';

/**
 * One server, three Docker hosts simulated as TLS engines on this machine (test/support/simulated-engines.ts):
 * placement, an event spread over them, drain, a host paused (its learners move with what they earned), and a
 * restart that takes sessions back from every host.
 */
const INSTANCE = 't-fleet';
const PASSWORD = 'correct horse battery';
const dataDir = mkdtempSync(join(tmpdir(), `${INSTANCE}-`));
let hosts: { engines: SimulatedEngine[]; stop(): Promise<void> };
let server: RunningServer;
let instructor: string;
const local = new Docker();

const start = () =>
  startTestServer(INSTANCE, {
    dataDir,
    instructorPassword: PASSWORD,
    classroom: { checkIntervalSeconds: 0 },
    engines: hosts.engines.map((engine) => ({ name: engine.name, address: engine.address, tls: engine.tls, limits: { nodes: 4 } })),
    fleet: { pingSeconds: 0.5, pingTimeoutSeconds: 1, failuresBeforeDown: 2 },
  });

/** The REST API as a learner's page, the dashboard or a grader calls it. */
const call: ReturnType<typeof apiClient>['call'] = (...args) => apiClient(server.url).call(...args);

const host = (name: string) => hosts.engines.find((engine) => engine.name === name)!;
const engineOf = (sessionId: string) => server.fleet!.backend.engineOf(sessionId);
/** The node containers a host really runs for a session, read from that host's own engine. */
const containersOn = async (name: string, sessionId: string) => (await host(name).docker.listContainers({ all: true, filters: { label: [`${LABEL.session}=${sessionId}`] } })).length;

beforeAll(async () => {
  hosts = await startSimulatedEngines(`${INSTANCE}-hosts`, ['a', 'b', 'c']);
  server = await start();
  instructor = (await call('POST', '/instructor/login', undefined, { password: PASSWORD })).body.token;
});

afterAll(async () => {
  await server?.close();
  await hosts?.stop();
});

describe('sessions over three TLS engines', () => {
  let event: { id: string; joinCode: string };
  const learners: Array<{ token: string; learner: { id: string }; session: { id: string } }> = [];

  it('spreads an event\'s learners one per engine, and packs a self-paced session', async () => {
    event = (await call('POST', '/instructor/events', instructor, { name: 'Fleet class', lessons: ['swarm-init'], capacity: 10 })).body;
    const started = Date.now();
    for (const name of ['Ada', 'Bob', 'Cy']) learners.push((await call('POST', '/join', undefined, { code: event.joinCode, name })).body);
    const joinMs = (Date.now() - started) / 3;
    expect(learners.map((l) => engineOf(l.session.id))).toEqual(['a', 'b', 'c']);
    for (const [index, name] of ['a', 'b', 'c'].entries()) expect(await containersOn(name, learners[index].session.id)).toBe(1);

    const selfPaced = (await call('POST', '/sessions', undefined, { template: 'single', swarm: false })).body;
    expect(engineOf(selfPaced.id)).toBe('a');
    const engines = (await call('GET', '/instructor/engines', instructor)).body.engines;
    expect(engines.map((e: { name: string; state: string; nodes: number; freeNodes: number }) => [e.name, e.state, e.nodes, e.freeNodes])).toEqual([['a', 'up', 2, 2], ['b', 'up', 1, 3], ['c', 'up', 1, 3]]);
    await call('DELETE', `/sessions/${selfPaced.id}`, selfPaced.token);
    // The event form's capacity plan: a, b and c take 4 nodes each (their limit binds before memory and cores).
    expect((await call('GET', '/instructor/capacity?lesson=swarm-init&learners=12', instructor)).body).toMatchObject({ fit: 12, fits: true, engines: [{ name: 'a', learners: 4, boundBy: 'nodes' }, { name: 'b', learners: 4 }, { name: 'c', learners: 4 }] });
    expect((await call('GET', '/instructor/capacity?lesson=swarm-init&learners=13', instructor)).body).toMatchObject({ fit: 12, fits: false });
    expect(engines.map((e: { name: string; loadPercent: number }) => [e.name, e.loadPercent])).toEqual([['a', 50], ['b', 25], ['c', 25]]);
    console.log(`fleet figures: a learner's single-node session on a TLS engine ready in ${Math.round(joinMs)} ms (mean of 3)`);
  });

  it('runs a learner\'s commands on their own engine', async () => {
    const ran = await call('POST', `/sessions/${learners[1].session.id}/nodes/node1/exec`, learners[1].token, { command: 'hostname; docker info --format "{{.ServerVersion}}"' });
    expect(ran.status).toBe(200);
    expect(ran.body.output.split('\n')[0]).toBe('node1');
  });

  it('opens a terminal and proxies an app through a remote engine (no route to its session network from here)', async () => {
    const bob = learners[1];
    const term = await TerminalClient.open(server.url, bob.session.id, 'node1', { token: bob.token });
    term.type('echo "$((6 * 7)) on $(hostname)"\r');
    await term.waitFor('42 on node1');
    await term.close();

    const serve = await call('POST', `/sessions/${bob.session.id}/nodes/node1/exec`, bob.token, { command: 'mkdir -p /tmp/www && echo hello-from-b > /tmp/www/index.html && busybox httpd -p 8080 -h /tmp/www && echo serving' });
    expect(serve.body.output.trim()).toBe('serving');
    const started = Date.now();
    const link = await fetch(`${server.url}/api/sessions/${bob.session.id}/nodes/node1/ports/8080/?token=${encodeURIComponent(bob.token)}`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    const onAppOrigin = await fetch(link.headers.get('location')!, { redirect: 'manual' });
    expect(onAppOrigin.status).toBe(302);
    const cookie = (onAppOrigin.headers.get('set-cookie') ?? '').split(';')[0];
    const app = await fetch(new URL(onAppOrigin.headers.get('location')!, server.appsUrl), { headers: { cookie } });
    expect(app.status).toBe(200);
    expect((await app.text()).trim()).toBe('hello-from-b');
    console.log(`fleet figures: an app page through the engine API (exec'd nc) in ${Date.now() - started} ms, link and cookie redirects included`);
  });

  it('drains an engine: no new sessions there until it is undrained; its sessions keep running', async () => {
    expect((await call('POST', '/instructor/engines/a/drain', instructor)).body.engines[0].state).toBe('draining');
    const elsewhere = (await call('POST', '/sessions', undefined, { template: 'single', swarm: false })).body;
    expect(engineOf(elsewhere.id)).not.toBe('a');
    expect((await call('POST', `/sessions/${learners[0].session.id}/nodes/node1/exec`, learners[0].token, { command: 'true' })).status).toBe(200);
    await call('DELETE', `/sessions/${elsewhere.id}`, elsewhere.token);
    expect((await call('POST', '/instructor/engines/a/undrain', instructor)).body.engines[0].state).toBe('up');
    expect((await call('POST', '/instructor/engines/z/drain', instructor)).status).toBe(404);
    expect((await call('GET', '/instructor/engines')).status).toBe(401);
  });

  it('moves the learners of a paused engine to the others, with their earlier steps replayed and their progress kept', async () => {
    const cy = learners[2];
    const oldSession = cy.session.id;
    const init = await call('POST', `/sessions/${oldSession}/nodes/node1/exec`, cy.token, { command: 'docker swarm init --advertise-addr eth0 >/dev/null && echo ok' });
    expect(init.body.output.trim()).toBe('ok');
    const checked = await call('POST', `/sessions/${oldSession}/checks`, cy.token, { lesson: 'swarm-init', step: 1 });
    expect(checked.status).toBe(200);
    expect((await call('PUT', '/learners/me/position', cy.token, { lesson: 'swarm-init', step: 2 })).status).toBe(200);
    const manager = (progress: { checks: Array<{ id: string; earnedAt?: string }> }) => progress.checks.find((c) => c.id === 'node1-manager');
    const earned = manager((await call('GET', `/sessions/${oldSession}/progress?lesson=swarm-init`, cy.token)).body);
    expect(earned).toMatchObject({ passed: true, earnedAt: expect.any(String) });
    const pointsBefore = (await call('GET', `/sessions/${oldSession}/progress?lesson=swarm-init`, cy.token)).body.earned;

    const paused = Date.now();
    await local.getContainer(host('c').containerId).pause();
    try {
      let newSession = '';
      await until(async () => {
        const me = await call('GET', '/learners/me', cy.token);
        newSession = me.body.session?.id ?? '';
        return newSession !== '' && newSession !== oldSession;
      }, 90_000, 'Cy has a new session');
      // The learner points at the new session as soon as it exists; the move is done when the old one has ended.
      await until(() => server.sessions.find(newSession) !== undefined && server.sessions.find(oldSession) === undefined, 60_000, 'the move is done');
      const movedMs = Date.now() - paused;
      expect(server.fleet!.registry.state('c')).toBe('down');
      expect(engineOf(newSession)).not.toBe('c');
      expect(server.sessions.find(oldSession)).toBeUndefined();
      // Step 2 (the swarm's init) was replayed from its solution on the new engine.
      await until(async () => {
        const state = await call('POST', `/sessions/${newSession}/nodes/node1/exec`, cy.token, { command: 'docker info --format "{{.Swarm.LocalNodeState}}"' });
        return state.body?.output?.trim() === 'active';
      }, 30_000, 'the new node is a swarm manager');
      const progress = (await call('GET', `/sessions/${newSession}/progress?lesson=swarm-init`, cy.token)).body;
      expect(manager(progress)).toMatchObject({ passed: true, earnedAt: earned!.earnedAt });
      // Cy had earned every step before hers: the replay marked none skipped, and earned nothing new.
      expect([progress.earned, progress.skippedSteps ?? []]).toEqual([pointsBefore, []]);
      // The other learners were not touched.
      expect([engineOf(learners[0].session.id), engineOf(learners[1].session.id)]).toEqual(['a', 'b']);
      console.log(`fleet figures: engine paused → learner moved with progress in ${movedMs} ms (ping 0.5 s, down after 2 failures, 1 s timeout)`);
    } finally {
      await local.getContainer(host('c').containerId).unpause();
    }
    await until(() => server.fleet!.registry.state('c') === 'up', 30_000, 'c is up again');
    // What the moved session left on c goes once c answers.
    await until(async () => (await containersOn('c', oldSession)) === 0, 30_000, 'c holds nothing of the moved session');
  });

  it('takes sessions back from every engine after a restart, keeps a drain, and removes what nothing owns on each', async () => {
    expect((await call('POST', '/instructor/engines/c/drain', instructor)).status).toBe(200);
    await server.close({ keepSessions: true });
    const orphan = await host('b').docker.createContainer({ Image: 'swarm-workshop/node:latest', Entrypoint: ['sleep', '600'], Labels: sessionLabels(INSTANCE, 'nobody', 'node', 'node1') });
    server = await start();
    instructor = (await call('POST', '/instructor/login', undefined, { password: PASSWORD })).body.token;
    for (const learner of learners.slice(0, 2)) {
      const me = (await call('GET', '/learners/me', learner.token)).body;
      expect(me.session.nodes.map((n: { status: string }) => n.status)).toEqual(['running']);
      expect(engineOf(me.session.id)).toBe(learner === learners[0] ? 'a' : 'b');
    }
    await expect(orphan.inspect()).rejects.toMatchObject({ statusCode: 404 });
    // The operator's drain outlasted the restart: c takes no new sessions until it is undrained.
    const engines = (await call('GET', '/instructor/engines', instructor)).body.engines;
    expect(engines.map((e: { name: string; state: string }) => [e.name, e.state])).toEqual([['a', 'up'], ['b', 'up'], ['c', 'draining']]);
    expect((await call('POST', '/instructor/engines/c/undrain', instructor)).body.engines[2].state).toBe('up');
  });
});
