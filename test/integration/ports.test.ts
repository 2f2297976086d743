import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSessionView, SessionStatusView } from '../../shared/protocol.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';

// The port proxy on a real node: a swarm service published in host mode (the routing mesh needs IPVS, which this kernel lacks).
describe('published ports (Docker)', () => {
  let server: RunningServer;
  let session: CreatedSessionView;
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-ports-test-'));
  const auth = () => ({ authorization: `Bearer ${session.token}` });
  const portPath = (port: number, rest = '/') => `/api/sessions/${session.id}/nodes/node1/ports/${port}${rest}`;

  beforeAll(async () => {
    server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 't-ports', dataDir, logLevel: 'warn' } }));
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ template: 'single', swarm: true }) });
    expect(res.status).toBe(201);
    session = (await res.json()) as CreatedSessionView;
    const exec = await fetch(`${server.url}/api/sessions/${session.id}/nodes/node1/exec`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        command: 'docker service create --quiet --detach=false --name web --publish mode=host,target=80,published=8080 web:1 && docker run -d --name plain -p 8081:80 web:2',
        timeoutSeconds: 90,
      }),
    });
    const result = (await exec.json()) as { exitCode: number; output: string };
    expect(result.exitCode, result.output).toBe(0);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Follows the workshop's port link to the app's own origin, as a browser does (cookie included). */
  async function fetchApp(port: number): Promise<Response> {
    const link = await fetch(`${server.url}${portPath(port)}?token=${encodeURIComponent(session.token)}`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    const onAppOrigin = await fetch(link.headers.get('location')!, { redirect: 'manual' });
    expect(onAppOrigin.status).toBe(302);
    const cookie = (onAppOrigin.headers.get('set-cookie') ?? '').split(';')[0];
    return fetch(new URL(onAppOrigin.headers.get('location')!, server.appsUrl), { headers: { cookie } });
  }

  it('proxies HTTP to ports published on the node, on the apps\' own origin', async () => {
    const service = await fetchApp(8080);
    expect(service.status).toBe(200);
    expect(await service.text()).toMatch(/web version 1 served by \w+/);
    expect(await (await fetchApp(8081)).text()).toMatch(/web version 2 served by/);
  });

  it('refuses a missing or wrong token and says when nothing listens', async () => {
    expect((await fetch(`${server.url}${portPath(8080)}`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${server.url}${portPath(8080)}`, { headers: { authorization: 'Bearer nope' }, redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${server.url}/api/sessions/${session.id}/nodes/node7/ports/8080/`, { headers: auth(), redirect: 'manual' })).status).toBe(404);
    expect((await fetchApp(9)).status).toBe(502);
  });

  it('lists the node role and its published ports', async () => {
    const res = await fetch(`${server.url}/api/sessions/${session.id}/node-status`, { headers: auth() });
    expect(res.status).toBe(200);
    const status = (await res.json()) as SessionStatusView;
    const node1 = status.nodes.find((n) => n.name === 'node1')!;
    expect(node1.swarm).toEqual({ state: 'active', role: 'leader' });
    expect(node1.ports.map((p) => p.port)).toEqual(expect.arrayContaining([8080, 8081]));
  });
});
