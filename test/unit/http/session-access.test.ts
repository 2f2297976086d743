import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedSessionView, SessionView } from '../../../shared/protocol.js';
import { accessMode, loadConfig, sessionAccess } from '../../../server/config.js';
import { createApp } from '../../../server/http/app.js';
import type { SessionAccess } from '../../../server/http/sessions-routes.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function start(access: SessionAccess, clock?: () => number) {
  const log = createLogger('silent');
  const config = loadConfig({ overrides: { limits: { maxSessions: 20, maxNodesTotal: 60 }, sessions: { idleMinutes: 10, maxMinutes: 60 } } });
  const sessions = new SessionManager(new FakeNodeBackend(), config, log, clock);
  server = createServer(createApp({ sessions, log, access }));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const create = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"template":"single"}' });
    return { status: res.status, body: (await res.json()) as CreatedSessionView & { error: { message: string; code: string } } };
  };
  return { base, create };
}

describe('who may start sessions', () => {
  it('is open on loopback and asks for a code on any other address by default', () => {
    expect(accessMode(loadConfig({ overrides: { host: '127.0.0.1' } }))).toBe('open');
    expect(accessMode(loadConfig({ overrides: { host: '::1' } }))).toBe('open');
    expect(accessMode(loadConfig({ overrides: { host: '0.0.0.0' } }))).toBe('code');
    expect(accessMode(loadConfig({ overrides: { host: '0.0.0.0', access: { mode: 'open' } } }))).toBe('open');
    expect(accessMode(loadConfig({ env: { WORKSHOP_HOST: '192.168.1.4', WORKSHOP_ACCESS_MODE: 'open' } }))).toBe('open');
  });

  it('caps clients by default in code mode only, unless configured', () => {
    expect(sessionAccess(loadConfig({ overrides: { host: '0.0.0.0' } }))).toMatchObject({ mode: 'code', sessionsPerClient: 3, createPerMinute: 10 });
    expect(sessionAccess(loadConfig({ overrides: { host: '127.0.0.1' } })).sessionsPerClient).toBeGreaterThan(1000);
    expect(sessionAccess(loadConfig({ overrides: { host: '127.0.0.1', access: { sessionsPerClient: 2 } } })).sessionsPerClient).toBe(2);
    expect(() => loadConfig({ overrides: { access: { code: 'short' } } })).toThrow(/access.code/);
  });

  it('code mode without an access code: sessions only through events', async () => {
    const { create } = await start({ mode: 'code', sessionsPerClient: 5, createPerMinute: 50 });
    const res = await create();
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/join link/);
  });

  it('code mode with an access code: the right code starts one, no code or a wrong one does not', async () => {
    const { create } = await start({ mode: 'code', code: 'let-me-in-please', sessionsPerClient: 5, createPerMinute: 50 });
    expect((await create()).status).toBe(401);
    expect((await create({ 'x-access-code': 'let-me-in-pleasf' })).status).toBe(403);
    expect((await create({ 'x-access-code': 'short' })).status).toBe(403);
    expect((await create({ 'x-access-code': 'let-me-in-please' })).status).toBe(201);
  });

  it('caps the sessions one client holds, counting only live ones', async () => {
    const { base, create } = await start({ mode: 'open', sessionsPerClient: 2, createPerMinute: 50 });
    const [a, b] = await Promise.all([create(), create()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const third = await create();
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('too_many_sessions');
    const deleted = await fetch(`${base}/sessions/${a.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${a.body.token}` } });
    expect(deleted.status).toBe(204);
    expect((await create()).status).toBe(201);
  });

  it('a burst cannot pass the cap', async () => {
    const { create } = await start({ mode: 'open', sessionsPerClient: 2, createPerMinute: 50 });
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => create()))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 429, 429, 429, 429]);
  });

  it('limits how many creations a client asks for per minute', async () => {
    const { create } = await start({ mode: 'code', sessionsPerClient: 50, createPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await create()).status);
    expect(statuses).toEqual([403, 403, 403, 429, 429]);
  });

  it('"extend" never passes sessions.maxMinutes', async () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const created = now;
    const { base, create } = await start({ mode: 'open', sessionsPerClient: 5, createPerMinute: 50 }, () => now);
    const session = (await create()).body;
    let view: SessionView | undefined;
    for (let minute = 5; minute <= 55; minute += 5) {
      now = created + minute * 60_000;
      const res = await fetch(`${base}/sessions/${session.id}/extend`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` } });
      expect(res.status).toBe(200);
      view = (await res.json()) as SessionView;
    }
    expect(Date.parse(view!.expiresAt)).toBe(created + 60 * 60_000);
  });
});
