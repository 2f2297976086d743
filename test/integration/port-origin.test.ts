import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { CreatedSessionView } from '../../shared/protocol.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';

/** Opens a websocket and says how it went: open, or the HTTP status it was refused with. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

// Learners' apps on their own origin, on the local provider (nodes are this host, so a local server is "the app").
describe('learners\' apps on their own origin', () => {
  let server: RunningServer;
  let session: CreatedSessionView;
  let upstream: Server;
  let upstreamPort: number;
  const seen: Array<{ url?: string; headers: Record<string, unknown>; body: string }> = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-port-origin-'));
  const instructorCookie = 'workshop_instructor=instructor-secret';

  beforeAll(async () => {
    // A stand-in for a learner's app: echoes what it received, tries to set cookies, redirects, answers websockets.
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ url: req.url, headers: { ...req.headers }, body });
        if (req.url === '/moved') return void res.writeHead(302, { location: '/elsewhere' }).end();
        res.setHeader('set-cookie', ['workshop_instructor=forged; Path=/', 'theirs=1; Domain=localhost; Path=/']);
        res.end(`app saw ${req.method} ${req.url} ${body}`);
      });
    });
    new WebSocketServer({ server: upstream }).on('connection', (ws) => ws.on('message', (data) => ws.send(`echo:${data}`)));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
    server = await startServer(loadConfig({ overrides: { port: 0, host: '127.0.0.1', instance: 't-port-origin', dataDir, localProvider: true, logLevel: 'silent', perSession: { sockets: 4 } } }));
    const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ template: 'single' }) });
    session = (await res.json()) as CreatedSessionView;
  });

  afterAll(async () => {
    await server?.close();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const workshopLink = (rest = '/', port = upstreamPort) => `${server.url}/api/sessions/${session.id}/nodes/node1/ports/${port}${rest}`;
  const appPath = (port = upstreamPort) => `/s/${session.id}/node1/${port}`;

  /** Follows the workshop's link to the app origin and returns the app cookie it hands out there. */
  async function openApp(rest = '/'): Promise<{ cookie: string; location: string }> {
    const first = await fetch(`${workshopLink(rest)}?token=${session.token}&x=1`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const location = first.headers.get('location')!;
    const second = await fetch(location, { redirect: 'manual' });
    expect(second.status).toBe(302);
    const setCookie = second.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^workshop_app=[^;]+; Path=${appPath()}; Max-Age=\\d+; HttpOnly; SameSite=Lax$`));
    return { cookie: setCookie.split(';')[0], location: new URL(second.headers.get('location')!, location).toString() };
  }

  it('sends the workshop\'s link to another origin with a capability, never the token', async () => {
    const res = await fetch(`${workshopLink('/page')}?token=${session.token}&x=1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(server.appsUrl);
    expect(location.origin).not.toBe(new URL(server.url).origin);
    expect(location.pathname).toBe(`${appPath()}/page`);
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('cap')).toMatch(/^\d+\.[\w-]{43}$/);
    expect(location.toString()).not.toContain(session.token);
  });

  it('refuses the workshop link without the token, and serves no app on the workshop\'s origin', async () => {
    expect((await fetch(workshopLink(), { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${workshopLink()}?token=nope`, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${workshopLink()}?token=${session.token}`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await tryWebSocket(`${workshopLink('/socket').replace(/^http/, 'ws')}?token=${session.token}`)).status).toBe(404);
  });

  it('forwards to the app without any workshop credential and drops the cookies it sets', async () => {
    const { cookie, location } = await openApp('/api/items');
    expect(location).toBe(`${server.appsUrl}${appPath()}/api/items?x=1`);
    // The browser sends every cookie of the host to the app's port too: the instructor's, the app capability.
    const res = await fetch(`${location}&token=${session.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${cookie}; ${instructorCookie}; workshop_learner=l; theirs=1`, authorization: `Bearer ${session.token}`, 'x-access-code': 'c0de' },
      body: '{"a": 1}',
    });
    expect(await res.text()).toBe('app saw POST /api/items?x=1 {"a": 1}');
    expect(res.headers.get('set-cookie')).toBeNull();
    const received = seen.at(-1)!;
    expect(received.url).toBe('/api/items?x=1');
    expect(received.headers.cookie).toBeUndefined();
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers['x-access-code']).toBeUndefined();
    expect(received.headers['x-forwarded-prefix']).toBe(appPath());
    expect(JSON.stringify(received)).not.toContain(session.token);
    expect(JSON.stringify(received)).not.toContain('instructor-secret');
  });

  it('keeps redirects under the app\'s prefix and adds the trailing slash', async () => {
    const { cookie } = await openApp();
    const moved = await fetch(`${server.appsUrl}${appPath()}/moved`, { headers: { cookie }, redirect: 'manual' });
    expect(moved.headers.get('location')).toBe(`${appPath()}/elsewhere`);
    const bare = await fetch(`${server.appsUrl}${appPath()}`, { headers: { cookie }, redirect: 'manual' });
    expect(bare.headers.get('location')).toBe(`${appPath()}/`);
  });

  it('refuses the app origin without a capability, with one for another app, and for an unknown session', async () => {
    const { cookie } = await openApp();
    expect((await fetch(`${server.appsUrl}${appPath()}/`)).status).toBe(403);
    expect((await fetch(`${server.appsUrl}${appPath()}/`, { headers: { cookie: `workshop_token=${session.token}` } })).status).toBe(403);
    expect((await fetch(`${server.appsUrl}${appPath(upstreamPort + 1)}/`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${server.appsUrl}${appPath()}/?cap=1.${'a'.repeat(43)}`)).status).toBe(403);
    expect((await fetch(`${server.appsUrl}/s/zzzz/node1/80/`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${server.appsUrl}/api/health`)).status).toBe(404);
  });

  it('proxies websockets from the app\'s own pages only', async () => {
    const { cookie } = await openApp();
    const url = `${server.appsUrl.replace(/^http/, 'ws')}${appPath()}/socket`;
    const { status, ws } = await tryWebSocket(url, { cookie, origin: server.appsUrl });
    expect(status).toBe(101);
    const reply = await new Promise<string>((resolve) => {
      ws!.on('message', (data) => resolve(String(data)));
      ws!.send('hi');
    });
    expect(reply).toBe('echo:hi');
    ws!.close();
    expect((await tryWebSocket(url, { origin: server.appsUrl })).status).toBe(403);
    expect((await tryWebSocket(url, { cookie, origin: server.url })).status).toBe(403);
    expect((await tryWebSocket(url, { cookie, origin: 'https://evil.example' })).status).toBe(403);
  });

  it('bounds the sockets one session holds open', async () => {
    const { cookie } = await openApp();
    const url = `${server.appsUrl.replace(/^http/, 'ws')}${appPath()}/socket`;
    const opened = [];
    for (let i = 0; i < 4; i++) opened.push(await tryWebSocket(url, { cookie }));
    expect(opened.map((o) => o.status)).toEqual([101, 101, 101, 101]);
    expect((await tryWebSocket(url, { cookie })).status).toBe(429);
    for (const { ws } of opened) ws?.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await tryWebSocket(url, { cookie });
    expect(again.status).toBe(101);
    again.ws?.close();
  });

  it('refuses a terminal websocket opened by a page of another origin', async () => {
    const terminal = `${server.url.replace(/^http/, 'ws')}/api/sessions/${session.id}/nodes/node1/terminal?token=${session.token}`;
    expect((await tryWebSocket(terminal, { origin: server.appsUrl })).status).toBe(403);
    const own = await tryWebSocket(terminal, { origin: server.url });
    expect(own.status).toBe(101);
    own.ws?.close();
  });

  it('sends security headers on the workshop\'s own pages', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
