import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { createApp } from '../../../server/http/app.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const log = createLogger('silent');
  const sessions = new SessionManager(new FakeNodeBackend(), loadConfig({ overrides: { limits: { maxSessions: 3 } } }), log);
  server = createServer(createApp({ sessions, log }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, body: string, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('sessions routes: bad input gets a 4xx JSON error', () => {
  it.each([
    ['invalid JSON', '{"template": ', 400, /not valid JSON/],
    ['an unknown template', '{"template":"huge"}', 400, /template/],
    ['six nodes', JSON.stringify({ nodes: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name })) }), 400, /nodes/],
    ['a node name with ../', JSON.stringify({ nodes: [{ name: '../etc' }] }), 400, /node name/],
    ['an unknown field', '{"template":"single","privileged":true}', 400, /privileged/],
    ['both template and nodes', JSON.stringify({ template: 'single', nodes: [{ name: 'a' }] }), 400, /either a template or a list/],
    ['a body that is not an object', '[1,2]', 400, /object/],
  ])('%s', async (_name, body, status, message) => {
    const res = await post('/sessions', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses a huge body with 413', async () => {
    const res = await post('/sessions', JSON.stringify({ template: 'single', lesson: 'x'.repeat(400_000) }));
    expect(res.status).toBe(413);
  });

  it('creates a session, then guards it with its token', async () => {
    const created = await post('/sessions', '{"template":"single"}');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), token: expect.any(String), nodes: [{ name: 'node1' }], expiresAt: expect.any(String) });
    const other = await post('/sessions', '{}');
    const { id, token } = created.body;
    expect((await post(`/sessions/${id}/nodes/node1/exec`, '{"command":"hostname"}', other.body.token)).status).toBe(403);
    expect((await post(`/sessions/${id}/nodes/node1/exec`, '{"command":"hostname"}')).status).toBe(401);
    expect((await post(`/sessions/nosuch/nodes/node1/exec`, '{"command":"hostname"}', token)).status).toBe(404);
    const ran = await post(`/sessions/${id}/nodes/node1/exec`, '{"command":"hostname"}', token);
    expect(ran).toEqual({ status: 200, body: { exitCode: 0, output: 'ran hostname\n', truncated: false, timedOut: false } });
    expect((await post(`/sessions/${id}/nodes/..%2F..%2Fetc/exec`, '{"command":"hostname"}', token)).status).toBe(400);
    expect((await post(`/sessions/${id}/nodes/node1/exec`, '{"command":""}', token)).body.error.message).toMatch(/command must not be empty/);
    const huge = await post(`/sessions/${id}/nodes/node1/exec`, JSON.stringify({ command: 'x'.repeat(100_000) }), token);
    expect(huge.status).toBe(413);
    const view = await fetch(`${base}/sessions/${id}?token=${token}`);
    expect(view.status).toBe(200);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await fetch(`${base}/nothing-here`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
