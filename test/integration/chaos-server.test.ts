import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { LABEL } from '../../server/engine/labels.js';
import { nodeFenceFor, ownerMark } from '../../server/nodes/node-fence.js';
import { TerminalClient } from '../support/terminal-client.js';
import { eventually } from '../support/test-server.js';

/**
 * The server killed with SIGKILL in the middle of a class (no shutdown code runs) and started again on the same
 * data directory: the learner's token, session, swarm, terminal and earned points come back, and the node fence
 * is installed again under the new process. The server runs as a child process, so the kill is real.
 */
const INSTANCE = 't-chaos-server';
const PASSWORD = 'correct horse battery';
const dataDir = mkdtempSync(join(tmpdir(), `${INSTANCE}-`));
const docker = new Docker();
const fence = nodeFenceFor(loadConfig({ env: process.env, overrides: { instance: INSTANCE } }))!;
let child: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `server/main.ts` as its own process; resolves once it says it is ready. */
function startChild(port: number): Promise<{ process: ChildProcess; url: string }> {
  const env = {
    ...process.env,
    WORKSHOP_PORT: String(port),
    WORKSHOP_HOST: '127.0.0.1',
    WORKSHOP_APPS_PORT: '0',
    WORKSHOP_DATA_DIR: dataDir,
    WORKSHOP_INSTANCE: INSTANCE,
    WORKSHOP_INSTRUCTOR_PASSWORD: PASSWORD,
    WORKSHOP_CHECK_INTERVAL_SECONDS: '0',
    WORKSHOP_LOG_LEVEL: 'warn',
    WORKSHOP_LOG_FORMAT: 'json',
  };
  const started = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time: ${output.slice(-2000)}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Swarm workshop is ready: (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ process: started, url: ready[1] });
      }
    };
    started.stdout!.on('data', read);
    started.stderr!.on('data', read);
    started.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output.slice(-2000)}`)));
  });
}

function client(url: string) {
  return async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

afterAll(async () => {
  child?.kill('SIGKILL');
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${INSTANCE}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  const networks = await docker.listNetworks({ filters: { label: [`${LABEL.instance}=${INSTANCE}`] } });
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove()));
  await fence.remove();
});

describe('the server killed with SIGKILL mid-class', () => {
  it('comes back on the same data with sessions, tokens, earned progress, the swarm and its fence', async () => {
    const port = await freePort();
    let server = await startChild(port);
    let call = client(server.url);
    const instructor = (await call('POST', '/instructor/login', undefined, { password: PASSWORD })).body.token as string;
    const event = (await call('POST', '/instructor/events', instructor, { name: 'Chaos class', lessons: ['services'], capacity: 2 })).body as { id: string; joinCode: string };
    const ada = (await call('POST', '/join', undefined, { code: event.joinCode, name: 'Ada' })).body as { token: string; learner: { id: string }; session: { id: string } };
    const exec = (command: string) => call('POST', `/sessions/${ada.session.id}/nodes/node1/exec`, ada.token, { command });
    expect((await exec('docker service create --detach --name web --replicas 2 --publish 8080:80 web:1')).body.exitCode).toBe(0);
    await eventually(async () => (await call('POST', `/sessions/${ada.session.id}/checks`, ada.token, { lesson: 'services', step: 0 })).body.passed === true);
    const earnedBefore = (await call('GET', `/instructor/events/${event.id}`, instructor)).body.learners[0].points.earned as number;
    expect(earnedBefore).toBeGreaterThan(0);
    const terminal = await TerminalClient.open(server.url, ada.session.id, 'node1', { token: ada.token, cols: 80, rows: 24 });
    terminal.type('echo typing-before-$((6*7))\r');
    await terminal.waitFor('typing-before-42');
    expect(await fence.listRules()).toContain(ownerMark(INSTANCE, server.process.pid!));

    // Mid-class: a terminal open, a check just run. No shutdown code runs.
    const killedPid = server.process.pid!;
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGKILL');
    await exited;
    await terminal.waitFor(() => terminal.closed !== undefined, 5000);
    // The nodes outlive their server: the class's clusters are not lost with it.
    const running = await docker.listContainers({ filters: { label: [`${LABEL.instance}=${INSTANCE}`] } });
    expect(running).toHaveLength(3);

    const restartedAt = performance.now();
    server = await startChild(port);
    const readyMs = Math.round(performance.now() - restartedAt);
    call = client(server.url);
    const me = await call('GET', '/learners/me', ada.token);
    const answeredMs = Math.round(performance.now() - restartedAt);
    expect(me.status).toBe(200);
    expect(me.body.learner.name).toBe('Ada');
    expect(me.body.session.nodes.map((n: { name: string; status: string }) => `${n.name}:${n.status}`)).toEqual(['node1:running', 'node2:running', 'node3:running']);
    // The swarm and the learner's service are as they were.
    const nodes = await exec("docker node ls --format '{{.Hostname}} {{.Status}}' | sort");
    expect(nodes.body.output.trim().split('\n')).toEqual(['node1 Ready', 'node2 Ready', 'node3 Ready']);
    expect((await exec("docker service ls --format '{{.Name}}'")).body.output.trim()).toBe('web');
    // Earned progress is kept (the instructor logs in again; their login is not what this proves).
    const again = (await call('POST', '/instructor/login', undefined, { password: PASSWORD })).body.token as string;
    expect((await call('GET', `/instructor/events/${event.id}`, again)).body.learners[0].points.earned).toBe(earnedBefore);
    // The fence is installed again, marked with the new process.
    const rules = await fence.listRules();
    expect(rules).toContain(ownerMark(INSTANCE, server.process.pid!));
    expect(rules).not.toContain(ownerMark(INSTANCE, killedPid));
    // The learner's terminal opens again on the same shell's node.
    const reopened = await TerminalClient.open(server.url, ada.session.id, 'node1', { token: ada.token, cols: 80, rows: 24 });
    reopened.type('echo typing-after-$((6*9))\r');
    await reopened.waitFor('typing-after-54');
    await reopened.close();
    console.log(`SIGKILL recovery: server ready ${readyMs} ms after its start, the learner's session answered at ${answeredMs} ms`);
  });
});
