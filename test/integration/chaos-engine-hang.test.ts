import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { DockerEngine } from '../../server/engine/docker-engine.js';
import { engineDeadlines } from '../../server/engine/engine-deadline.js';
import { LABEL } from '../../server/engine/labels.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { apiClient, eventually } from '../support/test-server.js';

/**
 * A hung engine: the server talks to Docker through a unix socket this test serves. It forwards to the real
 * engine, then hangs (accepts every connection and never answers, as a stuck dockerd does), then forwards again.
 * While it hangs, routes that need the engine answer 503 with a message within their deadline, /api/health says
 * the engine is down, and routes that do not need it answer at once; afterwards everything works again.
 */
const INSTANCE = 't-chaos-hang';
// Long enough that a forced removal (the write deadline, 4×) finishes on a busy machine when the server closes.
const READ_SECONDS = 2;
const REAL_SOCKET = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice(7) : '/var/run/docker.sock';

/** A unix socket in front of the real engine that can be switched to hang. */
class SwitchableEngineSocket {
  readonly path = join(mkdtempSync(join(tmpdir(), 'chaos-hang-')), 'docker.sock');
  hanging = false;
  private readonly connections = new Set<Socket>();
  private readonly server: Server = createServer((client) => {
    this.connections.add(client);
    client.on('close', () => this.connections.delete(client));
    client.on('error', () => undefined);
    if (this.hanging) {
      client.resume(); // reads the request, never answers
      return;
    }
    const engine = connect(REAL_SOCKET);
    engine.on('error', () => client.destroy());
    client.on('close', () => engine.destroy());
    client.pipe(engine).pipe(client);
  });

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  /** Hangs from now on; kept-alive connections to the real engine are cut, so every later call meets the hang. */
  hang(): void {
    this.hanging = true;
    for (const connection of this.connections) connection.destroy();
  }

  forward(): void {
    this.hanging = false;
    for (const connection of this.connections) connection.destroy();
  }

  close(): void {
    for (const connection of this.connections) connection.destroy();
    this.server.close();
  }
}

const socket = new SwitchableEngineSocket();
let server: RunningServer | undefined;

afterAll(async () => {
  socket.forward();
  await server?.close();
  socket.close();
  // Safety net should a removal have missed its deadline on a very busy machine (the next start's sweep would take it).
  const docker = new Docker();
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${INSTANCE}`] } })) await docker.getContainer(c.Id).remove({ force: true });
  for (const n of await docker.listNetworks({ filters: { label: [`${LABEL.instance}=${INSTANCE}`] } })) await docker.getNetwork(n.Id).remove();
});

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: Math.round(performance.now() - started) };
}

describe('a hung engine', () => {
  it('fails calls at their deadlines with 503, keeps the server responsive, and recovers when the engine answers again', async () => {
    await socket.listen();
    const deadlines = engineDeadlines(READ_SECONDS);
    const config = loadConfig({
      env: process.env,
      overrides: { port: 0, host: '127.0.0.1', instance: INSTANCE, logLevel: 'silent', dataDir: mkdtempSync(join(tmpdir(), `${INSTANCE}-`)), limits: { engineTimeoutSeconds: READ_SECONDS } },
    });
    server = await startServer(config, { engine: new DockerEngine(new Docker({ socketPath: socket.path }), deadlines) });
    const api = apiClient(server.url);
    const session = await api.createSession({ template: 'single' });
    expect((await api.exec(session, 'node1', 'echo before')).output).toContain('before');

    socket.hang();
    const [exec, create, health, view, lessons] = await Promise.all([
      timed(() => api.call('POST', `/sessions/${session.id}/nodes/node1/exec`, session.token, { command: 'echo during' })),
      timed(() => api.call('POST', '/sessions', undefined, { template: 'single' })),
      timed(() => api.call('GET', '/health')),
      timed(() => api.call('GET', `/sessions/${session.id}`, session.token)),
      timed(() => api.call('GET', '/lessons')),
    ]);
    console.log(`hung engine (read deadline ${READ_SECONDS} s): exec ${exec.value.status} in ${exec.ms} ms, create ${create.value.status} in ${create.ms} ms, health ${health.value.status} in ${health.ms} ms, session view ${view.value.status} in ${view.ms} ms, lessons ${lessons.value.status} in ${lessons.ms} ms`);

    // The learner's command: attaching to an exec is an `attach` call.
    expect(exec.value.status).toBe(503);
    expect(exec.value.body.error).toMatchObject({ code: 'engine_unavailable', message: expect.stringContaining('did not answer') });
    expect(exec.ms).toBeLessThan(deadlines.attach + 1500);
    // A new session: its first engine call (the subnets in use) is a read.
    expect(create.value.status).toBe(503);
    expect(create.value.body.error.message).toContain('did not answer');
    expect(create.ms).toBeLessThan(deadlines.write + 1500);
    expect(health.value.status).toBe(503);
    expect(health.value.body.failing).toContain('engine');
    expect(health.ms).toBeLessThan(4000);
    // The session's own view still answers, saying its node cannot be seen.
    expect(view.value.status).toBe(200);
    expect(view.value.body.nodes.map((n: { status: string }) => n.status)).toEqual(['down']);
    // What does not need the engine is not held up by what does.
    expect(lessons.value.status).toBe(200);
    expect(lessons.ms).toBeLessThan(500);

    socket.forward();
    await eventually(async () => (await api.call('GET', '/health')).status === 200, 10_000, 200);
    expect((await api.exec(session, 'node1', 'echo after')).output).toContain('after');
    const second = await api.createSession({ template: 'single' });
    expect(second.nodes[0].status).toBe('running');
  });
});
