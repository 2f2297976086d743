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

  it('proxies HTTP to a port published on the node', async () => {
    const res = await fetch(`${server.url}${portPath(8080)}`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/web version 1 served by \w+/);
  });

  it('swaps a token in the query for a cookie and a clean URL, so links work in a new tab', async () => {
    const first = await fetch(`${server.url}${portPath(8080)}?token=${encodeURIComponent(session.token)}`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(portPath(8080));
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^workshop_token=[^;]+; Path=/api/sessions/${session.id}/nodes/; HttpOnly`));
    const page = await fetch(`${server.url}${portPath(8081)}`, { headers: { cookie: cookie.split(';')[0] } });
    expect(await page.text()).toMatch(/web version 2 served by/);
    const bare = await fetch(`${server.url}${portPath(8081, '')}`, { headers: auth(), redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe(portPath(8081));
  });

  it('refuses a missing or wrong token and says when nothing listens', async () => {
    expect((await fetch(`${server.url}${portPath(8080)}`)).status).toBe(401);
    expect((await fetch(`${server.url}${portPath(8080)}`, { headers: { authorization: 'Bearer nope' } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/sessions/${session.id}/nodes/node7/ports/8080/`, { headers: auth() })).status).toBe(404);
    expect((await fetch(`${server.url}${portPath(9)}`, { headers: auth() })).status).toBe(502);
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
